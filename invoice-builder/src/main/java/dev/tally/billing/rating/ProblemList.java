package dev.tally.billing.rating;

import dev.tally.schemas.rules.DecimalText;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** The problems found so far in one input, and the decimal reading that reports into it. */
final class ProblemList {

    private final List<FieldProblem> problems = new ArrayList<>();

    void add(String path, ProblemCode code, String message) {
        problems.add(new FieldProblem(path, code, message));
    }

    boolean isEmpty() {
        return problems.isEmpty();
    }

    List<FieldProblem> all() {
        return List.copyOf(problems);
    }

    /**
     * {@code text} read by the project's one parser within {@code bounds}, at {@code bounds}' scale;
     * null (with the problem added) when refused, and null when {@code text} is null.
     */
    BigDecimal decimal(String path, String text, DecimalText.Bounds bounds) {
        if (text == null) {
            return null;
        }
        try {
            return DecimalText.parse(path, text, bounds).setScale(bounds.maxScale());
        } catch (DecimalText.DecimalTextException e) {
            // the parser's message names the path and the bound, never the text
            add(path, code(e.problem()), e.getMessage());
            return null;
        }
    }

    private static ProblemCode code(DecimalText.Problem problem) {
        return switch (problem) {
            case MALFORMED -> ProblemCode.MALFORMED;
            case NEGATIVE -> ProblemCode.NEGATIVE;
            case TOO_LARGE -> ProblemCode.TOO_LARGE;
            case TOO_MANY_DECIMALS -> ProblemCode.TOO_MANY_DECIMALS;
        };
    }
}
