package dev.tally.billing.web;

import dev.tally.billing.BillingException;
import dev.tally.billing.ErrorCode;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.uri.UriMatchInfo;
import io.micronaut.web.router.RouteAttributes;
import java.util.List;
import java.util.Map;

/**
 * Refuses, before any endpoint runs, a request whose path variables or query parameters hold
 * control characters ({@code /v1/invoices/abc%00} reached PostgreSQL, which failed on the NUL), or
 * that gives a query parameter twice (which of {@code ?limit=1&limit=1000} wins is not the
 * client's to guess): one check for every endpoint, answered with the module's error body naming
 * the variable or parameter. JSON bodies are checked where they are read ({@link JsonBodies}).
 *
 * <p>Only billing's own paths: where the services share one server (the local launcher), ingest's
 * and metering's requests keep their own checks and error codes, and ingest's hot path pays
 * nothing for this one.
 */
@ServerFilter({
    "/v1/organizations/**",
    "/v1/api-keys/**",
    "/v1/customers/**",
    "/v1/products/**",
    "/v1/prices/**",
    "/v1/subscriptions/**",
    "/v1/meters/**",
    "/v1/ledger/**",
    "/v1/billing-periods/**",
    "/v1/invoices/**",
    "/v1/credit-notes/**",
    "/v1/exports/**",
    "/v1/unbilled-usage/**"
})
public final class PathAndQueryFilter {

    /** Null to let the request through, else the 400 answering it. */
    @RequestFilter
    @Nullable
    public HttpResponse<ErrorBody> refuseHostilePathsAndQueries(HttpRequest<?> request) {
        try {
            RouteAttributes.getRouteMatch(request)
                    .filter(UriMatchInfo.class::isInstance)
                    .map(match -> ((UriMatchInfo) match).getVariableValues())
                    .ifPresent(PathAndQueryFilter::checkVariables);
            for (Map.Entry<String, List<String>> parameter : request.getParameters()) {
                String name = parameter.getKey();
                Inputs.withoutControls("query", name);
                if (parameter.getValue().size() > 1) {
                    throw new BillingException(ErrorCode.DUPLICATE_FIELD, name + " is given more than once", name);
                }
                for (String value : parameter.getValue()) {
                    Inputs.withoutControls(name, value);
                }
            }
            return null;
        } catch (BillingException refused) {
            return BillingExceptionHandler.response(refused);
        }
    }

    private static void checkVariables(Map<String, Object> variables) {
        variables.forEach((name, value) -> {
            if (value instanceof CharSequence text) {
                Inputs.withoutControls(name, text.toString());
            }
        });
    }
}
