package dev.tally.schemas.registry.embedded;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.avro.Schema;

/**
 * The registry's state: subjects with their versions, globally unique schema ids, and compatibility
 * levels. Like Confluent's, an id belongs to a schema, not to a subject: the same schema under two
 * subjects has one id. Schemas are compared in Avro's normalised JSON form ({@link Schema#toString()}).
 *
 * <p>All methods are synchronized: registrations are rare and must be serial (an id is decided
 * from everything registered before it).
 */
final class SchemaStore {

    /** One version of a subject. */
    record Version(String subject, int version, int id, Schema schema) {

        String schemaText() {
            return schema.toString();
        }
    }

    private final Map<String, List<Version>> subjects = new TreeMap<>();
    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<String, Integer> idsBySchemaText = new HashMap<>();
    private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
    private CompatibilityLevel globalLevel = CompatibilityLevel.BACKWARD;
    private int nextId = 1;
    /** Null when the registry keeps nothing across restarts. */
    private final Journal journal;

    private SchemaStore(Journal journal) {
        this.journal = journal;
    }

    /** A store that forgets everything when the process ends. */
    static SchemaStore inMemory() {
        return new SchemaStore(null);
    }

    /** A store that replays {@code journal} now and appends every later change to it. */
    static SchemaStore replaying(Journal journal) {
        SchemaStore store = new SchemaStore(journal);
        for (Journal.Entry entry : journal.readAll()) {
            switch (entry) {
                case Journal.Registered r ->
                    store.apply(new Version(r.subject(), r.version(), r.id(), Schemas.parse(r.schema())));
                case Journal.LevelChanged c -> store.applyLevel(c.subject(), c.level());
            }
        }
        return store;
    }

    /**
     * Registers {@code schema} under {@code subject}, or returns the version it already is there.
     *
     * @throws RegistryError 409 when the subject's compatibility level refuses it
     */
    synchronized Version register(String subject, Schema schema) {
        Optional<Version> existing = find(subject, schema);
        if (existing.isPresent()) {
            return existing.get();
        }
        List<String> problems = levelFor(subject).problems(schema, schemasOf(subject));
        if (!problems.isEmpty()) {
            throw RegistryError.incompatible(subject, problems);
        }
        List<Version> versions = subjects.getOrDefault(subject, List.of());
        int version = versions.isEmpty() ? 1 : versions.getLast().version() + 1;
        int id = idsBySchemaText.getOrDefault(schema.toString(), nextId);
        Version registered = new Version(subject, version, id, schema);
        if (journal != null) {
            journal.append(new Journal.Registered(subject, version, id, registered.schemaText()));
        }
        apply(registered);
        return registered;
    }

    private void apply(Version version) {
        subjects.computeIfAbsent(version.subject(), s -> new ArrayList<>()).add(version);
        schemasById.putIfAbsent(version.id(), version.schema());
        idsBySchemaText.putIfAbsent(version.schemaText(), version.id());
        nextId = Math.max(nextId, version.id() + 1);
    }

    /** The version of {@code subject} that is {@code schema}, if it was registered there. */
    synchronized Optional<Version> find(String subject, Schema schema) {
        String text = schema.toString();
        return subjects.getOrDefault(subject, List.of()).stream()
                .filter(v -> v.schemaText().equals(text))
                .findFirst();
    }

    synchronized Optional<Schema> schemaById(int id) {
        return Optional.ofNullable(schemasById.get(id));
    }

    synchronized List<String> subjects() {
        return List.copyOf(subjects.keySet());
    }

    /** The versions of {@code subject}, oldest first; empty when it does not exist. */
    synchronized List<Version> versions(String subject) {
        return List.copyOf(subjects.getOrDefault(subject, List.of()));
    }

    private List<Schema> schemasOf(String subject) {
        return subjects.getOrDefault(subject, List.of()).stream()
                .map(Version::schema)
                .toList();
    }

    /** The level that decides for {@code subject}: its own if set, else the global one. */
    synchronized CompatibilityLevel levelFor(String subject) {
        return subjectLevels.getOrDefault(subject, globalLevel);
    }

    synchronized Optional<CompatibilityLevel> subjectLevel(String subject) {
        return Optional.ofNullable(subjectLevels.get(subject));
    }

    synchronized CompatibilityLevel globalLevel() {
        return globalLevel;
    }

    /** Sets the level of {@code subject}, or the global level when {@code subject} is null. */
    synchronized void setLevel(String subject, CompatibilityLevel level) {
        if (journal != null) {
            journal.append(new Journal.LevelChanged(subject, level));
        }
        applyLevel(subject, level);
    }

    private void applyLevel(String subject, CompatibilityLevel level) {
        if (subject == null) {
            globalLevel = level;
        } else {
            subjectLevels.put(subject, level);
        }
    }
}
