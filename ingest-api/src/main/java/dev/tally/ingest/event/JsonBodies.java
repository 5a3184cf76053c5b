package dev.tally.ingest.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import dev.tally.ingest.ErrorCode;
import dev.tally.ingest.IngestException;

/**
 * How request bodies are parsed as JSON, and how a body that is not JSON is told: strict UTF-8,
 * duplicate members refused, nesting bounded, and in the answer our own words rather than the
 * parser's message (which names the library's internals and echoes the client's bytes, control
 * characters included).
 */
final class JsonBodies {

    private static final int MAX_NESTING_DEPTH = 16;

    static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING_DEPTH)
                    .build())
            .build();

    private JsonBodies() {}

    /** @throws IngestException {@code invalid_json} when {@code body} is not strict UTF-8 (see {@link Utf8}) */
    static void requireUtf8(byte[] body) {
        int malformed = Utf8.firstMalformed(body, 0, body.length, false);
        if (malformed >= 0) {
            throw new IngestException(
                    ErrorCode.INVALID_JSON, "the body is not valid UTF-8 (at byte " + malformed + ")");
        }
    }

    static IngestException invalid(JsonProcessingException e) {
        return new IngestException(ErrorCode.INVALID_JSON, "the body is not valid JSON" + where(e));
    }

    /** Where and, for the limits and duplicates, why the JSON is invalid, e.g. {@code " (at line 1, column 7)"}. */
    static String where(JsonProcessingException e) {
        String why = e instanceof StreamConstraintsException
                ? ": nested deeper than " + MAX_NESTING_DEPTH + " levels, or a number or string too long"
                : String.valueOf(e.getOriginalMessage()).startsWith("Duplicate field")
                        ? ": a member name appears twice in one object"
                        : "";
        JsonLocation location = e.getLocation();
        return location == null || location.getLineNr() < 0
                ? why
                : why + " (at line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }
}
