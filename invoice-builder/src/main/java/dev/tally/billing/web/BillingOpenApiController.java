package dev.tally.billing.web;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Serves billing's OpenAPI document at {@code GET /v1/billing/openapi.json}, to anyone. The document
 * is written by hand (the routes read raw bodies, which generators cannot describe) and kept true
 * to the controllers and to {@link dev.tally.billing.ErrorCode} by {@code BillingOpenApiDocumentTest}.
 */
@Controller
public final class BillingOpenApiController {

    /** Where the document is on the classpath. */
    public static final String RESOURCE = "/META-INF/tally/billing-api.openapi.json";

    private final byte[] document;

    public BillingOpenApiController() {
        try (InputStream in = BillingOpenApiController.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            this.document = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The OpenAPI 3.1 document of every billing route. */
    @Get(uri = "/v1/billing/openapi.json", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<byte[]> document() {
        return HttpResponse.ok(document);
    }
}
