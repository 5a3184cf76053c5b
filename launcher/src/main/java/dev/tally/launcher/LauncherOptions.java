package dev.tally.launcher;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** The launcher's command line: where data lives, which ports to use, and whether to run the demo. */
record LauncherOptions(Path dataDir, LocalPorts ports, boolean demo, boolean help) {

    static final String USAGE =
            """
            Usage: run-local [--demo] [--data-dir DIR] [--http-port N] [--kafka-port N]
                             [--kafka-controller-port N] [--registry-port N] [--postgres-port N] [--horizon-port N]

              --demo         after start-up, post events, close the billing period, pay the invoice on the
                             (simulated) Stellar network, print the invoice, and exit
              --data-dir     where Kafka, PostgreSQL, the registry and the stream state keep their data
                             (default ./data; a second start with the same directory keeps everything)
              ports          defaults: http 8080, kafka 19092, kafka-controller 19093, registry 18081,
                             postgres 15432, horizon 18000 (all on 127.0.0.1)
            """;

    /**
     * Parses {@code args}.
     *
     * @throws IllegalArgumentException naming the bad argument
     */
    static LauncherOptions parse(String... args) {
        Deque<String> rest = new ArrayDeque<>(List.of(args));
        Path dataDir = Path.of("data");
        LocalPorts d = LocalPorts.defaults();
        int http = d.http(),
                kafka = d.kafka(),
                controller = d.kafkaController(),
                registry = d.registry(),
                postgres = d.postgres(),
                horizon = d.horizon();
        boolean demo = false;
        boolean help = false;
        while (!rest.isEmpty()) {
            String arg = rest.pop();
            switch (arg) {
                case "--demo" -> demo = true;
                case "--help", "-h" -> help = true;
                case "--data-dir" -> dataDir = Path.of(value(arg, rest));
                case "--http-port" -> http = port(arg, rest);
                case "--kafka-port" -> kafka = port(arg, rest);
                case "--kafka-controller-port" -> controller = port(arg, rest);
                case "--registry-port" -> registry = port(arg, rest);
                case "--postgres-port" -> postgres = port(arg, rest);
                case "--horizon-port" -> horizon = port(arg, rest);
                default -> throw new IllegalArgumentException("unknown argument: " + arg);
            }
        }
        return new LauncherOptions(
                dataDir.toAbsolutePath(),
                new LocalPorts(http, kafka, controller, registry, postgres, horizon),
                demo,
                help);
    }

    private static String value(String option, Deque<String> rest) {
        if (rest.isEmpty() || rest.peek().startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return rest.pop();
    }

    private static int port(String option, Deque<String> rest) {
        String value = value(option, rest);
        try {
            int port = Integer.parseInt(value);
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException(option + " must be a port from 1 to 65535, not " + value);
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a port number, not " + value, e);
        }
    }
}
