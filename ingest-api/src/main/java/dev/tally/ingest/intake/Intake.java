package dev.tally.ingest.intake;

import dev.tally.ingest.ErrorCode;
import dev.tally.ingest.IngestException;
import dev.tally.ingest.IngestSettings;
import dev.tally.ingest.auth.ApiKeyPrincipal;
import dev.tally.ingest.event.EventIds;
import dev.tally.ingest.event.EventInput;
import dev.tally.ingest.event.ParsedEvent;
import dev.tally.ingest.event.UsageEvents;
import dev.tally.ingest.event.Violation;
import dev.tally.ingest.intake.EventResult.Status;
import dev.tally.ingest.publish.Acknowledgements;
import dev.tally.ingest.publish.EventPublisher;
import dev.tally.schemas.avro.UsageEvent;
import dev.tally.schemas.rules.EventIdentity;
import io.netty.util.internal.ThreadExecutorMap;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the events of one request, whatever its format, to their results: rejected ones are
 * answered with their reason, known duplicates are not written again, the rest are sent as one
 * reservation and answered once the broker acknowledged every one of them.
 */
@Singleton
public final class Intake {

    private static final Logger LOG = LoggerFactory.getLogger(Intake.class);

    private static final Violation ABORTED = new Violation(
            ErrorCode.BATCH_ABORTED, "not written: another event of this all-or-nothing batch was rejected", null);

