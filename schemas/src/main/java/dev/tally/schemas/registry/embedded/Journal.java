package dev.tally.schemas.registry.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The registry's persistence: one JSON line per registration or compatibility change, appended and
 * synced before the change becomes visible, replayed in order on start. Ids are therefore stable
 * across restarts, which keeps records already on the topics readable.
 */
final class Journal {

    /** One line of the journal. */
    sealed interface Entry {}

    /** {@code schema} became {@code version} of {@code subject} with global {@code id}. */
    record Registered(String subject, int version, int id, String schema) implements Entry {}

    /** The compatibility level of {@code subject} (or the global one when it is null) became {@code level}. */
    record LevelChanged(String subject, CompatibilityLevel level) implements Entry {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    private Journal(Path file) {
        this.file = file;
    }

    /**
     * Opens (creating it and its directories if needed) the journal at {@code file}. A last line
     * left incomplete by a crash mid-write is cut off: that change was never acknowledged.
     */
    static Journal open(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (FileChannel channel = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                channel.truncate(lengthUpToLastNewline(channel));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the schema registry journal " + file, e);
        }
        return new Journal(file);
    }

    private static long lengthUpToLastNewline(FileChannel channel) throws IOException {
        long position = channel.size();
        ByteBuffer one = ByteBuffer.allocate(1);
        while (position > 0) {
            one.clear();
            channel.read(one, position - 1);
            if (one.get(0) == '\n') {
                return position;
            }
            position--;
        }
        return 0;
    }

    /** Every entry, oldest first. */
    List<Entry> readAll() {
        List<Entry> entries = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the schema registry journal " + file, e);
        }
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                entries.add(parse(lines.get(i), i + 1));
            }
        }
        return entries;
    }

    private Entry parse(String line, int number) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (IOException e) {
            throw new IllegalStateException(file + " line " + number + " is not JSON: " + e.getMessage(), e);
        }
        String kind = node.path("kind").asText();
        return switch (kind) {
            case "schema" ->
                new Registered(
                        node.path("subject").asText(),
                        node.path("version").asInt(),
                        node.path("id").asInt(),
                        node.path("schema").asText());
            case "config" ->
                new LevelChanged(
                        node.hasNonNull("subject") ? node.get("subject").asText() : null,
                        CompatibilityLevel.parse(node.path("compatibility").asText())
                                .orElseThrow(() -> new IllegalStateException(
                                        file + " line " + number + ": unknown compatibility level")));
            default ->
                throw new IllegalStateException(file + " line " + number + ": unknown entry kind '" + kind + "'");
        };
    }

    /** Appends {@code entry} and syncs it to disk before returning. */
    void append(Entry entry) {
        ObjectNode node = JSON.createObjectNode();
        switch (entry) {
            case Registered r ->
                node.put("kind", "schema")
                        .put("subject", r.subject())
                        .put("version", r.version())
                        .put("id", r.id())
                        .put("schema", r.schema());
            case LevelChanged c ->
                node.put("kind", "config")
                        .put("subject", c.subject())
                        .put("compatibility", c.level().name());
        }
        byte[] line = (node + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            Files.write(file, line, StandardOpenOption.APPEND, StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the schema registry journal " + file, e);
        }
    }
}
