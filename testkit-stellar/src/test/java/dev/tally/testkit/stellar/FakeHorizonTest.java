package dev.tally.testkit.stellar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stellar.sdk.AccountRequiresMemoException;
import org.stellar.sdk.Asset;
import org.stellar.sdk.ChangeTrustAsset;
import org.stellar.sdk.ChangeTrustOperation;
import org.stellar.sdk.CreateAccountOperation;
import org.stellar.sdk.KeyPair;
import org.stellar.sdk.Memo;
import org.stellar.sdk.Network;
import org.stellar.sdk.NetworkMismatchException;
import org.stellar.sdk.Operation;
import org.stellar.sdk.PaymentOperation;
import org.stellar.sdk.Server;
import org.stellar.sdk.Transaction;
import org.stellar.sdk.requests.ErrorResponse;
import org.stellar.sdk.requests.RequestBuilder;
import org.stellar.sdk.responses.AccountResponse;
import org.stellar.sdk.responses.Page;
import org.stellar.sdk.responses.SubmitTransactionResponse;
import org.stellar.sdk.responses.TransactionResponse;
import org.stellar.sdk.responses.operations.OperationResponse;
import org.stellar.sdk.responses.operations.PaymentOperationResponse;

/** Drives the fake through the real Stellar SDK, as the settler and the end-to-end test do. */
class FakeHorizonTest {

    private static FakeHorizon horizon;
    private static Server server;
    private static KeyPair issuer;
    private static Asset usdc;

    @BeforeAll
    static void start() {
        horizon = FakeHorizon.start();
        server = new Server(horizon.url());
        issuer = horizon.createAccount(new BigDecimal("100"));
        usdc = Asset.create(null, "USDC", issuer.getAccountId());
    }

    @AfterAll
    static void stop() {
        server.close();
        horizon.close();
    }

    @Test
    void shouldApplySignedCreditPaymentAndPageItWithItsMemo() throws Exception {
        KeyPair payer = funded("50");
        KeyPair payee = receiver();

        SubmitTransactionResponse response = submit(payer, Memo.text("inv-42"), pay(payee, usdc, "12.5"));

        assertThat(response.isSuccess()).isTrue();
        assertThat(horizon.balance(payee.getAccountId(), usdc)).isEqualByComparingTo("12.5");
        assertThat(horizon.balance(payer.getAccountId(), usdc)).isEqualByComparingTo("37.5");
        Page<OperationResponse> page = server.payments()
                .forAccount(payee.getAccountId())
                .includeTransactions(true)
                .execute();
        assertThat(page.getRecords()).hasSize(1);
        PaymentOperationResponse payment =
                (PaymentOperationResponse) page.getRecords().get(0);
        assertThat(payment.getTransactionHash()).isEqualTo(response.getHash());
        assertThat(payment.getFrom()).isEqualTo(payer.getAccountId());
        assertThat(payment.getTo()).isEqualTo(payee.getAccountId());
        assertThat(payment.getAsset()).isEqualTo(usdc);
        assertThat(payment.getAmount()).isEqualTo("12.5000000");
        assertThat(payment.getPagingToken()).isEqualTo(Long.toString(payment.getId()));
        assertThat(payment.getTransaction())
                .get()
                .extracting(TransactionResponse::getMemo)
                .isEqualTo(Memo.text("inv-42"));
        assertThat(server.transactions().transaction(response.getHash()).getMemo())
                .isEqualTo(Memo.text("inv-42"));
    }

    @Test
    void shouldChargeFeeAndBumpSequenceOfAppliedTransaction() throws Exception {
        KeyPair payer = funded("1");
        long before = server.accounts().account(payer.getAccountId()).getSequenceNumber();

        submit(payer, Memo.none(), pay(issuer, Asset.create("native"), "1"));

        AccountResponse after = server.accounts().account(payer.getAccountId());
        assertThat(after.getSequenceNumber()).isEqualTo(before + 1);
        assertThat(horizon.balance(payer.getAccountId(), Asset.create("native")))
                .isEqualByComparingTo("8.9999900");
    }

    @Test
    void shouldRejectSignatureByAnotherKeyWithTxBadAuth() throws Exception {
        KeyPair payer = funded("10");
        long sequence = horizon.sequence(payer.getAccountId());
        Transaction tx = build(payer, Memo.none(), pay(issuer, usdc, "1"));
        tx.sign(KeyPair.random());

        assertRefused(server.submitTransaction(tx, true), "tx_bad_auth");
        assertThat(horizon.sequence(payer.getAccountId()))
                .as("a refused transaction consumes nothing")
                .isEqualTo(sequence);
        assertThat(horizon.balance(payer.getAccountId(), usdc)).isEqualByComparingTo("10");
    }

