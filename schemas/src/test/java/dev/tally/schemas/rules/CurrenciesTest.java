package dev.tally.schemas.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.schemas.rules.Currencies.MinorUnitsOverflowException;
import dev.tally.schemas.rules.Currencies.UnknownCurrencyException;
import java.math.BigDecimal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class CurrenciesTest {

    @ParameterizedTest
    @ValueSource(strings = {"USD", "EUR", "GBP", "CHF", "JPY", "KRW", "KWD", "BHD", "CLP", "XAF", "XOF", "XCD", "XPF"})
    void shouldKnowTheCurrenciesInUseIncludingTheSharedXCodes(String code) {
        assertThat(Currencies.isKnown(code)).isTrue();
        assertThat(Currencies.requireKnown("currency", code)).isEqualTo(code);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "XXX", "XTS", // no currency, testing
                "XAU", "XAG", "XPT", "XPD", "XDR", "XBA", // metals, SDR, bond-market units
                "BOV", "CHE", "CHW", "CLF", "COU", "MXV", "USN", "UYI", "XSU", "XUA", // funds codes
                "DEM", "FRF", "HRK", // withdrawn
                "usd", "US", "USDX", " USD", "ZZZ", "١٢٣"
            })
    @NullAndEmptySource
    void shouldRefusePseudoFundsWithdrawnAndMisspelledCodes(String code) {
        assertThat(Currencies.isKnown(code)).isFalse();
        assertThatThrownBy(() -> Currencies.requireKnown("currency", code))
                .isInstanceOf(UnknownCurrencyException.class)
                .hasMessageStartingWith("currency must be the ISO 4217 code");
    }

    @ParameterizedTest
    @CsvSource({"USD, 2", "EUR, 2", "JPY, 0", "KRW, 0", "CLP, 0", "ISK, 0", "KWD, 3", "BHD, 3", "TND, 3", "HRK, 2"})
    void shouldGiveTheMinorDigitsOfEveryIso4217CodeWithAMinorUnitWithdrawnOnesIncluded(String code, int digits) {
        assertThat(Currencies.minorDigits(code)).isEqualTo(digits);
    }

    @ParameterizedTest
    @ValueSource(strings = {"XXX", "XAU", "XDR", "ZZZ", "usd", "US"})
    @NullAndEmptySource
    void shouldRefuseMinorDigitsOfACodeWithoutAMinorUnit(String code) {
        assertThatThrownBy(() -> Currencies.minorDigits(code)).isInstanceOf(UnknownCurrencyException.class);
    }

    @ParameterizedTest(name = "{0} {1} = {2} minor units")
    @CsvSource({
        // amount,          currency, minor
        "0,                 USD,      0",
        "12.34,             USD,      1234",
        "0.125,             USD,      12", // 12.5 cents: half to the even 12
        "0.135,             USD,      14", // 13.5 cents: half to the even 14
        "0.1250000001,      USD,      13", // just above half rounds up
        "0.124999999999,    USD,      12",
        "-0.125,            USD,      -12", // symmetric below zero
        "-0.135,            USD,      -14",
        "1.5,               JPY,      2", // no minor unit: whole yen, half to even
        "2.5,               JPY,      2",
        "1.0005,            KWD,      1000", // three digits: 1000.5 fils -> 1000
        "1.0015,            KWD,      1002", // 1001.5 fils -> 1002
        "0.0025,            BHD,      2",
        "92233720368547758.07, USD,   9223372036854775807", // exactly Long.MAX_VALUE cents
        "-92233720368547758.08, USD,  -9223372036854775808", // exactly Long.MIN_VALUE cents
        "92233720368547758.074, USD,  9223372036854775807", // rounds down onto the maximum
    })
    void shouldRoundHalfEvenToWholeMinorUnits(String amount, String currency, long minor) {
        assertThat(Currencies.toMinor(new BigDecimal(amount), currency)).isEqualTo(minor);
    }

    @ParameterizedTest(name = "{0} {1} does not fit a long")
    @CsvSource({
        "92233720368547758.08,   USD", // Long.MAX_VALUE + 1 cents
        "92233720368547758.075,  USD", // rounds up past the maximum
        "-92233720368547758.09,  USD", // Long.MIN_VALUE - 1 cents
        "9223372036854775808,    JPY",
        "9223372036854775.808,   KWD",
        "1e30,                   USD"
    })
    void shouldRefuseAnAmountWhoseMinorUnitsDoNotFitALong(String amount, String currency) {
        assertThatThrownBy(() -> Currencies.toMinor(new BigDecimal(amount), currency))
                .isInstanceOf(MinorUnitsOverflowException.class)
                .isInstanceOf(ArithmeticException.class)
                .hasMessageContaining("minor units");
    }

    @ParameterizedTest(name = "{0} minor units of {1} = {2}")
    @CsvSource({"12345, USD, 123.45", "5, USD, 0.05", "-5, USD, -0.05", "5, JPY, 5", "1234, KWD, 1.234", "0, BHD, 0.000"
    })
    void shouldStateMinorUnitsInTheMajorUnitAtTheCurrencysScale(long minor, String currency, String amount) {
        assertThat(Currencies.fromMinor(minor, currency).toPlainString()).isEqualTo(amount);
    }
}
