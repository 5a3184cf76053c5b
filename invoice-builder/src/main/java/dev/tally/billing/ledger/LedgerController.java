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
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

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

    /**
     * One statement of a window. {@code superseded}: a higher revision of the same window is in the
     * ledger, so this one no longer counts. {@code latestAt} is set for LATEST, {@code distinctValues}
     * for UNIQUE_COUNT.
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record EntryView(
            String aggregateId,
            String windowKey,
            String customer,
            String feature,
            String windowStart,
            String windowEnd,
            String aggregation,
            long revision,
            boolean superseded,
            String quantity,
            long eventCount,
            @Nullable String latestAt,
            List<String> distinctValues,
            String kind,
            boolean billed,
            @Nullable String invoiceLineId,
            String recordedAt) {
        static EntryView of(LedgerEntry e, boolean superseded) {
            return new EntryView(
                    e.aggregateId(),
                    e.windowKey(),
                    e.customer(),
                    e.feature(),
                    e.windowStart().toString(),
                    e.windowEnd().toString(),
                    e.aggregation().name().toLowerCase(Locale.ROOT),
                    e.revision(),
                    superseded,
                    e.quantity().toPlainString(),
                    e.eventCount(),
                    e.latestAt() == null ? null : e.latestAt().toString(),
                    e.distinctValues(),
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
        String external = Inputs.customer("customer", customer);
        List<LedgerEntry> rows = database.jdbi()
                .withHandle(handle -> new LedgerDao(handle).entries(key.organizationId(), key.livemode(), external));
        // every revision of a customer's window is in this list: the window key includes the customer
        Set<Long> current =
                UsageMerge.latestRevisions(rows).stream().map(LedgerEntry::id).collect(Collectors.toSet());
        List<EntryView> entries = rows.stream()
                .map(row -> EntryView.of(row, !current.contains(row.id())))
                .toList();
        return new LedgerView(external, entries);
    }
}
