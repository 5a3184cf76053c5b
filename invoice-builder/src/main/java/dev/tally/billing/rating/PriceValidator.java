package dev.tally.billing.rating;

import dev.tally.billing.rating.PriceModel.Kind;
import dev.tally.schemas.rules.Currencies;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a {@link PriceInput} and builds its {@link PriceDefinition}, reporting every problem at
 * once, each with its field path ({@code packageSize}, {@code tiers[2].upTo}), a {@link ProblemCode}
 * and a message.
 *
 * <p>The rules:
 *
 * <ul>
 *   <li>{@code currency}: required, an ISO 4217 code in use ({@link Currencies#isKnown}); {@code
 *       model}: required, one of the {@link Kind}s;
 *   <li>each model needs its parameters and refuses the others: {@code flat} needs {@code
 *       flatAmount}; {@code per_unit} {@code unitAmount}; {@code graduated} and {@code volume} {@code
 *       tiers}; {@code package} {@code packageSize} and {@code packageAmount}; {@code percentage}
 *       {@code rate} and may have {@code fixedAmountPerEvent}. {@code freeUnits}, {@code
 *       minimumAmount} and {@code maximumAmount} belong to the usage models (all but {@code flat});
 *   <li>amounts follow {@link PriceBounds#AMOUNT}, quantities ({@code upTo}, {@code packageSize},
 *       {@code freeUnits}) {@link PriceBounds#QUANTITY}, {@code rate} is a percentage from 0 to 100;
 *       {@code packageSize} and every {@code upTo} are above zero; {@code minimumAmount} does not
 *       exceed {@code maximumAmount};
 *   <li>tiers: one to {@link PriceBounds#MAX_TIERS}, {@code upTo} ascending strictly, only the last
 *       open ({@code upTo} null); each has a {@code unitAmount}, a {@code flatAmount} or both;
 *   <li>{@code interval}: required for usage models (a period's usage is rated), optional for {@code
 *       flat} (absent: a one-time fee); {@code intervalCount} 1 (the default) to a year's worth, only
 *       with an interval; {@code billingTiming} defaults to {@code in_advance} for {@code flat} and
 *       {@code in_arrears} for usage, usage is always {@code in_arrears} and a one-time fee {@code
 *       in_advance}.
 * </ul>
 *
 * A field whose model is unknown is still checked for its shape; a field that does not belong to
 * the model is reported as {@link ProblemCode#NOT_ALLOWED} only.
 */
public final class PriceValidator {

    private static final Set<String> USAGE_TERMS = Set.of("freeUnits", "minimumAmount", "maximumAmount");

    private static final Map<Kind, Set<String>> REQUIRED = Map.of(
            Kind.FLAT, Set.of("flatAmount"),
            Kind.PER_UNIT, Set.of("unitAmount"),
            Kind.GRADUATED, Set.of("tiers"),
            Kind.VOLUME, Set.of("tiers"),
            Kind.PACKAGE, Set.of("packageSize", "packageAmount"),
            Kind.PERCENTAGE, Set.of("rate"));

    private static final Map<Kind, Set<String>> OPTIONAL = Map.of(
            Kind.FLAT, Set.of(),
            Kind.PER_UNIT, USAGE_TERMS,
            Kind.GRADUATED, USAGE_TERMS,
            Kind.VOLUME, USAGE_TERMS,
            Kind.PACKAGE, USAGE_TERMS,
            Kind.PERCENTAGE, union(USAGE_TERMS, Set.of("fixedAmountPerEvent")));

    private PriceValidator() {}

    /** {@code input}'s definition, or every problem with it. */
    public static PriceValidation validate(PriceInput input) {
        ProblemList problems = new ProblemList();
        String currency = currency(input.currency(), problems);
        Kind kind = kind(input.model(), problems);
        Map<String, Object> present = modelFields(input);
        membership(kind, present, problems);
        Fields fields = new Fields(kind, problems);

        BigDecimal flatAmount = fields.amount("flatAmount", input.flatAmount());
        BigDecimal unitAmount = fields.amount("unitAmount", input.unitAmount());
        List<Tier> tiers =
                fields.allowed("tiers") && input.tiers() != null ? TierValidator.tiers(input.tiers(), problems) : null;
        BigDecimal packageSize = fields.quantity("packageSize", input.packageSize());
        if (packageSize != null && packageSize.signum() == 0) {
            problems.add("packageSize", ProblemCode.NOT_POSITIVE, "packageSize must be above zero");
        }
        BigDecimal packageAmount = fields.amount("packageAmount", input.packageAmount());
        BigDecimal rate = fields.rate(input.rate());
        BigDecimal fixedAmountPerEvent = fields.amount("fixedAmountPerEvent", input.fixedAmountPerEvent());
        BigDecimal freeUnits = fields.quantity("freeUnits", input.freeUnits());
        BigDecimal minimumAmount = fields.amount("minimumAmount", input.minimumAmount());
        BigDecimal maximumAmount = fields.amount("maximumAmount", input.maximumAmount());
        if (minimumAmount != null && maximumAmount != null && minimumAmount.compareTo(maximumAmount) > 0) {
            problems.add(
                    "minimumAmount", ProblemCode.MINIMUM_ABOVE_MAXIMUM, "minimumAmount must not exceed maximumAmount");
        }
        Recurrence recurrence =
                Recurrence.of(kind, input.interval(), input.intervalCount(), input.billingTiming(), problems);

        if (!problems.isEmpty()) {
            return new PriceValidation.Invalid(problems.all());
        }
        PriceModel model =
                switch (kind) {
                    case FLAT -> new PriceModel.Flat(flatAmount);
                    case PER_UNIT -> new PriceModel.PerUnit(unitAmount);
                    case GRADUATED -> new PriceModel.Graduated(tiers);
                    case VOLUME -> new PriceModel.Volume(tiers);
                    case PACKAGE -> new PriceModel.PerPackage(packageSize, packageAmount);
                    case PERCENTAGE -> new PriceModel.Percentage(rate, fixedAmountPerEvent);
                };
        return new PriceValidation.Valid(new PriceDefinition(
                currency,
                model,
                freeUnits,
                minimumAmount,
                maximumAmount,
                recurrence.interval(),
                recurrence.intervalCount(),
                recurrence.billingTiming()));
    }

    private static String currency(String currency, ProblemList problems) {
        if (currency == null) {
            problems.add("currency", ProblemCode.REQUIRED, "currency is required");
        } else if (!Currencies.isKnown(currency)) {
            problems.add(
                    "currency",
                    ProblemCode.UNKNOWN_CURRENCY,
                    "currency must be the ISO 4217 code of a currency in use, like USD, EUR or JPY");
        }
        return currency;
    }

    private static Kind kind(String model, ProblemList problems) {
        if (model == null) {
            problems.add("model", ProblemCode.REQUIRED, "model is required");
            return null;
        }
        return Kind.fromWireName(model).orElseGet(() -> {
            problems.add(
                    "model",
                    ProblemCode.UNKNOWN_VALUE,
                    "model must be one of flat, per_unit, graduated, volume, package, percentage");
            return null;
        });
    }

    /** The model parameters in the order of the contract, null when absent. */
    private static Map<String, Object> modelFields(PriceInput input) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("flatAmount", input.flatAmount());
        fields.put("unitAmount", input.unitAmount());
        fields.put("tiers", input.tiers());
        fields.put("packageSize", input.packageSize());
        fields.put("packageAmount", input.packageAmount());
        fields.put("rate", input.rate());
        fields.put("fixedAmountPerEvent", input.fixedAmountPerEvent());
        fields.put("freeUnits", input.freeUnits());
        fields.put("minimumAmount", input.minimumAmount());
        fields.put("maximumAmount", input.maximumAmount());
        return fields;
    }

    private static void membership(Kind kind, Map<String, Object> present, ProblemList problems) {
        if (kind == null) {
            return;
        }
        present.forEach((field, value) -> {
            boolean required = REQUIRED.get(kind).contains(field);
            if (value == null && required) {
                problems.add(field, ProblemCode.REQUIRED, field + " is required for model " + kind.wireName());
            } else if (value != null && !required && !OPTIONAL.get(kind).contains(field)) {
                problems.add(field, ProblemCode.NOT_ALLOWED, field + " does not belong to model " + kind.wireName());
            }
        });
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }

    /** Reads the model parameters that belong to the model (all of them while it is unknown). */
    private record Fields(Kind kind, ProblemList problems) {

        boolean allowed(String field) {
            return kind == null
                    || REQUIRED.get(kind).contains(field)
                    || OPTIONAL.get(kind).contains(field);
        }

        BigDecimal amount(String field, String text) {
            return allowed(field) ? problems.decimal(field, text, PriceBounds.AMOUNT) : null;
        }

        BigDecimal quantity(String field, String text) {
            return allowed(field) ? problems.decimal(field, text, PriceBounds.QUANTITY) : null;
        }

        BigDecimal rate(String text) {
            if (!allowed("rate") || text == null) {
                return null;
            }
            ProblemList own = new ProblemList();
            BigDecimal rate = own.decimal("rate", text, PriceBounds.RATE);
            // "1000" is out of the percentage's range, not merely too many digits
            boolean tooLarge = own.all().stream().anyMatch(p -> p.code() == ProblemCode.TOO_LARGE);
            if (tooLarge || (rate != null && rate.compareTo(PriceBounds.MAX_RATE) > 0)) {
                problems.add("rate", ProblemCode.OUT_OF_RANGE, "rate must be a percentage from 0 to 100");
                return null;
            }
            own.all().forEach(p -> problems.add(p.path(), p.code(), p.message()));
            return rate;
        }
    }
}
