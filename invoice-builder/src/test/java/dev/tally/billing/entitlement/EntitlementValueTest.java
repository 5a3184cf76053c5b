package dev.tally.billing.entitlement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.billing.cycle.TimeSpan;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EntitlementValueTest {

    private static final TimeSpan TODAY =
            new TimeSpan(Instant.parse("2026-04-10T00:00:00Z"), Instant.parse("2026-04-11T00:00:00Z"));

    @Test
    void aHardLimitGivesAccessOnlyBelowIt() {
        assertThat(EntitlementValue.metered(metered("100", true), TODAY, new BigDecimal("99.5"))
                        .hasAccess())
                .isTrue();
        assertThat(EntitlementValue.metered(metered("100", true), TODAY, new BigDecimal("100"))
                        .hasAccess())
                .isFalse();
    }

    @Test
    void aSoftLimitAlwaysGivesAccessAndShowsTheOverage() {
        EntitlementValue over = EntitlementValue.metered(metered("100", false), TODAY, new BigDecimal("130.25"));

        assertThat(over.hasAccess()).isTrue();
        assertThat(over.remaining()).isEqualByComparingTo("0");
        assertThat(over.overage()).isEqualByComparingTo("30.25");
    }

    @Test
    void aZeroLimitIsNoAccessAtAll() {
        assertThat(EntitlementValue.metered(metered("0", true), TODAY, BigDecimal.ZERO)
                        .hasAccess())
                .isFalse();
    }

    @Test
    void booleanAndStaticEntitlementsNeedNoUsage() {
        assertThat(EntitlementValue.unmetered(flag(false)).hasAccess()).isFalse();
        assertThat(EntitlementValue.unmetered(flag(true)).hasAccess()).isTrue();
        assertThatThrownBy(() -> EntitlementValue.unmetered(metered("1", true)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static Entitlement metered(String limit, boolean hard) {
        return new Entitlement(
                "ent_1",
                "org_1",
                false,
                "cus_1",
                "ai_call",
                EntitlementType.METERED,
                new BigDecimal(limit),
                ResetPeriod.DAY,
                hard,
                null,
                null,
                Instant.EPOCH);
    }

    private static Entitlement flag(boolean enabled) {
        return new Entitlement(
                "ent_2",
                "org_1",
                false,
                "cus_1",
                "sso",
                EntitlementType.BOOLEAN,
                null,
                null,
                null,
                enabled,
                null,
                Instant.EPOCH);
    }
}
