package dev.tally.billing.unbilled;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tally.billing.BillingDatabase;
import dev.tally.billing.BillingException;
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
import java.time.Instant;
import java.util.List;

/**
 * {@code GET /v1/unbilled-usage} (key with {@code billing:read}): the usage in the ledger that no
 * invoice will bill, because its customer is unknown or had no subscription rating its feature when
 * the window started. It is never dropped: it stays in the ledger, listed here, and is billed if a
 * subscription covering it is created later with a backdated start.
 */
@Controller("/v1/unbilled-usage")
@ExecuteOn(TaskExecutors.BLOCKING)
public final class UnbilledUsageController {

    private final BillingDatabase database;
    private final Authenticator auth;

    public UnbilledUsageController(BillingDatabase database, Authenticator auth) {
        this.database = database;
        this.auth = auth;
    }

    /** One unbilled window; {@code aggregateId} (its latest statement) is the cursor of the next page. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record UnbilledWindowView(
            String aggregateId,
            String customer,
            String feature,
            String windowStart,
            String windowEnd,
            String quantity,
            long eventCount,
            String reason) {
        static UnbilledWindowView of(UnbilledWindow w) {
            return new UnbilledWindowView(
                    w.aggregateId(),
                    w.customer(),
                    w.feature(),
                    w.windowStart().toString(),
                    w.windowEnd().toString(),
                    w.quantity().toPlainString(),
                    w.eventCount(),
                    w.reason().wireName());
        }
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record SummaryView(long windows, long customers, long features) {}

    /**
     * A page of unbilled windows by window start, customer and feature; {@code customer} (the id usage
     * events name), {@code feature}, {@code from} (inclusive) and {@code to} (exclusive) on the
     * window's start narrow it.
     */
    @Get
    public Page<UnbilledWindowView> list(
            @Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization,
            @QueryValue @Nullable String customer,
            @QueryValue @Nullable String feature,
            @QueryValue @Nullable String from,
            @QueryValue @Nullable String to,
            @QueryValue @Nullable String limit,
            @QueryValue @Nullable String startingAfter) {
        ApiKeyPrincipal key = auth.requireKey(authorization, Scopes.BILLING_READ);
        UnbilledQuery query = query(customer, feature, from, to);
        PageRequest page = PageRequest.of(limit, startingAfter);
        List<UnbilledWindow> rows = database.jdbi().withHandle(handle -> {
            UnbilledUsageDao dao = handle.attach(UnbilledUsageDao.class);
            if (page.startingAfter() != null
                    && !dao.exists(key.organizationId(), key.livemode(), page.startingAfter())) {
                throw Page.unknownCursor();
            }
            return dao.page(key.organizationId(), key.livemode(), query, page.startingAfter(), page.probe());
        });
        return Page.of(rows, page, UnbilledWindowView::of);
    }

    /** How many windows the list with the same filters holds, and of how many customers and features. */
    @Get("/summary")
    public SummaryView summary(
            @Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization,
            @QueryValue @Nullable String customer,
            @QueryValue @Nullable String feature,
            @QueryValue @Nullable String from,
            @QueryValue @Nullable String to) {
        ApiKeyPrincipal key = auth.requireKey(authorization, Scopes.BILLING_READ);
        UnbilledQuery query = query(customer, feature, from, to);
        UnbilledSummary summary = database.jdbi().withHandle(handle -> handle.attach(UnbilledUsageDao.class)
                .summary(key.organizationId(), key.livemode(), query));
        return new SummaryView(summary.windows(), summary.customers(), summary.features());
    }

    private static UnbilledQuery query(String customer, String feature, String from, String to) {
        Instant start = Inputs.optionalInstant("from", from);
        Instant end = Inputs.optionalInstant("to", to);
        if (start != null && end != null && !end.isAfter(start)) {
            throw BillingException.invalid("to", "to must be after from");
        }
        return new UnbilledQuery(
                customer == null ? null : Inputs.customer("customer", customer),
                feature == null ? null : Inputs.feature("feature", feature),
                start,
                end);
    }
}
