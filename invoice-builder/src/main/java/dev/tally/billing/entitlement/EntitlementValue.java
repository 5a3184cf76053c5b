package dev.tally.billing.entitlement;

import dev.tally.billing.cycle.TimeSpan;
import java.math.BigDecimal;

/**
 * Whether a customer may use a feature now, by its entitlement: pure, from the entitlement and, for a metered one,
 * the usage of its current period.
 *
 * <ul>
 *   <li>metered: access while the period's usage is below the limit; a soft limit ({@code hardLimit} false) always
 *       gives access and shows the overage. {@code remaining} is never negative.
 *   <li>boolean: access when enabled.
 *   <li>static: access, with its config.
 * </ul>
 *
 * @param usage the period's usage (metered only, else null)
 * @param period the current period (metered only, else null)
 */
public record EntitlementValue(
        Entitlement entitlement,
        boolean hasAccess,
        BigDecimal usage,
        BigDecimal remaining,
        BigDecimal overage,
        TimeSpan period) {

    /** The value of a boolean or static entitlement. */
    public static EntitlementValue unmetered(Entitlement entitlement) {
        boolean access =
                switch (entitlement.type()) {
                    case BOOLEAN -> entitlement.enabled();
                    case STATIC -> true;
                    case METERED -> throw new IllegalArgumentException("a metered entitlement's value needs its usage");
                };
        return new EntitlementValue(entitlement, access, null, null, null, null);
    }

    /** The value of a metered entitlement whose current period {@code period} has seen {@code usage}. */
    public static EntitlementValue metered(Entitlement entitlement, TimeSpan period, BigDecimal usage) {
        if (entitlement.type() != EntitlementType.METERED) {
            throw new IllegalArgumentException("entitlement " + entitlement.id() + " is not metered");
        }
        BigDecimal limit = entitlement.limit();
        BigDecimal left = limit.subtract(usage);
        boolean below = left.signum() > 0;
        return new EntitlementValue(
                entitlement,
                below || !entitlement.hardLimit(),
                usage,
                left.max(BigDecimal.ZERO),
                left.negate().max(BigDecimal.ZERO),
                period);
    }
}