    @Test
    void shouldRejectUnsignedTransactionWithTxBadAuth() throws Exception {
        KeyPair payer = funded("10");

        assertRefused(server.submitTransaction(build(payer, Memo.none(), pay(issuer, usdc, "1")), true), "tx_bad_auth");
    }

    @Test
    void shouldRejectEnvelopeSignedForAnotherNetworkWithTxBadAuth() throws Exception {
        KeyPair payer = funded("10");
        AccountResponse account = server.accounts().account(payer.getAccountId());
        Transaction tx = new Transaction.Builder(account, Network.PUBLIC)
                .addOperation(pay(issuer, usdc, "1"))
                .setTimeout(60)
                .setBaseFee(100)
                .build();
        tx.sign(payer);

        // The SDK itself refuses to submit it to a testnet server; the raw envelope gets through.
        assertThatThrownBy(() -> server.submitTransaction(tx, true)).isInstanceOf(NetworkMismatchException.class);
        assertRefused(server.submitTransactionXdr(tx.toEnvelopeXdrBase64()), "tx_bad_auth");
    }

    @Test
    void shouldRejectWrongSequenceWithTxBadSeq() throws Exception {
        KeyPair payer = funded("10");
        Transaction first = build(payer, Memo.none(), pay(issuer, usdc, "1"));
        first.sign(payer);
        Transaction stale = build(payer, Memo.text("again"), pay(issuer, usdc, "1"));
        stale.sign(payer);

        assertThat(server.submitTransaction(first, true).isSuccess()).isTrue();
        assertRefused(server.submitTransaction(stale, true), "tx_bad_seq");
        assertThat(horizon.balance(payer.getAccountId(), usdc)).isEqualByComparingTo("9");
    }

    @Test
    void shouldFailUnderfundedPaymentWithOpUnderfundedAndApplyNothing() throws Exception {
        KeyPair payer = funded("5");
        KeyPair payee = receiver();
        long sequence = horizon.sequence(payer.getAccountId());

        SubmitTransactionResponse response = submit(payer, Memo.none(), pay(payee, usdc, "3"), pay(payee, usdc, "3"));

        assertFailed(response, "op_success", "op_underfunded");
        assertThat(horizon.balance(payer.getAccountId(), usdc)).isEqualByComparingTo("5");
        assertThat(horizon.balance(payee.getAccountId(), usdc)).isEqualByComparingTo("0");
        assertThat(horizon.payments(payee.getAccountId())).isEmpty();
        assertThat(horizon.sequence(payer.getAccountId()))
                .as("a failed transaction consumes its sequence")
                .isEqualTo(sequence + 1);
    }

    @Test
    void shouldFailPaymentWithoutTrustlineWithOpNoTrust() throws Exception {
        KeyPair payer = funded("5");
        KeyPair payee = horizon.createAccount(new BigDecimal("10"));

        assertFailed(submit(payer, Memo.none(), pay(payee, usdc, "1")), "op_no_trust");
    }

    @Test
    void shouldFailPaymentToMissingAccountWithOpNoDestination() throws Exception {
        KeyPair payer = funded("5");

        assertFailed(submit(payer, Memo.none(), pay(KeyPair.random(), usdc, "1")), "op_no_destination");
    }

    @Test
    void shouldAnswerResubmittedEnvelopeFromHistoryWithoutApplyingItTwice() throws Exception {
        KeyPair payer = funded("20");
        KeyPair payee = receiver();
        Transaction tx = build(payer, Memo.text("once"), pay(payee, usdc, "7"));
        tx.sign(payer);
        long applied = horizon.appliedTransactionCount();

        SubmitTransactionResponse first = server.submitTransaction(tx, true);
        SubmitTransactionResponse again = server.submitTransactionXdr(tx.toEnvelopeXdrBase64());

        assertThat(first.isSuccess()).isTrue();
        assertThat(again.isSuccess()).isTrue();
        assertThat(again.getHash()).isEqualTo(first.getHash());
        assertThat(again.getLedger()).isEqualTo(first.getLedger());
        assertThat(horizon.balance(payee.getAccountId(), usdc)).isEqualByComparingTo("7");
        assertThat(horizon.payments(payee.getAccountId())).hasSize(1);
        assertThat(horizon.appliedTransactionCount()).isEqualTo(applied + 1);
    }

