package dev.tally.billing.rating;

import dev.tally.billing.rating.PriceInput.TierInput;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** The checks of {@code tiers}: at least one, at most {@link PriceBounds#MAX_TIERS}, ascending strictly, only the last open. */
final class TierValidator {

    private TierValidator() {}

    /** The tiers {@code inputs} state, or null when any problem was added to {@code problems}. */
    static List<Tier> tiers(List<TierInput> inputs, ProblemList problems) {
        if (inputs.isEmpty()) {
            problems.add("tiers", ProblemCode.EMPTY, "tiers must hold at least one tier");
            return null;
        }
        if (inputs.size() > PriceBounds.MAX_TIERS) {
            problems.add("tiers", ProblemCode.TOO_MANY, "tiers must hold at most " + PriceBounds.MAX_TIERS + " tiers");
            return null;
        }
        List<Tier> tiers = new ArrayList<>();
        boolean valid = true;
        int highestIndex = -1; // the tier with the highest upTo so far, which the next must exceed
        BigDecimal highest = null;
        for (int i = 0; i < inputs.size(); i++) {
            String path = "tiers[" + i + "]";
            TierInput input = inputs.get(i);
            if (input == null) {
                problems.add(path, ProblemCode.REQUIRED, path + " must be a tier, not null");
                valid = false;
                continue;
            }
            boolean last = i == inputs.size() - 1;
            BigDecimal upTo = null;
            boolean upToValid = true;
            if (last && input.upTo() != null) {
                problems.add(
                        path + ".upTo",
                        ProblemCode.LAST_TIER_NOT_OPEN,
                        path + ".upTo must be null: the last tier is open, so every quantity has a tier");
                upToValid = false;
            } else if (!last && input.upTo() == null) {
                problems.add(
                        path + ".upTo",
                        ProblemCode.OPEN_TIER_NOT_LAST,
                        path + ".upTo is required: only the last tier may be open");
                upToValid = false;
            } else if (!last) {
                upTo = problems.decimal(path + ".upTo", input.upTo(), PriceBounds.QUANTITY);
                upToValid = upTo != null
                        && positive(path + ".upTo", upTo, problems)
                        && ascending(path, upTo, highestIndex, highest, problems);
                if (upToValid) {
                    highest = upTo;
                    highestIndex = i;
                }
            }
            BigDecimal unitAmount = problems.decimal(path + ".unitAmount", input.unitAmount(), PriceBounds.AMOUNT);
            BigDecimal flatAmount = problems.decimal(path + ".flatAmount", input.flatAmount(), PriceBounds.AMOUNT);
            boolean amountsValid = (input.unitAmount() == null || unitAmount != null)
                    && (input.flatAmount() == null || flatAmount != null);
            if (input.unitAmount() == null && input.flatAmount() == null) {
                problems.add(path, ProblemCode.REQUIRED, path + " needs a unitAmount, a flatAmount or both");
                amountsValid = false;
            }
            if (upToValid && amountsValid) {
                tiers.add(new Tier(upTo, unitAmount, flatAmount));
            } else {
                valid = false;
            }
        }
        return valid ? tiers : null;
    }

    private static boolean positive(String path, BigDecimal upTo, ProblemList problems) {
        if (upTo.signum() > 0) {
            return true;
        }
        problems.add(path, ProblemCode.NOT_POSITIVE, path + " must be above zero");
        return false;
    }

    private static boolean ascending(
            String path, BigDecimal upTo, int highestIndex, BigDecimal highest, ProblemList problems) {
        if (highest == null || upTo.compareTo(highest) > 0) {
            return true;
        }
        problems.add(
                path + ".upTo",
                ProblemCode.NOT_ASCENDING,
                path + ".upTo must be above tiers[" + highestIndex + "].upTo: tiers ascend strictly");
        return false;
    }
}
