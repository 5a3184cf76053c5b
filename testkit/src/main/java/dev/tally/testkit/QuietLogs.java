package dev.tally.testkit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Turns the embedded servers' INFO chatter (the Kafka test kit logs every partition change) down to
 * WARN, so test output shows the tests. A logger a test's own logback configuration sets is left
 * as configured.
 */
final class QuietLogs {

    private static final List<String> SERVER_LOGGERS = List.of(
            "state.change.logger",
            "kafka",
            "org.apache.kafka.common.test",
            "org.apache.kafka.controller",
            "org.apache.kafka.coordinator",
            "org.apache.kafka.image",
            "org.apache.kafka.metadata",
            "org.apache.kafka.raft",
            "org.apache.kafka.server",
            "org.apache.kafka.storage",
            "org.apache.kafka.snapshot",
            "io.zonky.test.db.postgres");

    private QuietLogs() {}

    static void apply() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            for (String name : SERVER_LOGGERS) {
                Logger logger = context.getLogger(name);
                if (logger.getLevel() == null) {
                    logger.setLevel(Level.WARN);
                }
            }
        }
    }
}
