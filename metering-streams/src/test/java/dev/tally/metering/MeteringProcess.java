package dev.tally.metering;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * One metering instance in its own JVM, for tests that kill it hard: arguments are
 * {@code key=value} properties; it runs until the process is killed.
 */
public final class MeteringProcess {

    private MeteringProcess() {}

    public static void main(String[] args) throws InterruptedException {
        Map<String, Object> properties = new HashMap<>();
        for (String arg : args) {
            int equals = arg.indexOf('=');
            properties.put(arg.substring(0, equals), arg.substring(equals + 1));
        }
        ApplicationContext.run(EmbeddedServer.class, properties);
        new CountDownLatch(1).await();
    }
}
