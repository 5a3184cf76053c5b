package dev.tally.platform.database;

import dev.tally.platform.offsets.OffsetStore;
import dev.tally.platform.outbox.Outbox;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL schema one module owns, migrated (see {@link Migrations}) as soon as it is
 * constructed, with that schema's {@link OffsetStore} and {@link Outbox}.
 *
 * <p>Each module subclasses it as a {@code @Context} bean that every repository and worker of the
 * module depends on, so the schema is migrated at start-up before anything uses it.
 */
public abstract class OwnedSchema {

    private final Jdbi jdbi;
    private final OffsetStore offsets;
    private final Outbox outbox;

    /** Migrates {@code schema} on {@code dataSource}, then serves it through {@code jdbi}. */
    protected OwnedSchema(DataSource dataSource, Jdbi jdbi, String schema) {
        int applied = Migrations.migrate(dataSource, schema);
        // logged under the module's class, as each module logged its own migrations
        LoggerFactory.getLogger(getClass()).info("schema {}: {} migrations applied", schema, applied);
        this.jdbi = jdbi;
        this.offsets = new OffsetStore(schema);
        this.outbox = new Outbox(schema);
    }

    /** The Jdbi of the shared database. */
    public final Jdbi jdbi() {
        return jdbi;
    }

    /** The consumed-offsets store of this schema. */
    public final OffsetStore offsets() {
        return offsets;
    }

    /** The transactional outbox of this schema. */
    public final Outbox outbox() {
        return outbox;
    }
}
