package dev.tally.testkit.stellar;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stellar.sdk.Account;
import org.stellar.sdk.AccountConverter;
import org.stellar.sdk.Asset;
import org.stellar.sdk.KeyPair;
import org.stellar.sdk.Memo;
import org.stellar.sdk.Operation;
import org.stellar.sdk.PathPaymentStrictReceiveOperation;
import org.stellar.sdk.PathPaymentStrictSendOperation;
import org.stellar.sdk.PaymentOperation;
import org.stellar.sdk.Server;
import org.stellar.sdk.Transaction;
import org.stellar.sdk.TransactionBuilderAccount;
import org.stellar.sdk.responses.SubmitTransactionResponse;
import org.stellar.sdk.responses.operations.OperationResponse;
import org.stellar.sdk.responses.operations.PathPaymentBaseOperationResponse;
import org.stellar.sdk.responses.operations.PaymentOperationResponse;
import org.stellar.sdk.xdr.CryptoKeyType;
import org.stellar.sdk.xdr.MuxedAccount;
import org.stellar.sdk.xdr.Uint256;
import org.stellar.sdk.xdr.Uint64;
import org.stellar.sdk.xdr.XdrUnsignedHyperInteger;

/** Muxed addresses and path payments on the fake, through the real SDK, as a wallet would send them. */
class FakeHorizonMuxedAndPathPaymentsTest {

    private static final Asset XLM = Asset.create("native");

    private static FakeHorizon horizon;
    private static Server server;
    private static Asset usdc;
    private static Asset eurc;

    @BeforeAll
    static void start() {
        horizon = FakeHorizon.start();
        server = new Server(horizon.url());
        KeyPair issuer = horizon.createAccount(new BigDecimal("100"));
        usdc = Asset.create(null, "USDC", issuer.getAccountId());
        eurc = Asset.create(null, "EURC", issuer.getAccountId());
    }

    @AfterAll
    static void stop() {
        server.close();
        horizon.close();
    }

    @Test
    void shouldCreditTheAccountBehindAMuxedAddressAndShowTheAddressAndItsId() throws Exception {
        KeyPair payer = holding(usdc, "20");
        KeyPair payee = trusting(usdc);
        String invoiceAddress = muxed(payee, new BigInteger("18446744073709551615")); // the largest uint64

        SubmitTransactionResponse response =
                submit(payer, payer.getAccountId(), new PaymentOperation.Builder(invoiceAddress, usdc, "5").build());

        assertThat(response.isSuccess()).isTrue();
        assertThat(horizon.balance(payee.getAccountId(), usdc)).isEqualByComparingTo("5");
        PaymentOperationResponse record = (PaymentOperationResponse) onlyPaymentTo(payee);
        assertThat(record.getTo()).isEqualTo(payee.getAccountId());
        assertThat(record.getToMuxed()).get().satisfies(m -> {
            assertThat(m.getMuxedAddress()).isEqualTo(invoiceAddress);
            assertThat(m.getUnmuxedAddress()).isEqualTo(payee.getAccountId());
        });
        assertThat(record.getToMuxedId()).isEqualTo(new BigInteger("18446744073709551615"));
        assertThat(record.getFromMuxed()).isEmpty();
        assertThat(horizon.payments(payee.getAccountId()).getFirst().toMuxedId())
                .isEqualTo(new BigInteger("18446744073709551615"));
    }

    @Test
    void shouldTakeSequenceSignatureAndFeeFromTheAccountBehindAMuxedSource() throws Exception {
        KeyPair payer = holding(usdc, "20");
        KeyPair payee = trusting(usdc);
        long sequence = horizon.sequence(payer.getAccountId());

        SubmitTransactionResponse response = submit(
                payer,
                muxed(payer, BigInteger.valueOf(7)),
                new PaymentOperation.Builder(payee.getAccountId(), usdc, "2").build());

        assertThat(response.isSuccess()).isTrue();
        assertThat(horizon.sequence(payer.getAccountId())).isEqualTo(sequence + 1);
        assertThat(horizon.balance(payer.getAccountId(), XLM)).isEqualByComparingTo("9.99999");
        PaymentOperationResponse record = (PaymentOperationResponse) onlyPaymentTo(payee);
        assertThat(record.getFrom()).isEqualTo(payer.getAccountId());
        assertThat(record.getFromMuxedId()).isEqualTo(BigInteger.valueOf(7));
        // The hash Horizon reports is the muxed envelope's own, so a payer can look its payment up by it.
        assertThat(server.transactions().transaction(response.getHash()).getSourceAccount())
                .isEqualTo(payer.getAccountId());
    }

    @Test
    void shouldDeliverAStrictSendAtTheMarketRateRoundedDownToTheStroop() throws Exception {
        horizon.setRate(XLM, usdc, new BigDecimal("0.3333333"));
        KeyPair payer = horizon.createAccount(new BigDecimal("50"));
        KeyPair payee = trusting(usdc);

        SubmitTransactionResponse response = submit(
                payer,
                payer.getAccountId(),
                new PathPaymentStrictSendOperation.Builder(XLM, "10.0000001", payee.getAccountId(), usdc, "3")
                        .setPath(new Asset[] {eurc})
                        .build());

        assertThat(response.isSuccess()).isTrue();
        // 10.0000001 x 0.3333333 = 3.33333303333333: the payee gets 3.3333330, never a fraction of a stroop more.
        assertThat(horizon.balance(payee.getAccountId(), usdc)).isEqualByComparingTo("3.3333330");
        assertThat(horizon.balance(payer.getAccountId(), XLM)).isEqualByComparingTo("39.9999899");
        PathPaymentBaseOperationResponse record = (PathPaymentBaseOperationResponse) onlyPaymentTo(payee);
        assertThat(record.getType()).isEqualTo("path_payment_strict_send");
        assertThat(record.getAmount()).isEqualTo("3.3333330");
        assertThat(record.getAsset()).isEqualTo(usdc);
        assertThat(record.getSourceAmount()).isEqualTo("10.0000001");
        assertThat(record.getSourceAsset()).isEqualTo(XLM);
        FakePayment made = horizon.payments(payee.getAccountId()).getFirst();
        assertThat(made.pathPayment()).isTrue();
        assertThat(made.sourceAmount()).isEqualByComparingTo("10.0000001");
    }

