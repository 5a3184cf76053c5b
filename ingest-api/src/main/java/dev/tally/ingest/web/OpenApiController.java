package dev.tally.ingest.web;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Serves the ingest API's OpenAPI document at {@code GET /v1/events/openapi.json}. The document is
 * written by hand (the routes read raw bodies, which generators cannot describe) and kept true by
 * {@code OpenApiDocumentTest}.
 */
@Controller
public class OpenApiController {

    /** Where the document is on the classpath. */
    public static final String RESOURCE = "/META-INF/tally/ingest-api.openapi.json";

    private final byte[] document;

    public OpenApiController() {
        try (InputStream in = OpenApiController.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            this.document = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The OpenAPI 3.1 document of {@code /v1/events} and {@code /v1/billing/meter_events}. */
    @Get(uri = "/v1/events/openapi.json", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<byte[]> document() {
        return HttpResponse.ok(document);
    }
}
