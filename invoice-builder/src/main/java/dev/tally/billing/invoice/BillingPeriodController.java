package dev.tally.billing.invoice;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tally.billing.BillingClock;
import dev.tally.billing.BillingDatabase;
import dev.tally.billing.web.ApiKeyPrincipal;
import dev.tally.billing.web.Authenticator;
import dev.tally.billing.web.Inputs;
import dev.tally.billing.web.JsonBodies;
import dev.tally.billing.web.Scopes;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Named;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** {@code POST /v1/billing-periods/close} (key with {@code billing:write}). */
@Controller("/v1/billing-periods")
@ExecuteOn(TaskExecutors.BLOCKING)
public final class BillingPeriodController {

    private final PeriodClose periodClose;
    private final BillingDatabase database;
    private final Authenticator auth;
    private final JsonBodies json;
    private final Clock clock;

    public BillingPeriodController(
            PeriodClose periodClose,
            BillingDatabase database,
            Authenticator auth,
            JsonBodies json,
            @Named(BillingClock.NAME) Clock clock) {
        this.periodClose = periodClose;
        this.database = database;
        this.auth = auth;
        this.json = json;
        this.clock = clock;
    }

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record ClosePeriod(@Nullable String periodStart, @Nullable String periodEnd) {}

    /**
     * A closed period: its invoices and the customers it could not invoice ({@code failures}, empty
     * when every customer was invoiced).
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record CloseView(
            String periodStart,
            String periodEnd,
            boolean created,
            List<InvoiceViews.InvoiceView> invoices,
            List<FailureView> failures) {}

    /**
     * A customer left un-invoiced: {@code code} is {@code amount_too_large}, {@code quantity_too_large}
     * or {@code usage_incomplete} (see {@link CloseFailure}).
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record FailureView(String customer, String code, String message) {
        static FailureView of(CloseFailure failure) {
            return new FailureView(failure.customerExternalId(), failure.code(), failure.message());
        }
    }

    /**
     * 201 when this call closed the period, 200 with the same invoices when it was already closed
     * (after retrying the customers an earlier close of it could not invoice).
     */
    @Post(uri = "/close", consumes = MediaType.ALL)
    public HttpResponse<CloseView> close(
            @Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization, @Body @Nullable byte[] body) {
        ApiKeyPrincipal key = auth.requireKey(authorization, Scopes.BILLING_WRITE);
        ClosePeriod request = json.read(body, ClosePeriod.class);
        Instant start = Inputs.instant("periodStart", request.periodStart());
        Instant end = Inputs.instant("periodEnd", request.periodEnd());
        PeriodClose.Result result = periodClose.close(key.organizationId(), key.livemode(), start, end);
        List<InvoiceViews.InvoiceView> invoices = database.jdbi().withHandle(handle -> result.invoices().stream()
                .map(invoice -> InvoiceController.view(handle, invoice, clock.instant()))
                .toList());
        CloseView view = new CloseView(
                start.toString(),
                end.toString(),
                result.created(),
                invoices,
                result.failures().stream().map(FailureView::of).toList());
        return result.created() ? HttpResponse.created(view) : HttpResponse.ok(view);
    }
}
