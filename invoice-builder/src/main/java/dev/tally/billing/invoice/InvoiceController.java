package dev.tally.billing.invoice;

import dev.tally.billing.BillingClock;
import dev.tally.billing.BillingDatabase;
import dev.tally.billing.BillingException;
import dev.tally.billing.catalog.CatalogDao;
import dev.tally.billing.catalog.Customer;
import dev.tally.billing.web.ApiKeyPrincipal;
import dev.tally.billing.web.Authenticator;
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
import io.micronaut.http.annotation.RequestBean;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import jakarta.inject.Named;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/** Reading invoices (key with {@code billing:read}). */
@Controller("/v1/invoices")
@ExecuteOn(TaskExecutors.BLOCKING)
public final class InvoiceController {

    /** The statuses the list and the exports filter on: an invoice's, and {@code overdue}. */
    public static final Set<String> STATUSES = InvoiceFilter.STATUSES;

    private final BillingDatabase database;
    private final Authenticator auth;
    private final Clock clock;

    public InvoiceController(BillingDatabase database, Authenticator auth, @Named(BillingClock.NAME) Clock clock) {
        this.database = database;
        this.auth = auth;
        this.clock = clock;
    }

    /**
     * A page of invoices, newest first, narrowed by {@link InvoiceFilter}: {@code customer} is a customer id or
     * external id, {@code status} draft/finalized/paid/void/uncollectible or overdue (open and past due by the
     * billing clock). Lines, payment requests and payments of the page are read in one statement each.
     */
    @Get
    public Page<InvoiceViews.InvoiceView> list(
            @Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization,
            @RequestBean InvoiceFilter.Params params,
            @QueryValue @Nullable String limit,
            @QueryValue @Nullable String startingAfter) {
        ApiKeyPrincipal key = auth.requireKey(authorization, Scopes.BILLING_READ);
        InvoiceFilter.Request request = params.checked();
        PageRequest page = PageRequest.of(limit, startingAfter);
        Instant now = clock.instant();
        return database.jdbi().withHandle(handle -> {
            InvoiceFilter filter = request.in(customerId(handle, key, request.customer()), now);
            InvoicePageDao dao = handle.attach(InvoicePageDao.class);
            if (page.startingAfter() != null
                    && !dao.exists(key.organizationId(), key.livemode(), page.startingAfter())) {
                throw Page.unknownCursor();
            }
            Page<Invoice> rows = Page.of(
                    dao.invoices(key.organizationId(), key.livemode(), filter, page.startingAfter(), page.probe()),
                    page,
                    invoice -> invoice);
            return new Page<>(views(handle, rows.data(), now), rows.hasMore());
        });
    }

    /**
     * The id of the customer whose id ({@code cus_…}) or external id is {@code reference}, of the key's
     * organization and mode (null: none asked for); an unknown one is a 400 naming {@code customer}.
     */
    public static String customerId(Handle handle, ApiKeyPrincipal key, String reference) {
        if (reference == null) {
            return null;
        }
        return new CatalogDao(handle)
                .customer(key.organizationId(), key.livemode(), reference)
                .map(Customer::id)
                .orElseThrow(() -> BillingException.invalid("customer", "no customer " + reference));
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
        return views(handle, List.of(invoice), now).getFirst();
    }

    /**
     * The full views of {@code invoices} at {@code now}, in their order: their lines, payment requests and
     * payments read in one statement each, however many invoices there are.
     */
    static List<InvoiceViews.InvoiceView> views(Handle handle, List<Invoice> invoices, Instant now) {
        if (invoices.isEmpty()) {
            return List.of();
        }
        InvoiceDao dao = new InvoiceDao(handle);
        List<String> ids = invoices.stream().map(Invoice::id).toList();
        Map<String, List<InvoiceLine>> lines = dao.linesOf(ids);
        Map<String, PaymentRequest> requests = dao.paymentRequestsOf(ids);
        Map<String, List<Payment>> payments = dao.paymentsOf(ids);
        Map<String, Long> credited = dao.creditedOf(ids);
        return invoices.stream()
                .map(invoice -> InvoiceViews.of(
                        invoice,
                        lines.getOrDefault(invoice.id(), List.of()),
                        requests.get(invoice.id()),
                        payments.getOrDefault(invoice.id(), List.of()),
                        credited.getOrDefault(invoice.id(), 0L),
                        now))
                .toList();
    }
}
