package dev.tally.billing.catalog;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An object of string keys and string values (a customer's metadata, a static entitlement's config) to and from
 * the JSON text of its {@code jsonb} column. Maps come back sorted by key, so an answer does not depend on the
 * order PostgreSQL keeps {@code jsonb} keys in.
 */
public final class Metadata {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private Metadata() {}

    /** An unmodifiable copy of {@code entries}, sorted by key. */
    public static SortedMap<String, String> sorted(Map<String, String> entries) {
        return Collections.unmodifiableSortedMap(new TreeMap<>(entries));
    }

    /** The JSON text of {@code entries}. */
    public static String toJson(Map<String, String> entries) {
        StringWriter text = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(text)) {
            json.writeStartObject();
            for (Map.Entry<String, String> entry : entries.entrySet()) {
                json.writeStringField(entry.getKey(), entry.getValue());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    /** The object stored by {@link #toJson} (the column's check keeps it an object). */
    public static SortedMap<String, String> fromJson(String text) {
        TreeMap<String, String> entries = new TreeMap<>();
        try (JsonParser json = JSON.createParser(text)) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalStateException("stored metadata is not a JSON object");
            }
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String key = json.currentName();
                if (json.nextToken() != JsonToken.VALUE_STRING) {
                    throw new IllegalStateException("stored metadata holds a value that is not a string");
                }
                entries.put(key, json.getText());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Collections.unmodifiableSortedMap(entries);
    }
}
