package dev.tally.billing.draft;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tally.billing.BillingException;
import dev.tally.billing.invoice.InvoiceTransitions;
import dev.tally.billing.invoice.InvoiceViews;
import dev.tally.billing.web.ApiKeyPrincipal;
import dev.tally.billing.web.Authenticator;
import dev.tally.billing.web.Inputs;
import dev.tally.billing.web.JsonBodies;
import dev.tally.billing.web.Scopes;
import dev.tally.schemas.Decimals;
import dev.tally.schemas.rules.DecimalText;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;

/**
 * Editing a draft invoice (key with {@code billing:write}), each answering the invoice after the edit, its
 * credit line and total recomputed: 409 {@code invoice_state_conflict} with its current {@code status} once it
 * is no longer a draft, 404 for an invoice the organization does not have in this mode.
 */
@Controller("/v1/invoices")
@ExecuteOn(TaskExecutors.BLOCKING)
public final class DraftController {

    /** The longest description of a one-off line (V30 bounds it). */
    public static final int MAX_DESCRIPTION = 500;

    /** The longest memo and footer (V30 bounds them). */
    public static final int MAX_NOTE = 2000;

    /**
     * A one-off line's unit amount: a decimal in the invoice's currency, negative for a discount, below 10^12,
     * at most 9 decimal places (as a price's amounts; the line's amount is rounded to the currency).
     */
    static final DecimalText.Bounds UNIT_AMOUNT = new DecimalText.Bounds(12, 9, true);

    private final DraftEditor editor;
    private final Authenticator auth;
    private final JsonBodies json;

    public DraftController(DraftEditor editor, Authenticator auth, JsonBodies json) {
        this.editor = editor;
        this.auth = auth;
        this.json = json;
    }

    /**
     * {@code {"description","quantity","unitAmount"}}, all required: description at most {@value
     * #MAX_DESCRIPTION} characters; quantity a positive decimal string (at most 9 places); unitAmount a decimal
     * string in the invoice's currency (may be negative).
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record AddLine(@Nullable String description, @Nullable String quantity, @Nullable String unitAmount) {}

    /**
     * {@code {"memo","footer","autoFinalizeAt"}}, each optional: absent stays as it is, null (or an empty memo or
     * footer) clears it. memo and footer at most {@value #MAX_NOTE} characters; autoFinalizeAt an ISO-8601
     * instant from now to 30 days later, null: the draft waits for {@code POST …/finalize}.
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record ChangeDraft(@Nullable String memo, @Nullable String footer, @Nullable String autoFinalizeAt) {}

    /** Adds a one-off line to a draft. */
    @Post(uri = "/{id}/lines", consumes = MediaType.ALL)
    public HttpResponse<InvoiceViews.InvoiceView> addLine(
            @Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization,
            @PathVariable String id,
            @Body @Nullable byte[] body) {
        ApiKeyPrincipal key = auth.requireKey(authorization, Scopes.BILLING_WRITE);
        AddLine request = json.read(body, AddLine.class);
        String description = Inputs.withoutControls(
                "description",
                Inputs.required(
                        "description", Inputs.optionalText("description", request.description(), MAX_DESCRIPTION)));
        BigDecimal quantity = Inputs.decimal("quantity", request.quantity(), Decimals.QUANTITY_BOUNDS);
        if (quantity.signum() == 0) {
            throw BillingException.invalid("quantity", "quantity must be positive");
        }
        BigDecimal unitAmount = Inputs.decimal("unitAmount", request.unitAmount(), UNIT_AMOUNT);
        return HttpResponse.created(
                editor.addLine(target(key, id), new DraftEditor.NewLine(description, quantity, unitAmount)));
    }

    /** Removes a one-off line from a draft (400 naming {@code line} for another kind or another invoice's line). */
    @Delete(uri = "/{id}/lines/{line}", consumes = MediaType.ALL)
    public InvoiceViews.InvoiceView removeLine(
            @Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization,
            @PathVariable String id,
            @PathVariable String line) {
        ApiKeyPrincipal key = auth.requireKey(authorization, Scopes.BILLING_WRITE);
        return editor.removeLine(target(key, id), line);
    }

    /** Changes a draft's memo, footer or automatic finalization instant. */
    @Patch(uri = "/{id}", consumes = MediaType.ALL)
    public InvoiceViews.InvoiceView changeDraft(
            @Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization,
            @PathVariable String id,
            @Body @Nullable byte[] body) {
        ApiKeyPrincipal key = auth.requireKey(authorization, Scopes.BILLING_WRITE);
        JsonBodies.Partial<ChangeDraft> partial = json.readPartial(body, ChangeDraft.class);
        ChangeDraft request = partial.request();
        Optional<Optional<String>> memo =
                partial.names("memo") ? Optional.of(note("memo", request.memo())) : Optional.empty();
        Optional<Optional<String>> footer =
                partial.names("footer") ? Optional.of(note("footer", request.footer())) : Optional.empty();
        Optional<Optional<Instant>> at = partial.names("autoFinalizeAt")
                ? Optional.of(Optional.ofNullable(Inputs.optionalInstant("autoFinalizeAt", request.autoFinalizeAt())))
                : Optional.empty();
        return editor.changeFields(target(key, id), new DraftEditor.FieldsChange(memo, footer, at));
    }

    /** A memo or footer as stored: trimmed, empty for none. */
    private static Optional<String> note(String field, String value) {
        String text = Inputs.withoutControls(field, Inputs.optionalText(field, value, MAX_NOTE));
        return text == null || text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    private static InvoiceTransitions.Target target(ApiKeyPrincipal key, String id) {
        return new InvoiceTransitions.Target(key.organizationId(), key.livemode(), id);
    }
}
