package dev.tally.billing.rating;

import java.util.Locale;
import java.util.Optional;

/** The JSON spelling of this package's enums: the constant's name in lower case ({@code PER_UNIT} is {@code per_unit}). */
final class WireNames {

    private WireNames() {}

    static String of(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }

    /** The constant spelled {@code text}; exact, so {@code "PER_UNIT"} and {@code " per_unit"} are not one. */
    static <E extends Enum<E>> Optional<E> parse(Class<E> type, String text) {
        for (E constant : type.getEnumConstants()) {
            if (of(constant).equals(text)) {
                return Optional.of(constant);
            }
        }
        return Optional.empty();
    }
}