    @Test
    void shouldChargeAStrictReceiveTheStroopAboveAndRefuseItPastSendMax() throws Exception {
        horizon.setRate(usdc, eurc, new BigDecimal("0.9"));
        KeyPair payer = holding(usdc, "10");
        KeyPair payee = trusting(eurc);

        SubmitTransactionResponse paid = submit(payer, payer.getAccountId(), strictReceive(payee, "1.1111112", "1"));
        SubmitTransactionResponse tooDear = submit(payer, payer.getAccountId(), strictReceive(payee, "1.1111111", "1"));

        assertThat(paid.isSuccess()).isTrue();
        // 1 / 0.9 = 1.1111111...: the payer sends 1.1111112, the payee gets exactly 1.
        assertThat(horizon.balance(payer.getAccountId(), usdc)).isEqualByComparingTo("8.8888888");
        assertThat(horizon.balance(payee.getAccountId(), eurc)).isEqualByComparingTo("1");
        assertThat(tooDear.isSuccess()).isFalse();
        assertThat(tooDear.getExtras().getResultCodes().getOperationsResultCodes())
                .containsExactly("op_over_source_max");
        assertThat(horizon.balance(payer.getAccountId(), usdc)).isEqualByComparingTo("8.8888888");
        assertThat(((PathPaymentBaseOperationResponse) onlyPaymentTo(payee)).getType())
                .isEqualTo("path_payment_strict_receive");
    }

    @Test
    void shouldFailAPathPaymentWithoutAMarketOrUnderItsMinimum() throws Exception {
        KeyPair payer = holding(eurc, "10");
        KeyPair payee = trusting(usdc);
        horizon.trust(payee.getAccountId(), eurc);

        SubmitTransactionResponse noMarket = submit(
                payer,
                payer.getAccountId(),
                new PathPaymentStrictSendOperation.Builder(eurc, "1", payee.getAccountId(), usdc, "0.5").build());
        SubmitTransactionResponse sameAsset = submit(
                payer,
                payer.getAccountId(),
                new PathPaymentStrictSendOperation.Builder(eurc, "1", payee.getAccountId(), eurc, "1.0000001").build());

        assertThat(noMarket.getExtras().getResultCodes().getOperationsResultCodes())
                .containsExactly("op_too_few_offers");
        assertThat(sameAsset.getExtras().getResultCodes().getOperationsResultCodes())
                .containsExactly("op_under_dest_min");
        assertThat(horizon.balance(payer.getAccountId(), eurc)).isEqualByComparingTo("10");
        assertThat(horizon.payments(payee.getAccountId())).isEmpty();
    }

    private static Operation strictReceive(KeyPair payee, String sendMax, String delivered) {
        return new PathPaymentStrictReceiveOperation.Builder(usdc, sendMax, payee.getAccountId(), eurc, delivered)
                .build();
    }

    /** The muxed address (SEP-23) of {@code account} with {@code id}, as a wallet would be given it. */
    private static String muxed(KeyPair account, BigInteger id) {
        MuxedAccount.MuxedAccountMed25519 med = new MuxedAccount.MuxedAccountMed25519();
        med.setEd25519(new Uint256(account.getPublicKey()));
        med.setId(new Uint64(new XdrUnsignedHyperInteger(id)));
        MuxedAccount xdr = new MuxedAccount();
        xdr.setDiscriminant(CryptoKeyType.KEY_TYPE_MUXED_ED25519);
        xdr.setMed25519(med);
        return AccountConverter.enableMuxed().decode(xdr);
    }

    private static OperationResponse onlyPaymentTo(KeyPair payee) throws Exception {
        var records =
                server.payments().forAccount(payee.getAccountId()).execute().getRecords();
        assertThat(records).hasSize(1);
        return records.getFirst();
    }

    private static KeyPair holding(Asset asset, String amount) {
        KeyPair account = horizon.createAccount(new BigDecimal("10"));
        horizon.credit(account.getAccountId(), asset, new BigDecimal(amount));
        return account;
    }

    private static KeyPair trusting(Asset asset) {
        KeyPair account = horizon.createAccount(new BigDecimal("10"));
        horizon.trust(account.getAccountId(), asset);
        return account;
    }

    /** Signs with {@code signer} a transaction whose source is {@code source} (its G... or an M... of it). */
    private static SubmitTransactionResponse submit(KeyPair signer, String source, Operation operation)
            throws Exception {
        TransactionBuilderAccount account = new Account(source, horizon.sequence(signer.getAccountId()));
        Transaction tx = new Transaction.Builder(AccountConverter.enableMuxed(), account, horizon.network())
                .addOperation(operation)
                .addMemo(Memo.none())
                .setTimeout(60)
                .setBaseFee(100)
                .build();
        tx.sign(signer);
        return server.submitTransaction(tx, true);
    }
}
