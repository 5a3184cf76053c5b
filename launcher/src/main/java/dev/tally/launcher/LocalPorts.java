package dev.tally.launcher;

/**
 * The loopback ports of the local pipeline. The defaults sit beside the usual ones (19092 for
 * Kafka, 15432 for PostgreSQL...) so that a Kafka or PostgreSQL already running here is left alone.
 */
record LocalPorts(int http, int kafka, int kafkaController, int registry, int postgres, int horizon) {

    static LocalPorts defaults() {
        return new LocalPorts(8080, 19092, 19093, 18081, 15432, 18000);
    }
}
