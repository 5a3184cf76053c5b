package dev.tally.ingest.web;

import dev.tally.ingest.IngestException;
import io.micronaut.serde.annotation.Serdeable;

/**
 * The error body of every module: {@code {"error":{"code":...,"message":...,"field":...}}}
 * ({@code field} only when one field is at fault).
 */
@Serdeable
public record ErrorBody(Detail error) {

    /** The error itself. */
    @Serdeable
    public record Detail(String code, String message, String field) {}

    static ErrorBody of(IngestException e) {
        return new ErrorBody(new Detail(e.code().code(), e.getMessage(), e.field()));
    }
}
