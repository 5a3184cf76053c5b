package dev.tally.billing.ledger;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tally.billing.BillingDatabase;
import dev.tally.billing.web.ApiKeyPrincipal;
import dev.tally.billing.web.Authenticator;
import dev.tally.billing.web.Inputs;
import dev.tally.billing.web.Page;
import dev.tally.billing.web.PageRequest;
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
     * ledger, so this one no longer counts. {@code latestAt} is set for LATEST. A UNIQUE_COUNT
     * statement's quantity is its number of distinct values; the values themselves are not listed (a
     * window holds up to 10,000 of them, stored as the changes each revision made).
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
                    e.kind(),
                    e.invoiceLineId() != null,
                    e.invoiceLineId(),
                    e.recordedAt().toString());
        }
    }

    /**
     * A page of a customer's statements, by window; {@code customer} is the id the organization's
     * apps use in usage events, {@code startingAfter} the {@code aggregateId} of the previous page's
     * last statement.
     */
    @Get
    public Page<EntryView> ledger(
            @Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization,
            @QueryValue @Nullable String customer,
            @QueryValue @Nullable String limit,
            @QueryValue @Nullable String startingAfter) {
        ApiKeyPrincipal key = auth.requireKey(authorization, Scopes.BILLING_READ);
        String external = Inputs.customer("customer", customer);
        PageRequest page = PageRequest.of(limit, startingAfter);
        List<LedgerPageDao.Row> rows = database.jdbi().withHandle(handle -> {
            LedgerPageDao dao = handle.attach(LedgerPageDao.class);
            if (page.startingAfter() != null
                    && !dao.exists(key.organizationId(), key.livemode(), external, page.startingAfter())) {
                throw Page.unknownCursor();
            }
            return dao.entries(key.organizationId(), key.livemode(), external, page.startingAfter(), page.probe());
        });
        return Page.of(rows, page, row -> EntryView.of(row.entry(), row.superseded()));
    }
}
