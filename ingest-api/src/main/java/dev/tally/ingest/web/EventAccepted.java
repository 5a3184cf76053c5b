package dev.tally.ingest.web;

import dev.tally.ingest.intake.EventResult;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import java.nio.charset.StandardCharsets;

/**
 * The answer to a single event: 202 {@code {"id":"…","status":"accepted"}} (or {@code duplicate}:
 * an event with this id was already accepted and is not written again). Rendered by hand: it is the
 * answer of every single-event request, and JSON data binding allocated more per request than
 * reading the event did.
 */
final class EventAccepted {

    private EventAccepted() {}

    static HttpResponse<byte[]> response(String id, EventResult.Status status) {
        StringBuilder json = new StringBuilder(id.length() + 32).append("{\"id\":");
        quote(id, json);
        json.append(",\"status\":\"").append(status.json()).append("\"}");
        return HttpResponse.<byte[]>accepted()
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .body(json.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Appends {@code text} as a JSON string. Ids are checked to be visible ASCII at ingest, so only
     * quotes and backslashes (possible in a CloudEvent's source) need escaping.
     */
    static void quote(String text, StringBuilder json) {
        json.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                json.append('\\');
            }
            json.append(c);
        }
        json.append('"');
    }
}
