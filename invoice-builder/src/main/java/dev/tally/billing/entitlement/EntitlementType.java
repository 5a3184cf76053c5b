package dev.tally.billing.entitlement;

import java.util.Locale;
import java.util.Optional;

/** What an entitlement grants: a usage limit per period, on/off, or a configuration value. */
public enum EntitlementType {
    METERED,
    BOOLEAN,
    STATIC;

    /** As the API and the database spell it. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The type spelled {@code text}, if there is one. */
    public static Optional<EntitlementType> of(String text) {
        for (EntitlementType type : values()) {
            if (type.text().equals(text)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
