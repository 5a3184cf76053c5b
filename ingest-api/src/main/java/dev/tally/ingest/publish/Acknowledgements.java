package dev.tally.ingest.publish;

import dev.tally.ingest.IngestException;

/**
 * What becomes of each event of one {@link EventPublisher#publishAll}, told by the event's index,
 * usually on the producer's single I/O thread: implementations must be quick and must not block.
 */
public interface Acknowledgements {

    /** The broker acknowledged event {@code index}: it is durable. */
    void acknowledged(int index);

    /** Event {@code index} was not acknowledged ({@code broker_unavailable} or {@code publish_failed}). */
    void failed(int index, IngestException failure);
}
