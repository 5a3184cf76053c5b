package dev.tally.launcher;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The whole local pipeline in a JVM of its own, for {@link KillUnderLoadIT} to kill with SIGKILL:
 * arguments are the data directory, the six ports ({@link LocalPorts} order) and {@code key=value}
 * service overrides; it says {@value #READY} and the admin token once started, then runs until
 * killed (never stopping anything, as a SIGKILL wouldn't).
 */
final class KilledPipelineRun {

    static final String READY = "ready";

    private KilledPipelineRun() {}

    public static void main(String[] args) throws IOException {
        Path dataDir = Path.of(args[0]);
        LocalPorts ports = new LocalPorts(
                Integer.parseInt(args[1]),
                Integer.parseInt(args[2]),
                Integer.parseInt(args[3]),
                Integer.parseInt(args[4]),
                Integer.parseInt(args[5]),
                Integer.parseInt(args[6]));
        Map<String, Object> overrides = new HashMap<>();
        for (int i = 7; i < args.length; i++) {
            int equals = args[i].indexOf('=');
            overrides.put(args[i].substring(0, equals), args[i].substring(equals + 1));
        }
        // held (and so referenced) until the kill
        LocalPipeline pipeline = LocalPipeline.start(dataDir, ports, overrides);
        System.out.println(READY + " " + pipeline.adminToken());
        System.out.flush();
        System.in.read();
        System.out.println("still running " + pipeline.apiUrl());
    }
}
