package dev.tally.launcher;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.stellar.sdk.Network;
import org.stellar.sdk.Server;

/**
 * {@code run-local}: the whole pipeline in one JVM on loopback, with a demo tenant, or with
 * {@code --demo} a full run from usage events to a paid invoice.
 */
public final class Launcher {

    private Launcher() {}

    public static void main(String[] args) {
        PrintStream out = System.out;
        LauncherOptions options;
        try {
            options = LauncherOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(LauncherOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options.help()) {
            out.print(LauncherOptions.USAGE);
            return;
        }
        out.println("Starting Tally locally (data in " + options.dataDir() + ")...");
        try {
            run(options, out);
        } catch (RuntimeException e) { // the top of the program: say what failed, exit non-zero
            System.err.println("Tally failed: " + e.getMessage());
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static void run(LauncherOptions options, PrintStream out) {
        LocalPipeline pipeline = LocalPipeline.start(options.dataDir(), options.ports(), Map.of());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            pipeline.close();
                            stopped.countDown();
                        },
                        "tally-shutdown"));

        TallyClient admin = new TallyClient(pipeline.apiUrl(), pipeline.adminToken());
        LocalSetup.DemoTenant tenant = new LocalSetup().ensureDemoTenant(admin, options.dataDir());
        printEndpoints(out, pipeline, tenant);

        if (options.demo()) {
            StellarPayer payer = new StellarPayer(
                    new Server(pipeline.stellar().horizonUrl()),
                    new Network(pipeline.stellar().networkPassphrase()));
            new Demo(admin.as(tenant.apiKey()), pipeline.stellar(), payer, out).run(tenant);
            System.exit(0);
        }
        out.println("Ctrl-C stops everything; the next start keeps the data.");
        awaitShutdown(stopped);
    }

    private static void printEndpoints(PrintStream out, LocalPipeline pipeline, LocalSetup.DemoTenant tenant) {
        out.printf(
                """

                Tally is running:
                  API (events, usage, billing)  %s
                  Kafka bootstrap servers       %s
                  Schema registry               %s
                  PostgreSQL                    %s
                  Stellar (simulated Horizon)   %s
                  Admin token (this run)        %s

                Demo organization %s, customer %s, feature %s at %s %s per unit.
                API key (test mode, shown once): %s

                Post an event:
                  curl -s -H 'Authorization: Bearer %s' -H 'Content-Type: application/json' \\
                       -d '{"customer":"%s","feature":"%s","quantity":"3"}' %s/v1/events
                See the recorded usage:
                  curl -s -H 'Authorization: Bearer %s' '%s/v1/ledger?customer=%s'

                """,
                pipeline.apiUrl(),
                pipeline.kafkaBootstrapServers(),
                pipeline.registryUrl(),
                pipeline.postgresJdbcUrl(),
                pipeline.stellar().horizonUrl(),
                pipeline.adminToken(),
                tenant.organizationId(),
                tenant.customer(),
                tenant.feature(),
                tenant.unitPrice(),
                LocalSetup.CURRENCY,
                tenant.apiKey(),
                tenant.apiKey(),
                tenant.customer(),
                tenant.feature(),
                pipeline.apiUrl(),
                tenant.apiKey(),
                pipeline.apiUrl(),
                tenant.customer());
    }

    private static void awaitShutdown(CountDownLatch stopped) {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