    @Test
    void shouldReturnEachPaymentOnceWhenPagingWithCursorsBothWays() throws Exception {
        KeyPair payer = funded("100");
        KeyPair payee = receiver();
        List<String> hashes = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            hashes.add(submit(payer, Memo.text("p" + i), pay(payee, usdc, Integer.toString(i)))
                    .getHash());
        }

        List<String> ascending = new ArrayList<>();
        String cursor = null;
        for (int pages = 0; pages < 5; pages++) {
            var request =
                    server.payments().forAccount(payee.getAccountId()).limit(2).order(RequestBuilder.Order.ASC);
            Page<OperationResponse> page = (cursor == null ? request : request.cursor(cursor)).execute();
            if (page.getRecords().isEmpty()) {
                break;
            }
            page.getRecords().forEach(r -> ascending.add(r.getTransactionHash()));
            cursor = page.getRecords().get(page.getRecords().size() - 1).getPagingToken();
        }
        List<String> descending = new ArrayList<>();
        Page<OperationResponse> page = server.payments()
                .forAccount(payee.getAccountId())
                .limit(3)
                .order(RequestBuilder.Order.DESC)
                .execute();
        page.getRecords().forEach(r -> descending.add(r.getTransactionHash()));
        page = page.getNextPage(server.getHttpClient());
        page.getRecords().forEach(r -> descending.add(r.getTransactionHash()));

