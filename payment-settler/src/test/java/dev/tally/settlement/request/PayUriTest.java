package dev.tally.settlement.request;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.stellar.sdk.Network;

class PayUriTest {

    private static final String MERCHANT = "GCALNQQBXAPZ2WIRSDDBMSTAKCUH5SG6U76YBFLQLIXJTF7FE5AX7AOO";
    private static final String ISSUER = "GCRCUE2C5TBNIPYHMEP7NK5RWTT2WBSZ75CMARH7GDOHDDCQH3XANFOB";

    @Test
    void shouldAskForCreditAssetWithMemoTextOnTestnet() {
        String uri = PayUri.pay(
                MERCHANT,
                new BigDecimal("123.4500000"),
                new SettlementAsset("USDC", ISSUER),
                "inv_7Hc9aB3dEf0gH1iJ2kLm",
                Network.TESTNET.getNetworkPassphrase());

        assertThat(uri)
                .isEqualTo("web+stellar:pay?destination=" + MERCHANT
                        + "&amount=123.45&asset_code=USDC&asset_issuer=" + ISSUER
                        + "&memo=inv_7Hc9aB3dEf0gH1iJ2kLm&memo_type=MEMO_TEXT"
                        + "&network_passphrase=Test%20SDF%20Network%20%3B%20September%202015");
    }

    @Test
    void shouldLeaveOutAssetForLumensAndPassphraseOnPublicNetwork() {
        String uri = PayUri.pay(
                MERCHANT,
                new BigDecimal("100.0000000"),
                SettlementAsset.lumens(),
                "#abc",
                Network.PUBLIC.getNetworkPassphrase());

        assertThat(uri)
                .isEqualTo("web+stellar:pay?destination=" + MERCHANT + "&amount=100&memo=%23abc&memo_type=MEMO_TEXT");
    }

    @ParameterizedTest(name = "{0} is encoded as {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "plain-._~09AZaz | plain-._~09AZaz",
                "a b | a%20b",
                "a+b | a%2Bb",
                "x&y=z | x%26y%3Dz",
                "100% | 100%25",
                "é | %C3%A9",
                "#/?: | %23%2F%3F%3A",
            })
    void shouldPercentEncodeValuesWithoutPlusForSpace(String value, String encoded) {
        assertThat(PayUri.encode(value)).isEqualTo(encoded);
    }
}
