package dev.tally.ingest.meter;

import dev.tally.ingest.ErrorCode;
import dev.tally.ingest.IngestException;
import dev.tally.ingest.IngestSettings;
import dev.tally.ingest.auth.ApiKeyPrincipal;
import dev.tally.ingest.event.EventInput;
import dev.tally.ingest.event.ParsedEvent;
import dev.tally.ingest.event.Quantities;
import dev.tally.ingest.event.Violation;
import dev.tally.ingest.state.StateFeed;
import dev.tally.schemas.avro.MeterDefinition;
import dev.tally.schemas.avro.UnknownFeaturePolicy;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The checks that depend on the organization's meters, run once the key (organization and mode) is
 * known:
 *
 * <ul>
 *   <li>a feature with no active meter in the key's mode is rejected {@code unknown_feature} when the
 *       organization's policy is REJECT, and accepted otherwise (metering counts it with SUM);
 *   <li>a SUM, MIN, MAX or LATEST meter with a value property needs that property as an exact decimal
 *       within the bounds of a quantity ({@code missing_property} / {@code invalid_property});
 *   <li>a UNIQUE_COUNT meter needs its property, not empty; COUNT reads nothing.
 * </ul>
 *
 * Retractions are not checked against meters: they cancel an event that was accepted under the
 * meters of its time, whatever has changed since.
 *
 * <p>A meter created a moment ago may not be read yet: before rejecting an unknown feature the check
 * waits (without blocking a thread, up to {@code key-lookup-timeout}) until the feed has read
 * everything published before, like an unknown API key.
 */
@Singleton
public final class MeterRules {

    private final MeterCatalog catalog;
    private final OrganizationPolicies policies;
    private final StateFeed feed;
    private final long catchUpMillis;

    public MeterRules(MeterCatalog catalog, OrganizationPolicies policies, StateFeed feed, IngestSettings settings) {
        this.catalog = catalog;
        this.policies = policies;
        this.feed = feed;
        this.catchUpMillis = settings.keyLookupTimeout().toMillis();
    }

    /**
     * {@code events} with those the meters refuse turned into rejections (the same list when none is).
     */
    public CompletionStage<List<ParsedEvent>> check(ApiKeyPrincipal principal, List<ParsedEvent> events) {
        Checked checked = checkNow(principal, events);
        if (!checked.unknownFeature() || !feed.isReady()) {
            return CompletableFuture.completedFuture(checked.events());
        }
        return feed.catchUp()
                .orTimeout(catchUpMillis, TimeUnit.MILLISECONDS)
                .handle((caughtUp, failure) -> checkNow(principal, events).events());
    }

    private record Checked(List<ParsedEvent> events, boolean unknownFeature) {}

    private Checked checkNow(ApiKeyPrincipal principal, List<ParsedEvent> events) {
        Map<String, MeterDefinition> meters = catalog.active(principal.organizationId(), principal.livemode());
        boolean rejectUnknown = policies.unknownFeature(principal.organizationId()) == UnknownFeaturePolicy.REJECT;
        if (meters.isEmpty() && !rejectUnknown) {
            // Most organizations, most of the time: nothing to check, nothing allocated.
            return new Checked(events, false);
        }
        List<ParsedEvent> result = null;
        boolean unknownFeature = false;
        for (int i = 0; i < events.size(); i++) {
            ParsedEvent parsed = events.get(i);
            Violation violation = parsed instanceof ParsedEvent.Valid valid
                    ? violation(valid.event(), meters, rejectUnknown, principal.livemode())
                    : null;
            if (violation != null && result == null) {
                result = new ArrayList<>(events.subList(0, i));
            }
            if (result != null) {
                result.add(violation == null ? parsed : new ParsedEvent.Rejected(parsed.clientId(), violation));
            }
            unknownFeature |= violation != null && violation.code() == ErrorCode.UNKNOWN_FEATURE;
        }
        return new Checked(result == null ? events : result, unknownFeature);
    }

    /** Why the meters refuse {@code event}, or null. */
    static Violation violation(
            EventInput event, Map<String, MeterDefinition> meters, boolean rejectUnknown, boolean livemode) {
        if (event.isRetraction()) {
            return null;
        }
        MeterDefinition meter = meters.get(event.feature());
        if (meter == null) {
            return rejectUnknown ? unknownFeature(event.feature(), livemode) : null;
        }
        String property = meter.getValueProperty();
        if (property == null) {
            return null;
        }
        return switch (meter.getAggregation()) {
            case COUNT -> null;
            case UNIQUE_COUNT -> distinctValue(event, property);
            case SUM, MIN, MAX, LATEST -> decimalValue(event, property);
        };
    }

    private static Violation unknownFeature(String feature, boolean livemode) {
        return new Violation(
                ErrorCode.UNKNOWN_FEATURE,
                "feature " + feature + " has no active meter in " + (livemode ? "live" : "test")
                        + " mode, and this organization rejects events for unknown features",
                "feature");
    }

    private static Violation distinctValue(EventInput event, String property) {
        String value = event.properties().get(property);
        if (value == null) {
            return missing(event, property);
        }
        return value.isEmpty()
                ? new Violation(
                        ErrorCode.INVALID_PROPERTY,
                        "property " + property + " must not be empty: the meter of " + event.feature()
                                + " counts its distinct values",
                        "properties." + property)
                : null;
    }

    private static Violation decimalValue(EventInput event, String property) {
        String value = event.properties().get(property);
        if (value == null) {
            return missing(event, property);
        }
        try {
            Quantities.parse(value, "property " + property);
            return null;
        } catch (IngestException e) {
            return new Violation(ErrorCode.INVALID_PROPERTY, e.getMessage(), "properties." + property);
        }
    }

    private static Violation missing(EventInput event, String property) {
        return new Violation(
                ErrorCode.MISSING_PROPERTY,
                "property " + property + " is required: the meter of " + event.feature() + " reads it",
                "properties." + property);
    }
}
