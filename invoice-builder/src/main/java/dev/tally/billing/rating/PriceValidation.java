package dev.tally.billing.rating;

import java.util.List;

/** The outcome of {@link PriceValidator#validate}: a definition, or every problem with the input. */
public sealed interface PriceValidation {

    /** The input is a valid price; {@code price} is what it defines, with defaults filled in. */
    record Valid(PriceDefinition price) implements PriceValidation {}

    /**
     * The input is not a valid price; {@code problems} lists each, in the order they are checked:
     * currency, model, which parameters the model needs and refuses, each parameter, the period.
     */
    record Invalid(List<FieldProblem> problems) implements PriceValidation {
        public Invalid {
            problems = List.copyOf(problems);
            if (problems.isEmpty()) {
                throw new IllegalArgumentException("an invalid price has at least one problem");
            }
        }
    }
}
