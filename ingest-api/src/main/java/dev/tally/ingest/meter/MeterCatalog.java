package dev.tally.ingest.meter;

import dev.tally.schemas.avro.MeterDefinition;
import dev.tally.schemas.topic.Keys;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The active meters of every organization and mode, by feature, as read from the compacted meters
 * topic. Held per organization and mode so that the per-event lookup is two map reads and
 * allocates nothing; an archived meter is dropped (its feature is unknown again).
 */
@Singleton
public final class MeterCatalog {

    private final Map<String, Modes> byOrganization = new ConcurrentHashMap<>();

    /** The active meters of an organization in one mode, by feature (empty when it has none). */
    public Map<String, MeterDefinition> active(String organizationId, boolean livemode) {
        Modes modes = byOrganization.get(organizationId);
        return modes == null ? Map.of() : modes.of(livemode);
    }

    /**
     * Records the latest state of the meter with key {@code key} ({@link Keys#meter}); a null
     * definition (a tombstone) forgets it. The key decides where it is filed, as it decides what
     * compaction keeps.
     */
    public void apply(String key, MeterDefinition definition) {
        Keys.MeterKey parsed = Keys.parseMeter(key);
        if (parsed == null) {
            return;
        }
        if (definition == null || definition.getArchivedAt() != null) {
            Modes modes = byOrganization.get(parsed.organizationId());
            if (modes != null) {
                modes.of(parsed.livemode()).remove(parsed.feature());
            }
            return;
        }
        byOrganization
                .computeIfAbsent(parsed.organizationId(), organization -> new Modes())
                .of(parsed.livemode())
                .put(parsed.feature(), definition);
    }

    /** How many active meters are known, all organizations and modes. */
    public int size() {
        int size = 0;
        for (Modes modes : byOrganization.values()) {
            size += modes.live.size() + modes.test.size();
        }
        return size;
    }

    /** Test and live meters never mix. */
    private static final class Modes {
        private final Map<String, MeterDefinition> live = new ConcurrentHashMap<>();
        private final Map<String, MeterDefinition> test = new ConcurrentHashMap<>();

        Map<String, MeterDefinition> of(boolean livemode) {
            return livemode ? live : test;
        }
    }
}
