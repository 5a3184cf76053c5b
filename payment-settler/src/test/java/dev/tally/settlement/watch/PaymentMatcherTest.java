package dev.tally.settlement.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.settlement.request.PaymentRequest;
import dev.tally.settlement.request.SettlementAsset;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PaymentMatcherTest {

    private static final String ISSUER = "GCRCUE2C5TBNIPYHMEP7NK5RWTT2WBSZ75CMARH7GDOHDDCQH3XANFOB";
    private static final String OTHER_ISSUER = "GCALNQQBXAPZ2WIRSDDBMSTAKCUH5SG6U76YBFLQLIXJTF7FE5AX7AOO";
    private static final PaymentRequest REQUEST = new PaymentRequest(
            "inv_1",
            "org_1",
            true,
            new BigDecimal("123.4500000"),
            new SettlementAsset("USDC", ISSUER),
            OTHER_ISSUER,
            "inv_1",
            "web+stellar:pay",
            Instant.EPOCH);

    @ParameterizedTest(name = "{0} {1}:{2} with memo {3} (request known: {4}, settled: {5}, withdrawn: {6}) -> {7}")
    @CsvSource(
            nullValues = "null",
            value = {
                "123.4500000, USDC, ISSUER, inv_1, true, false, false, SETTLED",
                "200.0000000, USDC, ISSUER, inv_1, true, false, false, SETTLED",
                "123.4499999, USDC, ISSUER, inv_1, true, false, false, UNDERPAID",
                "1.0000000, USDC, ISSUER, inv_1, true, false, false, UNDERPAID",
                "123.4500000, USDC, OTHER, inv_1, true, false, false, WRONG_ASSET",
                "123.4500000, USDT, ISSUER, inv_1, true, false, false, WRONG_ASSET",
                "123.4500000, XLM, null, inv_1, true, false, false, WRONG_ASSET",
                "123.4500000, USDC, ISSUER, inv_1, true, true, false, ALREADY_SETTLED",
                "123.4500000, USDC, ISSUER, inv_2, false, false, false, UNKNOWN_MEMO",
                "123.4500000, USDC, ISSUER, null, false, false, false, NO_MEMO",
                "123.4500000, USDC, ISSUER, inv_1, true, false, true, WITHDRAWN",
                "1.0000000, USDC, ISSUER, inv_1, true, false, true, WITHDRAWN",
            })
    void shouldSettleOnlyAFullPaymentOfTheRequestedAssetWithItsMemo(
            String amount,
            String code,
            String issuer,
            String memo,
            boolean known,
            boolean settled,
            boolean withdrawn,
            Outcome expected) {
        ObservedPayment payment = new ObservedPayment(
                "1",
                1,
                "ab",
                true,
                true,
                "GPAYER",
                OTHER_ISSUER,
                code,
                issuer == null ? null : issuer.equals("ISSUER") ? ISSUER : OTHER_ISSUER,
                new BigDecimal(amount),
                memo,
                Instant.EPOCH);

        assertThat(PaymentMatcher.match(payment, known ? Optional.of(REQUEST) : Optional.empty(), settled, withdrawn))
                .isEqualTo(expected);
    }
}
