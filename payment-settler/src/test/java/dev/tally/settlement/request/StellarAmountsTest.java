package dev.tally.settlement.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.settlement.ErrorCode;
import dev.tally.settlement.SettlementException;
import java.math.BigDecimal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StellarAmountsTest {

    @ParameterizedTest(name = "{0} minor units of {1} are {2}")
    @CsvSource({
        "12345, USD, 123.4500000",
        "1, USD, 0.0100000",
        "100, USD, 1.0000000",
        "500, JPY, 500.0000000",
        "1234, BHD, 1.2340000",
        "92233720368547, USD, 922337203685.4700000",
    })
    void shouldConvertMinorUnitsExactlyAtScaleSeven(long minor, String currency, String expected) {
        BigDecimal amount = StellarAmounts.fromMinorUnits(minor, currency);

        assertThat(amount).isEqualTo(new BigDecimal(expected));
        assertThat(amount.scale()).isEqualTo(7);
    }

    @ParameterizedTest(name = "{0} minor units are refused")
    @CsvSource({"0", "-1", "-12345", "92233720368548", "9223372036854775807"})
    void shouldRefuseTotalsThatAreNotPositiveStellarAmounts(long minor) {
        assertRefused(() -> StellarAmounts.fromMinorUnits(minor, "USD"));
    }

    @ParameterizedTest(name = "Horizon amount {0} is {1}")
    @CsvSource({
        "12.5000000, 12.5000000",
        "0.0000001, 0.0000001",
        "7, 7.0000000",
        "922337203685.4775807, 922337203685.4775807",
    })
    void shouldParseHorizonAmountsAtScaleSeven(String horizon, String expected) {
        assertThat(StellarAmounts.parse(horizon)).isEqualTo(new BigDecimal(expected));
    }

    @ParameterizedTest(name = "Horizon amount {0} is refused rather than rounded")
    @CsvSource({"0.00000001", "1.123456789", "0", "-1.0000000", "922337203685.4775808", "abc"})
    void shouldRefuseAmountsThatWouldNeedRounding(String horizon) {
        assertRefused(() -> StellarAmounts.parse(horizon));
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(SettlementException.class, e -> assertThat(e.code())
                .isEqualTo(ErrorCode.AMOUNT_NOT_REPRESENTABLE));
    }
}