    private final EventPublisher publisher;
    private final RateLimiter limiter;
    private final RecentEventIds recent;
    // For answers of requests submitted off an event loop (e.g. after waiting for the key feed).
    // Never shut down: it holds no idle threads, and the producer's close at shutdown still
    // completes the answers of events in flight through it.
    private final ExecutorService answers = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("tally-ingest-answer-", 0).factory());

    public Intake(EventPublisher publisher, RateLimiter limiter, IngestSettings settings) {
        this.publisher = publisher;
        this.limiter = limiter;
        this.recent = new RecentEventIds(settings.recentIds());
    }

    /**
     * Writes the valid events of a request and completes with one result per event, in order.
     *
     * @param atomic all-or-nothing: when any event is rejected, none is written
     * @param bodyBytes size of the request body, spread over its events for the in-flight bound
     * @throws IngestException {@code rate_limited} or {@code overloaded} before anything is written
     */
    public CompletableFuture<List<EventResult>> submit(
            ApiKeyPrincipal principal, List<ParsedEvent> events, boolean atomic, Instant now, int bodyBytes) {
        Executor answerOn = answerExecutor();
        if (events.size() == 1 && events.get(0) instanceof ParsedEvent.Valid valid) {
            return submitOne(principal, valid.event(), now, bodyBytes, answerOn);
        }
        EventResult[] results = new EventResult[events.size()];
        List<UsageEvent> toSend = new ArrayList<>(events.size());
        int[] positions = new int[events.size()];
        String[] identities = new String[events.size()];
        Set<String> inRequest = new HashSet<>();
        boolean anyRejected = false;
        for (int i = 0; i < results.length; i++) {
            ParsedEvent parsed = events.get(i);
            if (parsed instanceof ParsedEvent.Rejected rejected) {
                results[i] = new EventResult(i, rejected.clientId(), Status.REJECTED, rejected.violation());
                anyRejected = true;
                continue;
            }
            EventInput input = ((ParsedEvent.Valid) parsed).event();
            String id = input.id() != null ? input.id() : EventIds.next();
            String identity = EventIdentity.key(principal.organizationId(), principal.livemode(), input.customer(), id);
            if (recent.contains(identity) || !inRequest.add(identity)) {
                results[i] = new EventResult(i, id, Status.DUPLICATE, null);
                continue;
            }
            positions[toSend.size()] = i;
            identities[toSend.size()] = identity;
            toSend.add(UsageEvents.of(input, id, principal, now));
        }
        if (atomic && anyRejected) {
            for (int j = 0; j < toSend.size(); j++) {
                results[positions[j]] =
                        new EventResult(positions[j], toSend.get(j).getEventId(), Status.REJECTED, ABORTED);
            }
            return done(results);
        }
        if (toSend.isEmpty()) {
            return done(results);
        }
        limiter.acquire(principal.keyHash(), toSend.size());
        int[] sizes = new int[toSend.size()];
        Arrays.fill(sizes, Math.max(1, bodyBytes / results.length));
        Pending pending = new Pending(results, positions, identities, toSend, answerOn);
        publisher.publishAll(toSend, sizes, pending);
        return pending.answer;
    }

    /**
     * The results of one batch as its events are acknowledged, answered once the last one is: one
     * object per request rather than futures per event.
     */
    private final class Pending implements Acknowledgements {
        private final EventResult[] results;
        private final int[] positions;
        private final String[] identities;
        private final List<UsageEvent> sent;
        private final Executor answerOn;
        private final AtomicInteger remaining;
        private final CompletableFuture<List<EventResult>> answer = new CompletableFuture<>();

        Pending(EventResult[] results, int[] positions, String[] identities, List<UsageEvent> sent, Executor answerOn) {
            this.results = results;
            this.positions = positions;
            this.identities = identities;
            this.sent = sent;
            this.answerOn = answerOn;
            this.remaining = new AtomicInteger(sent.size());
        }

        @Override
        public void acknowledged(int index) {
            recent.add(identities[index]);
            int position = positions[index];
            results[position] = new EventResult(position, sent.get(index).getEventId(), Status.ACCEPTED, null);
            countDown();
        }

        @Override
        public void failed(int index, IngestException failure) {
            int position = positions[index];
            results[position] =
                    new EventResult(position, sent.get(index).getEventId(), Status.REJECTED, Violation.of(failure));
            countDown();
        }

        private void countDown() {
            // The last decrement sees every result written before the others' decrements.
            if (remaining.decrementAndGet() == 0) {
                try {
                    answerOn.execute(() -> answer.complete(Arrays.asList(results)));
                } catch (RejectedExecutionException e) {
                    // The event loop is shutting down: complete here rather than lose the answer.
                    answer.complete(Arrays.asList(results));
                }
            }
        }
    }

    /** The one-event request, the most frequent: the batch path's bookkeeping without its collections. */
    private CompletableFuture<List<EventResult>> submitOne(
            ApiKeyPrincipal principal, EventInput input, Instant now, int bodyBytes, Executor answerOn) {
        String id = input.id() != null ? input.id() : EventIds.next();
        String identity = EventIdentity.key(principal.organizationId(), principal.livemode(), input.customer(), id);
        if (recent.contains(identity)) {
            return CompletableFuture.completedFuture(List.of(new EventResult(0, id, Status.DUPLICATE, null)));
        }
        limiter.acquire(principal.keyHash(), 1);
        return publisher
                .publish(UsageEvents.of(input, id, principal, now), bodyBytes)
                .handleAsync(
                        (ok, failure) -> {
                            if (failure != null) {
                                return List.of(new EventResult(0, id, Status.REJECTED, Violation.of(cause(failure))));
                            }
                            recent.add(identity);
                            return List.of(new EventResult(0, id, Status.ACCEPTED, null));
                        },
                        answerOn);
    }

    /**
     * Where the answer of a request submitted now is completed (and Micronaut writes the response):
     * the event loop of the request's connection when submitted from it, which writes the response
     * anyway; a virtual thread otherwise. Acks complete on the producer's single I/O thread, which
     * must not serialize every answer.
     */
    private Executor answerExecutor() {
        Executor loop = ThreadExecutorMap.currentExecutor();
        return loop != null ? loop : answers;
    }

    private static CompletableFuture<List<EventResult>> done(EventResult[] results) {
        return CompletableFuture.completedFuture(Arrays.asList(results));
    }

    private static IngestException cause(Throwable failure) {
        Throwable cause =
                failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof IngestException ingest) {
            return ingest;
        }
        // the cause only in the log, never in the answer
        LOG.error("publishing an event failed", cause);
        return IngestException.causedBy(ErrorCode.PUBLISH_FAILED, "the event could not be stored", cause);
    }
}
