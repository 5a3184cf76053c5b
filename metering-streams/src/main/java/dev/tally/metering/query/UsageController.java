package dev.tally.metering.query;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.state.HostInfo;

/**
 * {@code GET /v1/usage}: a customer's usage, live, scoped by the caller's API key (scope
 * {@code usage:read}; its organization and mode). Any instance answers: the one holding the
 * customer reads its RocksDB stores, the others forward to it.
 *
 * <p>Parameters: {@code customer} (all of the organization's, merged from every instance, when
 * absent), {@code feature} (all when absent), {@code from} and
 * {@code to} (ISO-8601 instants, windows starting in {@code [from, to)}), {@code window}
 * ({@code minute|hour|day|month}, default hour), {@code time_zone} (IANA, for days and months;
 * default UTC).
 */
@Controller("/v1/usage")
@Requires(beans = UsageReader.class)
public final class UsageController {

    private final ApiKeyAuthenticator authenticator;
    private final UsageReader reader;
    private final UsageForwarder forwarder;
    private final Clock clock = Clock.systemUTC();

    public UsageController(ApiKeyAuthenticator authenticator, UsageReader reader, UsageForwarder forwarder) {
        this.authenticator = authenticator;
        this.reader = reader;
        this.forwarder = forwarder;
    }

    @Get(produces = MediaType.APPLICATION_JSON)
    @ExecuteOn(TaskExecutors.BLOCKING)
    public HttpResponse<?> usage(
            HttpRequest<?> request,
            @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
            @Nullable @Header(UsageForwarder.FORWARDED_HEADER) String forwarded,
            @Nullable @QueryValue String customer,
            @Nullable @QueryValue String feature,
            @Nullable @QueryValue String from,
            @Nullable @QueryValue String to,
            @Nullable @QueryValue String window,
            @Nullable @QueryValue("time_zone") String timeZone) {
        Caller caller = authenticator.authenticate(authorization, ApiKeyAuthenticator.USAGE_READ, clock.instant());
        QueryParameters.requireSingleValues(request.getParameters().asMap());
        UsageQuery query = UsageQuery.parse(customer, feature, from, to, window, timeZone);
        if (query.customerId() == null) {
            return HttpResponse.ok(organizationWide(request, authorization, forwarded != null, caller, query));
        }
        Optional<HostInfo> owner = reader.owner(caller, query.customerId());
        if (owner.isEmpty()) {
            return HttpResponse.ok(reader.read(caller, query));
        }
        if (forwarded != null) {
            throw new MeteringException(MeteringErrorCode.USAGE_UNAVAILABLE, "usage is being rebalanced; retry");
        }
        UsageForwarder.Answer answer =
                forwarder.forward(owner.get(), request.getUri().toString(), authorization);
        return HttpResponse.status(HttpStatus.valueOf(answer.status()))
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .body(answer.body());
    }

    /** Every customer: this instance's partitions, plus (unless forwarded) every other instance's. */
    private UsageReport organizationWide(
            HttpRequest<?> request, String authorization, boolean forwarded, Caller caller, UsageQuery query) {
        UsageReport local = reader.readLocalOrganization(caller, query);
        if (forwarded) {
            return local;
        }
        List<UsageReport> remote = forwarder.gather(
                reader.otherInstances(), request.getUri().toString(), authorization, UsageReport.class);
        return UsageReports.merge(local, remote);
    }
}
