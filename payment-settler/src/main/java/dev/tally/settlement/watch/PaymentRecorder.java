package dev.tally.settlement.watch;

import dev.tally.platform.outbox.Outbox;
import dev.tally.schemas.topic.Topics;
import dev.tally.settlement.PaymentEvents;
import dev.tally.settlement.request.PaymentRequest;
import dev.tally.settlement.request.PaymentRequestDao;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records one payment received by the watched account, once per Stellar operation, and settles the
 * request it pays. Settling (request row, payment row, SETTLED event in the outbox) happens in the
 * caller's transaction, so it is all or nothing.
 */
public final class PaymentRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(PaymentRecorder.class);

    private final Outbox outbox;
    private final Topics topics;

    public PaymentRecorder(Outbox outbox, Topics topics) {
        this.outbox = outbox;
        this.topics = topics;
    }

    /**
     * Records {@code payment} if it is a successful value transfer to {@code account}; other
     * operations of the account (outgoing, account creation, failed) are not payments to it.
     *
     * @return whether a SETTLED event was enqueued
     */
    public boolean record(Handle handle, String account, ObservedPayment payment, Instant now) {
        if (!payment.successful() || !payment.valueTransfer() || !account.equals(payment.to())) {
            return false;
        }
        PaymentRequestDao requests = new PaymentRequestDao(handle);
        Optional<PaymentRequestDao.Stored> stored =
                payment.memoText() == null ? Optional.empty() : requests.forMemoLocked(payment.memoText());
        Optional<PaymentRequest> request = stored.map(PaymentRequestDao.Stored::request);
        Outcome outcome = PaymentMatcher.match(
                payment,
                request,
                stored.map(PaymentRequestDao.Stored::settled).orElse(false),
                stored.map(PaymentRequestDao.Stored::withdrawn).orElse(false));
        String invoiceId = request.map(PaymentRequest::invoiceId).orElse(null);
        if (!new StellarPaymentDao(handle).insert(payment, outcome, invoiceId, now)) {
            return false;
        }
        if (outcome != Outcome.SETTLED) {
            LOG.warn(
                    "payment {}/{} of {} {} from {} with memo {}: {}",
                    payment.transactionHash(),
                    payment.operationId(),
                    payment.amount().toPlainString(),
                    payment.assetCode(),
                    payment.from(),
                    payment.memoText(),
                    outcome);
            return false;
        }
        requests.markSettled(invoiceId, payment.transactionHash(), payment.operationId(), payment.closedAt());
        outbox.enqueue(handle, topics.paymentEvents(), invoiceId, PaymentEvents.settled(request.get(), payment));
        LOG.info("invoice {} settled by transaction {}", invoiceId, payment.transactionHash());
        return true;
    }
}
