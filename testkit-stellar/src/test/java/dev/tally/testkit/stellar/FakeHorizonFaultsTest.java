package dev.tally.testkit.stellar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.stellar.sdk.Account;
import org.stellar.sdk.Asset;
import org.stellar.sdk.KeyPair;
import org.stellar.sdk.PaymentOperation;
import org.stellar.sdk.Server;
import org.stellar.sdk.Transaction;
import org.stellar.sdk.requests.TooManyRequestsException;
import org.stellar.sdk.responses.SubmitTransactionResponse;
import org.stellar.sdk.responses.SubmitTransactionTimeoutResponseException;

/** The faults a submitter must survive, armed on the fake and met through the real SDK. */
class FakeHorizonFaultsTest {

    private static final Asset XLM = Asset.create("native");

    private FakeHorizon horizon;
    private Server server;
    private KeyPair payer;
    private KeyPair payee;

    @BeforeEach
    void start() {
        horizon = FakeHorizon.start();
        server = new Server(horizon.url());
        payer = horizon.createAccount(new BigDecimal("100"));
        payee = horizon.createAccount(new BigDecimal("10"));
    }

    @AfterEach
    void stop() {
        server.close();
        horizon.close();
    }

    @Test
    void shouldApplyASubmissionAnswered504AndAnswerItsResubmissionFromHistory() throws Exception {
        Transaction tx = payment("5");
        horizon.faults().nextSubmissionAppliedButTimesOut();

        assertThatThrownBy(() -> server.submitTransaction(tx, true))
                .isInstanceOf(SubmitTransactionTimeoutResponseException.class);
        assertThat(horizon.balance(payee.getAccountId(), XLM)).isEqualByComparingTo("15");

        SubmitTransactionResponse again = server.submitTransaction(tx, true);
        assertThat(again.isSuccess()).isTrue();
        assertThat(again.getHash()).isEqualTo(tx.hashHex());
        assertThat(horizon.balance(payee.getAccountId(), XLM)).isEqualByComparingTo("15");
        assertThat(horizon.appliedTransactionCount()).isEqualTo(1);
    }

    @Test
    void shouldRefuseANewEnvelopeOnTheSequenceATimedOutOneUsed() throws Exception {
        Transaction first = payment("5");
        Transaction replacement = payment("5.0000001"); // the same sequence number, another envelope
        horizon.faults().nextSubmissionAppliedButTimesOut();
        assertThatThrownBy(() -> server.submitTransaction(first, true))
                .isInstanceOf(SubmitTransactionTimeoutResponseException.class);

        SubmitTransactionResponse second = server.submitTransaction(replacement, true);

        assertThat(replacement.hashHex()).isNotEqualTo(first.hashHex());
        assertThat(second.isSuccess()).isFalse();
        assertThat(second.getExtras().getResultCodes().getTransactionResultCode())
                .isEqualTo("tx_bad_seq");
        assertThat(server.transactions().transaction(first.hashHex()).getSuccessful())
                .isTrue();
        assertThat(horizon.balance(payee.getAccountId(), XLM)).isEqualByComparingTo("15");
    }

    @Test
    void shouldApplyNothingOnA504BeforeTheLedgerAndTheSameEnvelopeOnceAfter() throws Exception {
        Transaction tx = payment("5");
        horizon.faults().nextSubmissionTimesOutUnapplied();

        assertThatThrownBy(() -> server.submitTransaction(tx, true))
                .isInstanceOf(SubmitTransactionTimeoutResponseException.class);
        assertThat(horizon.balance(payee.getAccountId(), XLM)).isEqualByComparingTo("10");
        assertThat(horizon.appliedTransactionCount()).isZero();

        assertThat(server.submitTransaction(tx, true).isSuccess()).isTrue();
        assertThat(horizon.balance(payee.getAccountId(), XLM)).isEqualByComparingTo("15");
    }

    @Test
    void shouldApplyASubmissionWhoseConnectionDropsSoOnlyItsHashTellsTheOutcome() throws Exception {
        Transaction tx = payment("5");
        horizon.faults().nextSubmissionAppliedButUnanswered();

        assertThatThrownBy(() -> server.submitTransaction(tx, true)).isInstanceOf(IOException.class);

        assertThat(server.transactions().transaction(tx.hashHex()).getSuccessful())
                .isTrue();
        assertThat(horizon.balance(payee.getAccountId(), XLM)).isEqualByComparingTo("15");
    }

    @Test
    void shouldAnswer429WithRetryAfterForTheArmedNumberOfRequestsOnly() throws Exception {
        horizon.faults().rateLimitNext(2, Duration.ofSeconds(3));

        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> server.accounts().account(payer.getAccountId()))
                    .isInstanceOfSatisfying(TooManyRequestsException.class, e -> assertThat(e.getRetryAfter())
                            .contains(3));
        }

        assertThat(server.accounts().account(payer.getAccountId()).getAccountId())
                .isEqualTo(payer.getAccountId());
    }

    /** A signed lumen payment on the payer's next sequence number, not yet submitted. */
    private Transaction payment(String amount) {
        Account account = new Account(payer.getAccountId(), horizon.sequence(payer.getAccountId()));
        Transaction tx = new Transaction.Builder(account, horizon.network())
                .addOperation(new PaymentOperation.Builder(payee.getAccountId(), XLM, amount).build())
                .setTimeout(60)
                .setBaseFee(100)
                .build();
        tx.sign(payer);
        return tx;
    }
}
