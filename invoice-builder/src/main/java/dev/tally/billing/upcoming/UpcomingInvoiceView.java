package dev.tally.billing.upcoming;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * The upcoming invoice of a customer in one currency: what the billing cycle would invoice if each current
 * period ended with the usage of now. Nothing of it is stored.
 *
 * @param customer the customer's {@code cus_…} id
 * @param currency the currency drafted; null only for a customer with no subscription and no currency
 * @param periodStart the earliest start of the drafted subscriptions' current periods; null without any
 * @param periodEnd the latest end of those periods; null without any
 * @param asOf when the usage was read
 * @param lines the lines, in the shape of an invoice's: each subscription's lines in the order the cycle would
 *     write them, then the credit line its invoice would take ({@code credit_applied} or {@code
 *     credit_carried_forward}, by the invoices' credit rule, given the customer's credit balance and the invoices
 *     before it); subscriptions in the order the cycle bills them (by their periods' ends, then id)
 * @param totalMinor the sum of the lines' {@code amountMinor}: the sum of the invoices' totals
 * @param total {@code totalMinor} in major units
 * @param usageFreshAsOf when metering's live usage was read (every event its stream had counted by then);
 *     null when none was read
 * @param liveUsage {@code included}: metering answered, its open windows are in the usage lines (each line's
 *     {@code liveUsage} says if one is the exception); {@code unavailable}: metering could not answer (down, or
 *     the key lacks {@code usage:read}), the usage is the ledger's closed windows alone
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record UpcomingInvoiceView(
        String customer,
        @Nullable String currency,
        @Nullable String periodStart,
        @Nullable String periodEnd,
        String asOf,
        List<Line> lines,
        long totalMinor,
        String total,
        @Nullable String usageFreshAsOf,
        String liveUsage) {

    /**
     * A drafted line: {@code kind} as on invoices ({@code flat_fee}, {@code proration_credit}, {@code usage},
     * {@code adjustment}, {@code credit_applied}, …), its span and price (null on a credit line), its feature
     * (null but on usage and adjustments), and the subscription whose invoice it is on. An adjustment's {@code
     * quantity} is the difference, as invoices store it. {@code liveUsage}, on lines of a feature only: {@code
     * included} (all usage counted by now), {@code excluded} (the ledger's closed windows alone: a distinct
     * count metering cannot give exactly for this span, see the README) or {@code unavailable} (metering did
     * not answer).
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Line(
            String kind,
            String description,
            String quantity,
            long amountMinor,
            String amount,
            @Nullable String periodStart,
            @Nullable String periodEnd,
            @Nullable String price,
            @Nullable String feature,
            String subscription,
            @Nullable String liveUsage) {}
}
