package dev.tally.billing.ledger;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tally.billing.BillingDatabase;
import dev.tally.billing.web.ApiKeyPrincipal;
import dev.tally.billing.web.Authenticator;
import dev.tally.billing.web.Inputs;
import dev.tally.billing.web.Scopes;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/** {@code GET /v1/ledger?customer=}: a customer's recorded usage (key with {@code billing:read}). */
@Controller("/v1/ledger")
@ExecuteOn(TaskExecutors.BLOCKING)
public final class LedgerController {

    private final BillingDatabase database;
    private final Authenticator auth;

    public LedgerController(BillingDatabase database, Authenticator auth) {
        this.database = database;
        this.auth = auth;
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record EntryView(
            String aggregateId,
            String customer,
            String feature,
            String windowStart,
            String windowEnd,
            String quantity,
            long eventCount,
            String kind,
            boolean billed,
            @Nullable String invoiceLineId,
            String recordedAt) {
        static EntryView of(LedgerEntry e) {
            return new EntryView(
                    e.aggregateId(),
                    e.customer(),
                    e.feature(),
                    e.windowStart().toString(),
                    e.windowEnd().toString(),
                    e.quantity().toPlainString(),
                    e.eventCount(),
                    e.kind(),
                    e.invoiceLineId() != null,
                    e.invoiceLineId(),
                    e.recordedAt().toString());
        }
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record LedgerView(String customer, List<EntryView> entries) {}

    /** {@code customer} is the id the organization's apps use in usage events. */
    @Get
    public LedgerView ledger(
            @Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization, @QueryValue @Nullable String customer) {
        ApiKeyPrincipal key = auth.requireKey(authorization, Scopes.BILLING_READ);
        String external = Inputs.identifier("customer", customer);
        List<EntryView> entries = database
                .jdbi()
                .withHandle(handle -> new LedgerDao(handle).entries(key.organizationId(), key.livemode(), external))
                .stream()
                .map(EntryView::of)
                .toList();
        return new LedgerView(external, entries);
    }
}
