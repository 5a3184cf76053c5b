package dev.tally.testkit.stellar;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Faults a test arms on the fake Horizon, each for the next request(s) it names, to drive a client through what a
 * real Horizon does under load: a submission applied to the ledger whose answer is a 504 or never comes (the
 * client must resubmit the same envelope or look its hash up, never sign a new one), a 504 for a submission that
 * did not get in, and 429 rate limiting with {@code Retry-After}. Armed faults are used up in order.
 */
public final class HorizonFaults {

    /** What the fake does with one submission. */
    enum Submission {
        /** Applied, then answered 504 Timeout. */
        APPLIED_THEN_TIMEOUT,
        /** Not applied, answered 504 Timeout. */
        TIMEOUT_NOT_APPLIED,
        /** Applied, then the connection is closed without an answer. */
        APPLIED_THEN_DISCONNECT
    }

    private final Queue<Submission> submissions = new ConcurrentLinkedQueue<>();
    private final AtomicInteger rateLimited = new AtomicInteger();
    private volatile Duration retryAfter = Duration.ZERO;

    HorizonFaults() {}

    /** The next submission enters the ledger, but Horizon answers 504 Timeout, as when core confirms late. */
    public void nextSubmissionAppliedButTimesOut() {
        submissions.add(Submission.APPLIED_THEN_TIMEOUT);
    }

    /** The next submission is answered 504 Timeout and does not enter the ledger. */
    public void nextSubmissionTimesOutUnapplied() {
        submissions.add(Submission.TIMEOUT_NOT_APPLIED);
    }

    /** The next submission enters the ledger, and the connection drops before any answer (a client timeout). */
    public void nextSubmissionAppliedButUnanswered() {
        submissions.add(Submission.APPLIED_THEN_DISCONNECT);
    }

    /** The next {@code requests} requests, of any kind, are answered 429 with {@code Retry-After: retryAfter}. */
    public void rateLimitNext(int requests, Duration retryAfter) {
        if (requests < 1 || retryAfter.isNegative()) {
            throw new IllegalArgumentException("rate limit " + requests + " requests for " + retryAfter);
        }
        this.retryAfter = retryAfter;
        rateLimited.set(requests);
    }

    /** The fault armed for this submission, or null to handle it normally. */
    Submission takeSubmission() {
        return submissions.poll();
    }

    /** How long to ask the client to wait if this request is rate limited, or null if it is not. */
    Duration takeRateLimit() {
        int before = rateLimited.getAndUpdate(n -> Math.max(0, n - 1));
        return before > 0 ? retryAfter : null;
    }
}
