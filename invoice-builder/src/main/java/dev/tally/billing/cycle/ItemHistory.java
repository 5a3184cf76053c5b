package dev.tally.billing.cycle;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The items' changes as versions: what each item stood at, from when until when. */
final class ItemHistory {

    /** Item {@code change.itemId()} as {@code change} set it, over {@code [from, until)}; {@code until} null while current. */
    record ItemVersion(ItemChange change, Instant until) {

        String itemId() {
            return change.itemId();
        }

        Instant from() {
            return change.at();
        }

        boolean heldAt(Instant instant) {
            return !instant.isBefore(from()) && (until == null || instant.isBefore(until));
        }

        Optional<TimeSpan> within(TimeSpan span) {
            Instant end = until == null ? span.to() : TimeSpan.earliest(until, span.to());
            return TimeSpan.between(TimeSpan.latest(from(), span.from()), end);
        }

        boolean bills(ItemBilling billing) {
            return change.billing() == billing && (billing == ItemBilling.USAGE || change.quantity() > 0);
        }
    }

    private static final Comparator<ItemVersion> BY_START_THEN_ITEM =
            Comparator.comparing(ItemVersion::from).thenComparing(ItemVersion::itemId);

    private final List<ItemVersion> versions;

    ItemHistory(List<ItemChange> changes) {
        Map<String, List<ItemChange>> byItem = changes.stream()
                .sorted(Comparator.comparing(ItemChange::at))
                .collect(Collectors.groupingBy(ItemChange::itemId, LinkedHashMap::new, Collectors.toList()));
        List<ItemVersion> all = new ArrayList<>();
        byItem.values().forEach(history -> all.addAll(versionsOf(history)));
        all.sort(BY_START_THEN_ITEM);
        this.versions = List.copyOf(all);
    }

    private static List<ItemVersion> versionsOf(List<ItemChange> history) {
        List<ItemVersion> versions = new ArrayList<>();
        ItemChange current = null;
        for (ItemChange change : history) {
            if (current != null && sameTerms(current, change)) {
                continue; // a change to what the item already stands at changes nothing, bills nothing
            }
            if (current != null) {
                versions.add(new ItemVersion(current, change.at()));
            }
            current = change.isRemoval() ? null : change;
        }
        if (current != null) {
            versions.add(new ItemVersion(current, null));
        }
        return versions;
    }

    private static boolean sameTerms(ItemChange current, ItemChange change) {
        return !change.isRemoval()
                && current.priceId().equals(change.priceId())
                && current.billing() == change.billing()
                && current.quantity() == change.quantity();
    }

    /** The versions held at {@code instant}, one per item at most, by item. */
    List<ItemVersion> heldAt(Instant instant) {
        return versions.stream()
                .filter(v -> v.heldAt(instant))
                .sorted(Comparator.comparing(ItemVersion::itemId))
                .toList();
    }

    /** The versions held at some instant of {@code span}, by start then item. */
    List<ItemVersion> overlapping(TimeSpan span) {
        return versions.stream().filter(v -> v.within(span).isPresent()).toList();
    }

    /** The versions that end at {@code instant} (replaced or removed then). */
    List<ItemVersion> endingAt(Instant instant) {
        return versions.stream().filter(v -> instant.equals(v.until())).toList();
    }

    /** The versions that start at {@code instant}. */
    List<ItemVersion> startingAt(Instant instant) {
        return versions.stream().filter(v -> v.from().equals(instant)).toList();
    }

    /** The distinct instants strictly inside {@code span} at which some item changes, in order. */
    List<Instant> changesInside(TimeSpan span) {
        return versions.stream()
                .flatMap(v -> v.until() == null ? Stream.of(v.from()) : Stream.of(v.from(), v.until()))
                .filter(instant -> instant.isAfter(span.from()) && instant.isBefore(span.to()))
                .distinct()
                .sorted()
                .toList();
    }
}
