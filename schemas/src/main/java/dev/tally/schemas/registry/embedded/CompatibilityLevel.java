package dev.tally.schemas.registry.embedded;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/**
 * Confluent's compatibility levels, decided by Avro's own {@link SchemaCompatibility}. BACKWARD: a
 * consumer on the new schema reads data written with the old one; FORWARD: a consumer on the old
 * schema reads data written with the new one; FULL: both. Non-transitive levels compare with the
 * latest version only, transitive ones with every version.
 */
enum CompatibilityLevel {
    NONE(false, false, false),
    BACKWARD(true, false, false),
    BACKWARD_TRANSITIVE(true, false, true),
    FORWARD(false, true, false),
    FORWARD_TRANSITIVE(false, true, true),
    FULL(true, true, false),
    FULL_TRANSITIVE(true, true, true);

    private final boolean backward;
    private final boolean forward;
    private final boolean transitive;

    CompatibilityLevel(boolean backward, boolean forward, boolean transitive) {
        this.backward = backward;
        this.forward = forward;
        this.transitive = transitive;
    }

    /** The level named {@code name} (case-insensitive), if there is one. */
    static Optional<CompatibilityLevel> parse(String name) {
        if (name == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(valueOf(name.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Why {@code candidate} may not follow {@code existing} (oldest first) under this level; empty
     * when it may.
     */
    List<String> problems(Schema candidate, List<Schema> existing) {
        if (existing.isEmpty()) {
            return List.of();
        }
        List<Schema> against = transitive ? existing : List.of(existing.getLast());
        List<String> problems = new ArrayList<>();
        for (Schema earlier : against) {
            if (backward) {
                describe(SchemaCompatibility.checkReaderWriterCompatibility(candidate, earlier), "backward", problems);
            }
            if (forward) {
                describe(SchemaCompatibility.checkReaderWriterCompatibility(earlier, candidate), "forward", problems);
            }
        }
        return problems;
    }

    private static void describe(SchemaPairCompatibility result, String direction, List<String> problems) {
        for (Incompatibility incompatibility : result.getResult().getIncompatibilities()) {
            problems.add(direction + ": " + incompatibility.getType() + " at " + incompatibility.getLocation() + ": "
                    + incompatibility.getMessage());
        }
    }
}
