package dev.tally.billing.invoice;

import dev.tally.billing.BillingException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * How long a draft of the billing cycle stays editable before it finalizes by itself: an organization's
 * setting, an ISO-8601 duration from {@code PT0S} (finalized at once, as it is written) to {@link #MAX} (30
 * days), {@link #DEFAULT} one hour as Stripe does. Whole seconds: the database stores seconds (V30 checks the
 * same bounds). Pure.
 */
public record AutoFinalizeDelay(Duration duration) {

    /** The longest delay: a draft left a month unissued is forgotten, not being edited. */
    public static final Duration MAX = Duration.ofDays(30);

    /** The delay of an organization that sets none. */
    public static final AutoFinalizeDelay DEFAULT = new AutoFinalizeDelay(Duration.ofHours(1));

    public AutoFinalizeDelay {
        if (duration.isNegative() || duration.compareTo(MAX) > 0 || duration.getNano() != 0) {
            throw new IllegalArgumentException(
                    "an auto-finalize delay is whole seconds from 0 to 30 days: " + duration);
        }
    }

    /**
     * The delay written {@code value} in request field {@code field} ({@code PT1H}, {@code P1D}, {@code PT0S}),
     * else a 400 naming the field.
     */
    public static AutoFinalizeDelay parse(String field, String value) {
        String rule = field + " must be an ISO-8601 duration of whole seconds from PT0S to P30D, like PT1H";
        if (value == null) {
            throw BillingException.invalid(field, rule);
        }
        Duration duration;
        try {
            duration = Duration.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw BillingException.invalid(field, rule);
        }
        if (duration.isNegative() || duration.compareTo(MAX) > 0 || duration.getNano() != 0) {
            throw BillingException.invalid(field, rule);
        }
        return new AutoFinalizeDelay(duration);
    }

    /** The delay of {@code seconds} as stored. */
    public static AutoFinalizeDelay ofSeconds(long seconds) {
        return new AutoFinalizeDelay(Duration.ofSeconds(seconds));
    }

    public int seconds() {
        return (int) duration.getSeconds();
    }

    /** Whether drafts finalize as they are written (no time to edit them). */
    public boolean isImmediate() {
        return duration.isZero();
    }

    /** When a draft written at {@code createdAt} finalizes by itself. */
    public Instant after(Instant createdAt) {
        return createdAt.plus(duration);
    }

    /** As the API shows it: {@code PT1H}. */
    public String text() {
        return duration.toString();
    }
}
