package dev.tally.metering.query;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.time.Clock;
import java.util.List;

/**
 * {@code GET /v1/events/rejected}: the events metering accepted from usage-events and then could
 * not count (each also a dead letter on usage-rejected), scoped by the caller's API key (scope
 * {@code usage:read}; its organization and mode). Any instance answers, gathering every
 * instance's part as the organization-wide usage query does.
 *
 * <p>Parameters: {@code customer} (all of the organization's when absent), {@code from} and {@code
 * to} (ISO-8601 instants of rejection, {@code [from, to)}; unbounded when absent; rejections are
 * kept for the dedup horizon), {@code limit} (1 to 1000, default 100).
 */
@Controller("/v1/events/rejected")
@Requires(beans = {RejectedEventsReader.class, UsageReader.class})
public final class RejectedEventsController {

    private final ApiKeyAuthenticator authenticator;
    private final RejectedEventsReader reader;
    private final UsageReader instances;
    private final UsageForwarder forwarder;
    private final Clock clock = Clock.systemUTC();

    public RejectedEventsController(
            ApiKeyAuthenticator authenticator,
            RejectedEventsReader reader,
            UsageReader instances,
            UsageForwarder forwarder) {
        this.authenticator = authenticator;
        this.reader = reader;
        this.instances = instances;
        this.forwarder = forwarder;
    }

    @Get(produces = MediaType.APPLICATION_JSON)
    @ExecuteOn(TaskExecutors.BLOCKING)
    public RejectedEventsPage rejected(
            HttpRequest<?> request,
            @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
            @Nullable @Header(UsageForwarder.FORWARDED_HEADER) String forwarded,
            @Nullable @QueryValue String customer,
            @Nullable @QueryValue String from,
            @Nullable @QueryValue String to,
            @Nullable @QueryValue String limit) {
        Caller caller = authenticator.authenticate(authorization, ApiKeyAuthenticator.USAGE_READ, clock.instant());
        QueryParameters.requireSingleValues(request.getParameters().asMap());
        RejectedEventsQuery query = RejectedEventsQuery.parse(customer, from, to, limit);
        RejectedEventsPage local = reader.readLocal(caller, query);
        if (forwarded != null) {
            return local;
        }
        List<RejectedEventsPage> remote = forwarder.gather(
                instances.otherInstances(), request.getUri().toString(), authorization, RejectedEventsPage.class);
        return RejectedEventsPage.merge(local, remote, query.limit());
    }
}
