package dev.tally.billing.upcoming;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Metering's live usage query, seen from billing: the usage of windows still open, which the ledger does not
 * hold yet. Behind an interface because it is another service, which may be down.
 */
public interface LiveUsage {

    /**
     * The window sizes billing asks for: metering's minutes and hours as it stores them, and months (in UTC)
     * rolled up from its hours by the aggregation (a unique count as the size of the union of the hours' values).
     */
    enum Window {
        MINUTE,
        HOUR,
        MONTH;

        /** As metering's {@code window} parameter spells it. */
        String parameter() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The {@code window}s of {@code customer}'s {@code feature} starting in {@code [from, to)}, asked with the
     * caller's own {@code authorization} (so metering scopes the answer to the caller's organization and mode,
     * and a key without {@code usage:read} gets no live usage).
     *
     * @return empty when metering could not be reached or did not answer 200: the caller then bills from the
     *     ledger alone
     */
    Optional<List<LiveWindow>> windows(
            String authorization, String customer, String feature, Instant from, Instant to, Window window);
}
