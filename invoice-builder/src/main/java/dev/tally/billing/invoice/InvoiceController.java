package dev.tally.billing.invoice;

import dev.tally.billing.BillingClock;
import dev.tally.billing.BillingDatabase;
import dev.tally.billing.BillingException;
import dev.tally.billing.catalog.CatalogDao;
import dev.tally.billing.catalog.Customer;
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
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import jakarta.inject.Named;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/** Reading invoices (key with {@code billing:read}). */
@Controller("/v1/invoices")
@ExecuteOn(TaskExecutors.BLOCKING)
public final class InvoiceController {

    /** The statuses an invoice can be in, as the list and the exports filter on them. */
    public static final Set<String> STATUSES = InvoiceStatus.NAMES;

    private final BillingDatabase database;
    private final Authenticator auth;
    private final Clock clock;

    public InvoiceController(BillingDatabase database, Authenticator auth, @Named(BillingClock.NAME) Clock clock) {
        this.database = database;
        this.auth = auth;
        this.clock = clock;
    }

    /**
     * A page of invoices, newest first; {@code customer} is a customer id or external id, {@code
     * status} draft/finalized/paid/void/uncollectible.
     */
    @Get
    public Page<InvoiceViews.InvoiceView> list(
            @Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization,
            @QueryValue @Nullable String customer,
            @QueryValue @Nullable String status,
            @QueryValue @Nullable String limit,
            @QueryValue @Nullable String startingAfter) {
        ApiKeyPrincipal key = auth.requireKey(authorization, Scopes.BILLING_READ);
        if (status != null && !STATUSES.contains(status)) {
            throw BillingException.invalid("status", "status must be one of " + STATUSES);
        }
        PageRequest page = PageRequest.of(limit, startingAfter);
        return database.jdbi().withHandle(handle -> {
            String customerId = null;
            if (customer != null) {
                // a customer id (cus_…) or external id: both follow the customer rule
                customerId = new CatalogDao(handle)
                        .customer(key.organizationId(), key.livemode(), Inputs.customer("customer", customer))
                        .map(Customer::id)
                        .orElseThrow(() -> BillingException.invalid("customer", "no customer " + customer));
            }
            InvoicePageDao dao = handle.attach(InvoicePageDao.class);
            if (page.startingAfter() != null
                    && !dao.exists(key.organizationId(), key.livemode(), page.startingAfter())) {
                throw Page.unknownCursor();
            }
            List<Invoice> rows = dao.invoices(
                    key.organizationId(), key.livemode(), customerId, status, page.startingAfter(), page.probe());
            Instant now = clock.instant();
            return Page.of(rows, page, invoice -> view(handle, invoice, now));
        });
    }

    @Get("/{id}")
    public InvoiceViews.InvoiceView get(
            @Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization, @PathVariable String id) {
        ApiKeyPrincipal key = auth.requireKey(authorization, Scopes.BILLING_READ);
        return database.jdbi().withHandle(handle -> new InvoiceDao(handle)
                .invoice(key.organizationId(), key.livemode(), id)
                .map(invoice -> view(handle, invoice, clock.instant()))
                .orElseThrow(() -> BillingException.notFound("invoice " + id)));
    }

    /** The full view of {@code invoice} at {@code now}, read through {@code handle}. */
    public static InvoiceViews.InvoiceView view(Handle handle, Invoice invoice, Instant now) {
        InvoiceDao dao = new InvoiceDao(handle);
        return InvoiceViews.of(
                invoice,
                dao.lines(invoice.id()),
                dao.paymentRequest(invoice.id()).orElse(null),
                dao.payments(invoice.id()),
                now);
    }
}
