package dev.tally.testkit.stellar;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Stellar amounts: exact decimals with 7 places (stroops). */
final class Amounts {

    static final int SCALE = 7;
    static final BigDecimal ZERO = BigDecimal.ZERO.setScale(SCALE);

    private Amounts() {}

    /** {@code amount} at scale 7; refuses (rather than rounds) anything finer than a stroop. */
    static BigDecimal scaled(BigDecimal amount) {
        return amount.setScale(SCALE, RoundingMode.UNNECESSARY);
    }

    /** Horizon's rendering: plain digits, always 7 decimals. */
    static String format(BigDecimal amount) {
        return scaled(amount).toPlainString();
    }
}