        assertThat(ascending).containsExactlyElementsOf(hashes);
        assertThat(descending).containsExactlyElementsOf(hashes.reversed());
        assertThat(server.payments()
                        .forAccount(payee.getAccountId())
                        .cursor("now")
                        .execute()
                        .getRecords())
                .isEmpty();
    }

    @Test
    void shouldCreateAccountAndOpenTrustlineThroughOperations() throws Exception {
        KeyPair funder = horizon.createAccount(new BigDecimal("100"));
        KeyPair created = KeyPair.random();

        assertThat(submit(funder, Memo.none(), new CreateAccountOperation.Builder(created.getAccountId(), "5").build())
                        .isSuccess())
                .isTrue();
        assertThat(submit(
                                created,
                                Memo.none(),
                                new ChangeTrustOperation.Builder(ChangeTrustAsset.create(usdc), "1000").build())
                        .isSuccess())
                .isTrue();
        assertThat(submit(issuer, Memo.none(), pay(created, usdc, "25")).isSuccess())
                .isTrue();

        assertThat(horizon.balance(created.getAccountId(), usdc)).isEqualByComparingTo("25");
        assertThat(horizon.payments(created.getAccountId()))
                .extracting(FakePayment::type)
                .containsExactly("create_account", "payment");
        AccountResponse account = server.accounts().account(created.getAccountId());
        assertThat(account.getBalances()).hasSize(2);
    }

    @Test
    void shouldFailPaymentOverTrustlineLimitWithOpLineFull() throws Exception {
        KeyPair holder = horizon.createAccount(new BigDecimal("10"));
        submit(holder, Memo.none(), new ChangeTrustOperation.Builder(ChangeTrustAsset.create(usdc), "5").build());

        assertFailed(submit(issuer, Memo.none(), pay(holder, usdc, "6")), "op_line_full");
    }

    @Test
    void shouldAnswerNotFoundForUnknownAccountAndTransaction() {
        assertThatThrownBy(() -> server.accounts().account(KeyPair.random().getAccountId()))
                .isInstanceOfSatisfying(
                        ErrorResponse.class, e -> assertThat(e.getCode()).isEqualTo(404));
        assertThatThrownBy(() -> server.transactions().transaction("00".repeat(32)))
                .isInstanceOfSatisfying(
                        ErrorResponse.class, e -> assertThat(e.getCode()).isEqualTo(404));
    }

    @Test
    void shouldLetTheSdkRefuseMemolessPaymentToAccountRequiringMemo() throws Exception {
        KeyPair payer = funded("5");
        KeyPair payee = receiver();
        horizon.requireMemo(payee.getAccountId());
        Transaction tx = build(payer, Memo.none(), pay(payee, usdc, "1"));
        tx.sign(payer);

        assertThatThrownBy(() -> server.submitTransaction(tx)).isInstanceOf(AccountRequiresMemoException.class);
    }

    @Test
    void shouldRefuseBadPagingParametersWithBadRequest() {
        KeyPair account = receiver();

        for (var request : List.of(
                server.payments().forAccount(account.getAccountId()).cursor("yesterday"),
                server.payments().forAccount(account.getAccountId()).limit(201),
                server.payments().limit(0))) {
            assertThatThrownBy(request::execute).isInstanceOfSatisfying(ErrorResponse.class, e -> {
                assertThat(e.getCode()).isEqualTo(400);
                assertThat(e.getBody()).contains("bad_request", "invalid_field");
            });
        }
    }

    @Test
    void shouldListEveryAccountsPaymentsUnderGlobalPayments() throws Exception {
        KeyPair payer = funded("10");
        String hash = submit(payer, Memo.id(7L), pay(receiver(), usdc, "2")).getHash();

        Page<OperationResponse> newest = server.payments()
                .order(RequestBuilder.Order.DESC)
                .limit(1)
                .includeTransactions(true)
                .execute();

        assertThat(newest.getRecords()).singleElement().satisfies(op -> {
            assertThat(op.getTransactionHash()).isEqualTo(hash);
            assertThat(op.getTransaction())
                    .get()
                    .extracting(TransactionResponse::getMemo)
                    .isEqualTo(Memo.id(7L));
        });
    }

    @Test
    void shouldKeepPagingTokensGrowingAcrossRestarts() throws Exception {
        Instant now = Instant.now();
        String before = paymentTokenOnAFakeStartedAt(now);
        String after = paymentTokenOnAFakeStartedAt(now.plusSeconds(2));

        assertThat(Long.parseLong(after)).isGreaterThan(Long.parseLong(before));
    }

    private static String paymentTokenOnAFakeStartedAt(Instant start) throws Exception {
        try (FakeHorizon fresh = FakeHorizon.start(0, Clock.fixed(start, ZoneOffset.UTC));
                Server client = new Server(fresh.url())) {
            KeyPair from = fresh.createAccount(new BigDecimal("10"));
            KeyPair to = fresh.createAccount(new BigDecimal("10"));
            AccountResponse account = client.accounts().account(from.getAccountId());
            Transaction tx = new Transaction.Builder(account, fresh.network())
                    .addOperation(pay(to, Asset.create("native"), "1"))
                    .setTimeout(60)
                    .setBaseFee(100)
                    .build();
            tx.sign(from);
            assertThat(client.submitTransaction(tx, true).isSuccess()).isTrue();
            return fresh.payments(to.getAccountId()).getFirst().pagingToken();
        }
    }

    @Test
    void shouldServeRootWithTestnetPassphrase() throws Exception {
        assertThat(server.root().getNetworkPassphrase()).isEqualTo(Network.TESTNET.getNetworkPassphrase());
        assertThat(horizon.network()).isEqualTo(Network.TESTNET);
        assertThat(server.feeStats().execute().getLastLedgerBaseFee()).isEqualTo(100L);
    }

    /** An account holding {@code usdc} of the test asset. */
    private static KeyPair funded(String usdcAmount) {
        KeyPair account = horizon.createAccount(new BigDecimal("10"));
        horizon.credit(account.getAccountId(), usdc, new BigDecimal(usdcAmount));
        return account;
    }

    /** An account with a trustline to the test asset and no balance of it. */
    private static KeyPair receiver() {
        KeyPair account = horizon.createAccount(new BigDecimal("10"));
        horizon.trust(account.getAccountId(), usdc);
        return account;
    }

    private static Operation pay(KeyPair to, Asset asset, String amount) {
        return new PaymentOperation.Builder(to.getAccountId(), asset, amount).build();
    }

    private static Transaction build(KeyPair source, Memo memo, Operation... operations) throws Exception {
        AccountResponse account = server.accounts().account(source.getAccountId());
        Transaction.Builder builder = new Transaction.Builder(account, horizon.network());
        for (Operation op : operations) {
            builder.addOperation(op);
        }
        return builder.addMemo(memo).setTimeout(60).setBaseFee(100).build();
    }

    private static SubmitTransactionResponse submit(KeyPair source, Memo memo, Operation... operations)
            throws Exception {
        Transaction tx = build(source, memo, operations);
        tx.sign(source);
        return server.submitTransaction(tx, true);
    }

    private static void assertRefused(SubmitTransactionResponse response, String code) {
        assertThat(response.isSuccess()).isFalse();
        assertThat(response.getExtras().getResultCodes().getTransactionResultCode())
                .isEqualTo(code);
        assertThat(response.getExtras().getResultCodes().getOperationsResultCodes())
                .isNull();
    }

    private static void assertFailed(SubmitTransactionResponse response, String... operationCodes) {
        assertThat(response.isSuccess()).isFalse();
        assertThat(response.getExtras().getResultCodes().getTransactionResultCode())
                .isEqualTo("tx_failed");
        assertThat(response.getExtras().getResultCodes().getOperationsResultCodes())
                .containsExactly(operationCodes);
    }
}
