package dev.tally.metering.query;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;

/**
 * The answer to a usage query. {@code final_through} is the finality watermark: every window
 * ending at or before it is closed and billed as it is shown (usage arriving later reaches billing
 * as a restatement of the window and is included here too). {@code customer} is null for an organization-wide
 * answer (rows name their customer).
 */
@Serdeable
public record UsageReport(
        @JsonProperty("organization") String organizationId,
        boolean livemode,
        @JsonProperty("customer") String customerId,
        String window,
        @JsonProperty("time_zone") String timeZone,
        Instant from,
        Instant to,
        @JsonProperty("final_through") Instant finalThrough,
        // no usage is still an answer: "data": [] rather than no field
        @JsonInclude(JsonInclude.Include.ALWAYS) List<Row> data) {

    /**
     * One customer's feature in one window: the aggregation it is metered with ({@code sum},
     * {@code count}, {@code min}, {@code max}, {@code latest}, {@code unique_count}) and the
     * quantity under it as an exact decimal string.
     */
    @Serdeable
    public record Row(
            String customer,
            String feature,
            String aggregation,
            @JsonProperty("window_start") Instant windowStart,
            @JsonProperty("window_end") Instant windowEnd,
            String quantity,
            @JsonProperty("event_count") long eventCount,
            @JsonProperty("final") boolean isFinal) {}
}
