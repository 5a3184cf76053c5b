package dev.tally.settlement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.settlement.request.SettlementAsset;
import dev.tally.settlement.watch.ObservedPayment;
import dev.tally.settlement.watch.StellarPayments;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SettlementConfigTest {

    private static final String ACCOUNT = "GCALNQQBXAPZ2WIRSDDBMSTAKCUH5SG6U76YBFLQLIXJTF7FE5AX7AOO";
    private static final String TESTNET = "Test SDF Network ; September 2015";

    @ParameterizedTest(name = "receiving account {0} is refused")
    @CsvSource(
            nullValues = "null",
            value = {
                "null",
                "''",
                "GCALNQQBXAPZ2WIRSDDBMSTAKCUH5SG6U76YBFLQLIXJTF7FE5AX7AOP",
                "SCALNQQBXAPZ2WIRSDDBMSTAKCUH5SG6U76YBFLQLIXJTF7FE5AX7AOO",
                "merchant",
            })
    void shouldRefuseReceivingAccountThatIsNotAnAccountId(String account) {
        assertInvalid(() -> SettlementConfig.checkReceivingAccount(settings(account, "USDC", ACCOUNT)));
    }

    @ParameterizedTest(name = "asset {0} issued by {1} is refused")
    @CsvSource(
            nullValues = "null",
            value = {
                "USDC, ''",
                "USDC, null",
                "USDC, GNOTANACCOUNT",
                "'', " + ACCOUNT,
                "THIRTEENCHARS, " + ACCOUNT,
                "US-D, " + ACCOUNT,
            })
    void shouldRefuseCreditAssetWithoutValidCodeAndIssuer(String code, String issuer) {
        assertInvalid(() -> SettlementConfig.asset(settings(ACCOUNT, code, issuer)));
    }

    @Test
    void shouldTakeLumensWithoutIssuer() {
        assertThat(SettlementConfig.asset(settings(ACCOUNT, "XLM", ""))).isEqualTo(SettlementAsset.lumens());
    }

    @Test
    void shouldRefuseToStartAgainstHorizonOfAnotherNetwork() {
        assertThatThrownBy(() -> SettlementConfig.checkNetwork(
                        settings(ACCOUNT, "XLM", ""), horizonServing("Public Global Stellar Network ; September 2015")))
                .isInstanceOfSatisfying(
                        SettlementException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NETWORK_MISMATCH));
    }

    @Test
    void shouldStartWhenHorizonServesTheConfiguredNetworkOrCannotBeReachedYet() {
        assertThatCode(() -> SettlementConfig.checkNetwork(settings(ACCOUNT, "XLM", ""), horizonServing(TESTNET)))
                .doesNotThrowAnyException();
        assertThatCode(() -> SettlementConfig.checkNetwork(settings(ACCOUNT, "XLM", ""), horizonServing(null)))
                .doesNotThrowAnyException();
    }

    private static void assertInvalid(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(SettlementException.class, e -> assertThat(e.code())
                .isEqualTo(ErrorCode.INVALID_CONFIGURATION));
    }

    private static SettlementSettings settings(String account, String code, String issuer) {
        return new SettlementSettings(
                "http://horizon",
                TESTNET,
                account,
                code,
                issuer,
                Duration.ofSeconds(5),
                200,
                "tally-settlement",
                Duration.ofMillis(200),
                500,
                Duration.ofSeconds(1),
                true);
    }

    /** A Horizon serving {@code passphrase}, or unreachable when it is null. */
    private static StellarPayments horizonServing(String passphrase) {
        return new StellarPayments() {
            @Override
            public List<ObservedPayment> paymentsAfter(String account, String cursor, int limit) {
                return List.of();
            }

            @Override
            public String networkPassphrase() {
                if (passphrase == null) {
                    throw new SettlementException(ErrorCode.HORIZON_UNAVAILABLE, "connection refused");
                }
                return passphrase;
            }
        };
    }
}
