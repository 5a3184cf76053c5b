package dev.tally.billing.meter;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tally.billing.web.ApiKeyPrincipal;
import dev.tally.billing.web.Authenticator;
import dev.tally.billing.web.Inputs;
import dev.tally.billing.web.JsonBodies;
import dev.tally.billing.web.Page;
import dev.tally.billing.web.PageRequest;
import dev.tally.billing.web.Scopes;
import dev.tally.schemas.avro.Aggregation;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/**
 * The meter catalog of an organization, in the mode of the calling key: create and archive with
 * {@code billing:write}, read with {@code billing:read}.
 */
@Controller("/v1/meters")
@ExecuteOn(TaskExecutors.BLOCKING)
public final class MeterController {

    private final MeterService meters;
    private final Authenticator auth;
    private final JsonBodies json;

    public MeterController(MeterService meters, Authenticator auth, JsonBodies json) {
        this.meters = meters;
        this.auth = auth;
        this.json = json;
    }

    /** {@code {"feature","aggregation","valueProperty"}}; {@code value_property} is accepted too. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record CreateMeter(
            @Nullable String feature,
            @Nullable String aggregation,
            @Nullable @JsonAlias("value_property") String valueProperty) {}

    /** A meter; {@code active} is false once archived. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record MeterView(
            String id,
            String feature,
            String aggregation,
            @Nullable String valueProperty,
            boolean livemode,
            boolean active,
            String createdAt,
            @Nullable String archivedAt) {
        static MeterView of(Meter m) {
            return new MeterView(
                    m.id(),
                    m.feature(),
                    Meter.text(m.aggregation()),
                    m.valueProperty(),
                    m.livemode(),
                    m.archivedAt() == null,
                    m.createdAt().toString(),
                    text(m.archivedAt()));
        }
    }

    @Post(consumes = MediaType.ALL)
    public HttpResponse<MeterView> create(
            @Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization, @Body @Nullable byte[] body) {
        ApiKeyPrincipal key = auth.requireKey(authorization, Scopes.BILLING_WRITE);
        CreateMeter request = json.read(body, CreateMeter.class);
        String feature = MeterRules.feature(request.feature());
        Aggregation aggregation = MeterRules.aggregation(request.aggregation());
        String property = MeterRules.valueProperty(aggregation, request.valueProperty());
        return HttpResponse.created(
                MeterView.of(meters.create(key.organizationId(), key.livemode(), feature, aggregation, property)));
    }

    /** A page of active meters, oldest first; {@code includeArchived=true} adds the archived ones. */
    @Get
    public Page<MeterView> list(
            @Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization,
            @QueryValue @Nullable String includeArchived,
            @QueryValue @Nullable String limit,
            @QueryValue @Nullable String startingAfter) {
        ApiKeyPrincipal key = auth.requireKey(authorization, Scopes.BILLING_READ);
        boolean archived = Inputs.optionalBoolean("includeArchived", includeArchived);
        PageRequest page = PageRequest.of(limit, startingAfter);
        return Page.of(meters.meters(key.organizationId(), key.livemode(), archived, page), page, MeterView::of);
    }

    @Get("/{id}")
    public MeterView get(@Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization, @PathVariable String id) {
        ApiKeyPrincipal key = auth.requireKey(authorization, Scopes.BILLING_READ);
        return MeterView.of(meters.meter(key.organizationId(), key.livemode(), id));
    }

    /** Archives the meter; archiving it again answers the same archived meter. */
    @Post(uri = "/{id}/archive", consumes = MediaType.ALL)
    public MeterView archive(
            @Header(HttpHeaders.AUTHORIZATION) @Nullable String authorization, @PathVariable String id) {
        ApiKeyPrincipal key = auth.requireKey(authorization, Scopes.BILLING_WRITE);
        return MeterView.of(meters.archive(key.organizationId(), key.livemode(), id));
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
