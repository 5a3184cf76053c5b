package dev.tally.billing.rating;

import java.util.Objects;

/**
 * One problem with one field of a request, for a 400 that names every field at once.
 *
 * @param path the field's path in the JSON body: {@code packageSize}, {@code tiers}, {@code
 *     tiers[2].upTo} (tiers counted from 0)
 * @param code why, machine-readable
 * @param message why, for a person; it names the path and never echoes the value
 */
public record FieldProblem(String path, ProblemCode code, String message) {

    public FieldProblem {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }
}
