package dev.tally.schemas.rules;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The one rule for currencies: which ISO 4217 codes a new price, customer or invoice may name, how
 * many minor digits each has, and how an exact amount becomes whole minor units: one place for every
 * module, where seven copies of {@code Currency.getDefaultFractionDigits()} had grown across them.
 *
 * <p><b>Known</b> ({@link #isKnown}): a code is accepted for new data when it is, today, the legal
 * tender of at least one country or territory in the JDK's ISO 4217 data ({@code EUR}, {@code JPY},
 * {@code KWD}, and the shared {@code XAF}, {@code XOF}, {@code XCD}, {@code XPF}). That one test
 * refuses every code no one can be invoiced and pay in:
 *
 * <ul>
 *   <li>codes without a minor unit: precious metals ({@code XAU}, {@code XAG}, {@code XPT},
 *       {@code XPD}), {@code XDR}, the bond-market units {@code XBA}–{@code XBD}, and the pseudo
 *       codes {@code XXX} (no currency) and {@code XTS} (reserved for testing);
 *   <li>funds codes ({@code BOV}, {@code CHE}, {@code CHW}, {@code CLF}, {@code COU}, {@code MXV},
 *       {@code USN}, {@code UYI}, {@code XSU}, {@code XUA}): units of account for indexation,
 *       settlement timing or institutional use; a Chilean contract may be indexed in CLF, but it is
 *       invoiced and paid in CLP;
 *   <li>withdrawn currencies ({@code DEM}, {@code HRK}, …).
 * </ul>
 *
 * <p><b>Minor digits</b> ({@link #minorDigits}) are looser on purpose: any ISO 4217 code with a
 * minor unit, withdrawn ones included, so that data accepted when its currency was current (an
 * invoice in HRK from 2022) can still be read and shown.
 *
 * <p>Codes are exact: three uppercase ASCII letters, as ISO 4217 writes them; normalizing what a
 * client sent ({@code " usd"}) is the API's decision, before it asks here.
 */
public final class Currencies {

    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);
    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);

    /** The codes of the legal tenders of today's countries and territories, read once. */
    private static final Set<String> KNOWN = legalTenders();

    /** A code that is not a currency this rule accepts. */
    public static final class UnknownCurrencyException extends IllegalArgumentException {
        UnknownCurrencyException(String message) {
            super(message);
        }
    }

    /**
     * An amount whose minor units do not fit a {@code long} (the {@code bigint} columns and the
     * contracts' {@code long} fields): refused rather than wrapped around.
     */
    public static final class MinorUnitsOverflowException extends ArithmeticException {
        MinorUnitsOverflowException(String message) {
            super(message);
        }
    }

    private Currencies() {}

    /** Whether {@code code} may be named by new data (see the class comment); false for null. */
    public static boolean isKnown(String code) {
        return code != null && KNOWN.contains(code);
    }

    /**
     * {@code code}, when it {@link #isKnown is known}.
     *
     * @throws UnknownCurrencyException with a message naming {@code field}
     */
    public static String requireKnown(String field, String code) {
        if (!isKnown(code)) {
            throw new UnknownCurrencyException(
                    field + " must be the ISO 4217 code of a currency in use, like USD, EUR or JPY");
        }
        return code;
    }

    /**
     * The digits of {@code code}'s minor unit: 2 for USD (cents), 0 for JPY, 3 for KWD and BHD.
     *
     * @throws UnknownCurrencyException if {@code code} is not an ISO 4217 code with a minor unit
     */
    public static int minorDigits(String code) {
        int digits = iso4217(code).getDefaultFractionDigits();
        if (digits < 0) {
            throw new UnknownCurrencyException("currency " + code + " has no minor unit");
        }
        return digits;
    }

    /**
     * {@code amount} in whole minor units of {@code currency}, rounded HALF_EVEN (banker's
     * rounding: 0.125 USD is 12 cents, 0.135 USD is 14), negative amounts symmetrically.
     *
     * @throws MinorUnitsOverflowException if the result does not fit a {@code long}
     * @throws UnknownCurrencyException as {@link #minorDigits}
     */
    public static long toMinor(BigDecimal amount, String currency) {
        int digits = minorDigits(currency);
        BigDecimal minor = amount.setScale(digits, RoundingMode.HALF_EVEN).movePointRight(digits);
        if (minor.compareTo(LONG_MIN) < 0 || minor.compareTo(LONG_MAX) > 0) {
            throw new MinorUnitsOverflowException("the amount of " + amount.toPlainString() + " " + currency
                    + " exceeds " + Long.MAX_VALUE + " minor units");
        }
        return minor.longValueExact();
    }

    /**
     * {@code amountMinor} minor units of {@code currency} as an exact amount in its major unit, at
     * the currency's scale: 12345 USD is {@code 123.45}, 5 JPY is {@code 5}, 1234 KWD is {@code 1.234}.
     *
     * @throws UnknownCurrencyException as {@link #minorDigits}
     */
    public static BigDecimal fromMinor(long amountMinor, String currency) {
        return BigDecimal.valueOf(amountMinor, minorDigits(currency));
    }

    private static Currency iso4217(String code) {
        // the shape first: a clearer message than Currency's, and null is refused, not an NPE
        if (!threeUppercaseLetters(code)) {
            throw new UnknownCurrencyException("currency must be three uppercase letters (ISO 4217), like USD");
        }
        try {
            return Currency.getInstance(code);
        } catch (IllegalArgumentException e) {
            throw new UnknownCurrencyException("currency " + code + " is not an ISO 4217 code");
        }
    }

    // a loop, not a stream: the CSV exports ask this once per amount, millions of times
    private static boolean threeUppercaseLetters(String code) {
        if (code == null || code.length() != 3) {
            return false;
        }
        for (int i = 0; i < 3; i++) {
            char c = code.charAt(i);
            if (c < 'A' || c > 'Z') {
                return false;
            }
        }
        return true;
    }

    private static Set<String> legalTenders() {
        Set<String> codes = new TreeSet<>();
        for (String country : Locale.getISOCountries()) {
            Currency tender = Currency.getInstance(Locale.of("", country));
            // Antarctica and a few others have none; a tender never lacks a minor unit, but be sure
            if (tender != null && tender.getDefaultFractionDigits() >= 0) {
                codes.add(tender.getCurrencyCode());
            }
        }
        return Set.copyOf(codes);
    }
}
