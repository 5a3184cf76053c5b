package dev.tally.metering.query;

import io.micronaut.serde.annotation.Serdeable;

/** The error body of every module: {@code {"error":{"code":...,"message":...,"field":...}}}. */
@Serdeable
public record ErrorBody(Detail error) {

    /** The error itself; {@code field} only when one request field is at fault. */
    @Serdeable
    public record Detail(String code, String message, String field) {}

    static ErrorBody of(MeteringException e) {
        return new ErrorBody(new Detail(e.code().code(), e.getMessage(), e.field()));
    }
}
