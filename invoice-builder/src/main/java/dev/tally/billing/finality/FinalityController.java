package dev.tally.billing.finality;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tally.billing.web.Authenticator;
import dev.tally.billing.web.Scopes;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;

/**
 * {@code GET /v1/usage-finality} (key with {@code billing:read}): through when usage is final in the
 * ledger, for the whole deployment, and each usage-events partition's part in it.
 */
@Controller("/v1/usage-finality")
@ExecuteOn(TaskExecutors.BLOCKING)
public final class FinalityController {

    private final UsageFinality finality;
    private final Authenticator auth;

    public FinalityController(UsageFinality finality, Authenticator auth) {
        this.finality = finality;
        this.auth = auth;
    }

    /** Finality; {@code finalThrough} null while unknown. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record FinalityView(@Nullable String finalThrough, List<PartitionView> partitions) {}

    /**
     * One partition: {@code closedThrough}, its newest watermark (null: never reported);
     * {@code effective}, whether the ledger holds all it covers; {@code effectiveThrough}, its newest
     * watermark the ledger holds all of (null: none yet).
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record PartitionView(
            int partition, @Nullable String closedThrough, boolean effective, @Nullable String effectiveThrough) {}

    @Get
    public FinalityView finality(@Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization) {
        auth.requireKey(authorization, Scopes.BILLING_READ);
        FinalitySnapshot snapshot = finality.snapshot();
        return new FinalityView(
                snapshot.finalThrough().map(Instant::toString).orElse(null),
                snapshot.partitions().stream()
                        .map(p -> new PartitionView(
                                p.partition(), text(p.closedThrough()), p.effective(), text(p.effectiveThrough())))
                        .toList());
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
