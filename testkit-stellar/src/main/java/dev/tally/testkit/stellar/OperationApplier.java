package dev.tally.testkit.stellar;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Map;
import org.stellar.sdk.Asset;
import org.stellar.sdk.AssetTypeCreditAlphaNum;
import org.stellar.sdk.ChangeTrustAsset;
import org.stellar.sdk.ChangeTrustOperation;
import org.stellar.sdk.CreateAccountOperation;
import org.stellar.sdk.Memo;
import org.stellar.sdk.Operation;
import org.stellar.sdk.PathPaymentStrictReceiveOperation;
import org.stellar.sdk.PathPaymentStrictSendOperation;
import org.stellar.sdk.PaymentOperation;
import org.stellar.sdk.xdr.ChangeTrustResultCode;
import org.stellar.sdk.xdr.CreateAccountResultCode;
import org.stellar.sdk.xdr.PaymentResultCode;

/**
 * Applies operations to working copies of accounts, checking them in the order stellar-core does.
 * The copies only become live if every operation of the transaction succeeds.
 */
final class OperationApplier {

    /** What one operation did: its outcome and, for a payment-like operation, the payment. */
    record Result(OperationOutcome outcome, FakePayment payment) {}

    private final FakeLedger ledger;
    private final Map<String, FakeAccount> working;
    private final long closedLedger;

    OperationApplier(FakeLedger ledger, Map<String, FakeAccount> working, long closedLedger) {
        this.ledger = ledger;
        this.working = working;
        this.closedLedger = closedLedger;
    }

    Result apply(Operation op, MuxedAddress sourceAddress) {
        FakeAccount source = account(sourceAddress.accountId());
        if (source == null) {
            return new Result(OperationOutcome.noSourceAccount(), null);
        }
        return switch (op) {
            case PaymentOperation payment -> payment(payment, source, sourceAddress);
            case PathPaymentStrictSendOperation send -> strictSend(send, source, sourceAddress);
            case PathPaymentStrictReceiveOperation receive -> strictReceive(receive, source, sourceAddress);
            case CreateAccountOperation create -> createAccount(create, source);
            case ChangeTrustOperation trust -> new Result(changeTrust(trust, source), null);
            default -> new Result(OperationOutcome.notSupported(), null);
        };
    }

    private Result payment(PaymentOperation op, FakeAccount source, MuxedAddress from) {
        BigDecimal amount = new BigDecimal(op.getAmount());
        Asset asset = op.getAsset();
        if (amount.signum() <= 0) {
            return new Result(OperationOutcome.payment(PaymentResultCode.PAYMENT_MALFORMED), null);
        }
        MuxedAddress to = MuxedAddress.of(op.getDestination());
        FakeAccount destination = account(to.accountId());
        Shortfall shortfall = destination == null
                ? Shortfall.NO_DESTINATION
                : Transfers.check(source, asset, amount, destination, asset, amount);
        if (shortfall != null) {
            return new Result(OperationOutcome.payment(shortfall.payment()), null);
        }
        Transfers.move(source, asset, amount, destination, asset, amount);
        touch(source, destination);
        return new Result(
                OperationOutcome.payment(PaymentResultCode.PAYMENT_SUCCESS),
                pending("payment", from, to, asset, amount, null, null));
    }

    /** Sends exactly {@code sendAmount}; delivers what the fake market's rate gives, at least {@code destMin}. */
    private Result strictSend(PathPaymentStrictSendOperation op, FakeAccount source, MuxedAddress from) {
        BigDecimal sent = new BigDecimal(op.getSendAmount());
        BigDecimal destMin = new BigDecimal(op.getDestMin());
        if (sent.signum() <= 0 || destMin.signum() <= 0) {
            return strictSendFailed(Shortfall.MALFORMED);
        }
        MuxedAddress to = MuxedAddress.of(op.getDestination());
        FakeAccount destination = account(to.accountId());
        if (destination == null) {
            return strictSendFailed(Shortfall.NO_DESTINATION);
        }
        BigDecimal rate = ledger.rate(op.getSendAsset(), op.getDestAsset());
        if (rate == null) {
            return strictSendFailed(Shortfall.TOO_FEW_OFFERS);
        }
        BigDecimal delivered = sent.multiply(rate).setScale(Amounts.SCALE, RoundingMode.DOWN);
        if (delivered.compareTo(destMin) < 0) {
            return strictSendFailed(Shortfall.PAST_LIMIT);
        }
        return pathPayment(
                "path_payment_strict_send",
                source,
                from,
                op.getSendAsset(),
                sent,
                destination,
                to,
                op.getDestAsset(),
                delivered,
                OperationOutcome::strictSend);
    }

    /** Delivers exactly {@code destAmount}; sends what the fake market's rate asks, at most {@code sendMax}. */
    private Result strictReceive(PathPaymentStrictReceiveOperation op, FakeAccount source, MuxedAddress from) {
        BigDecimal delivered = new BigDecimal(op.getDestAmount());
        BigDecimal sendMax = new BigDecimal(op.getSendMax());
        if (delivered.signum() <= 0 || sendMax.signum() <= 0) {
            return strictReceiveFailed(Shortfall.MALFORMED);
        }
        MuxedAddress to = MuxedAddress.of(op.getDestination());
        FakeAccount destination = account(to.accountId());
        if (destination == null) {
            return strictReceiveFailed(Shortfall.NO_DESTINATION);
        }
        BigDecimal rate = ledger.rate(op.getSendAsset(), op.getDestAsset());
        if (rate == null) {
            return strictReceiveFailed(Shortfall.TOO_FEW_OFFERS);
        }
        BigDecimal sent = delivered.divide(rate, Amounts.SCALE, RoundingMode.UP);
        if (sent.compareTo(sendMax) > 0) {
            return strictReceiveFailed(Shortfall.PAST_LIMIT);
        }
        return pathPayment(
                "path_payment_strict_receive",
                source,
                from,
                op.getSendAsset(),
                sent,
                destination,
                to,
                op.getDestAsset(),
                delivered,
                OperationOutcome::strictReceive);
    }

    private Result pathPayment(
            String type,
            FakeAccount source,
            MuxedAddress from,
            Asset sendAsset,
            BigDecimal sent,
            FakeAccount destination,
            MuxedAddress to,
            Asset destAsset,
            BigDecimal delivered,
            PathOutcome outcome) {
        Shortfall shortfall = Transfers.check(source, sendAsset, sent, destination, destAsset, delivered);
        if (shortfall != null) {
            return new Result(outcome.of(shortfall, to.accountId(), destAsset, delivered), null);
        }
        Transfers.move(source, sendAsset, sent, destination, destAsset, delivered);
        touch(source, destination);
        return new Result(
                outcome.of(null, to.accountId(), destAsset, delivered),
                pending(type, from, to, destAsset, delivered, sendAsset, sent));
    }

    /** Renders a path payment's outcome: a shortfall, or (null) success delivering {@code amount}. */
    @FunctionalInterface
    private interface PathOutcome {
        OperationOutcome of(Shortfall shortfall, String destination, Asset asset, BigDecimal amount);
    }

    private static Result strictSendFailed(Shortfall shortfall) {
        return new Result(OperationOutcome.strictSend(shortfall, null, null, null), null);
    }

    private static Result strictReceiveFailed(Shortfall shortfall) {
        return new Result(OperationOutcome.strictReceive(shortfall, null, null, null), null);
    }

    private Result createAccount(CreateAccountOperation op, FakeAccount source) {
        BigDecimal starting = new BigDecimal(op.getStartingBalance());
        if (starting.signum() <= 0) {
            return failedCreate(CreateAccountResultCode.CREATE_ACCOUNT_MALFORMED);
        }
        if (account(op.getDestination()) != null) {
            return failedCreate(CreateAccountResultCode.CREATE_ACCOUNT_ALREADY_EXIST);
        }
        if (starting.compareTo(FakeAccount.BASE_RESERVE.multiply(BigDecimal.TWO)) < 0) {
            return failedCreate(CreateAccountResultCode.CREATE_ACCOUNT_LOW_RESERVE);
        }
        if (source.spendableNative().compareTo(starting) < 0) {
            return failedCreate(CreateAccountResultCode.CREATE_ACCOUNT_UNDERFUNDED);
        }
        source.nativeBalance = source.nativeBalance.subtract(starting);
        FakeAccount created =
                new FakeAccount(op.getDestination(), closedLedger << 32, Amounts.scaled(starting), closedLedger);
        working.put(created.id, created);
        touch(source, created);
        return new Result(
                OperationOutcome.createAccount(CreateAccountResultCode.CREATE_ACCOUNT_SUCCESS),
                pending(
                        "create_account",
                        MuxedAddress.of(source.id),
                        MuxedAddress.of(created.id),
                        FakeAccount.NATIVE,
                        starting,
                        null,
                        null));
    }

    private OperationOutcome changeTrust(ChangeTrustOperation op, FakeAccount source) {
        if (!(op.getAsset() instanceof ChangeTrustAsset.Wrapper wrapper)
                || !(wrapper.getAsset() instanceof AssetTypeCreditAlphaNum)) {
            return OperationOutcome.notSupported();
        }
        Asset asset = wrapper.getAsset();
        BigDecimal limit = new BigDecimal(op.getLimit());
        if (limit.signum() < 0) {
            return OperationOutcome.changeTrust(ChangeTrustResultCode.CHANGE_TRUST_MALFORMED);
        }
        if (source.issues(asset)) {
            return OperationOutcome.changeTrust(ChangeTrustResultCode.CHANGE_TRUST_SELF_NOT_ALLOWED);
        }
        FakeAccount.Trustline line = source.trustlines.get(asset);
        if (limit.signum() == 0) {
            if (line == null || line.balance.signum() != 0) {
                return OperationOutcome.changeTrust(ChangeTrustResultCode.CHANGE_TRUST_INVALID_LIMIT);
            }
            source.trustlines.remove(asset);
        } else if (line == null) {
            // A new trustline is a subentry: the account must still cover its raised reserve.
            if (source.spendableNative().compareTo(FakeAccount.BASE_RESERVE) < 0) {
                return OperationOutcome.changeTrust(ChangeTrustResultCode.CHANGE_TRUST_LOW_RESERVE);
            }
            source.trustlines.put(asset, new FakeAccount.Trustline(Amounts.ZERO, Amounts.scaled(limit)));
        } else {
            if (limit.compareTo(line.balance) < 0) {
                return OperationOutcome.changeTrust(ChangeTrustResultCode.CHANGE_TRUST_INVALID_LIMIT);
            }
            line.limit = Amounts.scaled(limit);
        }
        touch(source, source);
        return OperationOutcome.changeTrust(ChangeTrustResultCode.CHANGE_TRUST_SUCCESS);
    }

    /** The working copy of an account (copied from the live one on first touch), or null. */
    private FakeAccount account(String accountId) {
        FakeAccount copy = working.get(accountId);
        if (copy == null) {
            FakeAccount live = ledger.live(accountId);
            if (live == null) {
                return null;
            }
            copy = live.copy();
            working.put(accountId, copy);
        }
        return copy;
    }

    private void touch(FakeAccount a, FakeAccount b) {
        a.lastModifiedLedger = closedLedger;
        b.lastModifiedLedger = closedLedger;
    }

    /** A payment whose id, transaction and memo the processor fills in once the transaction is known. */
    private static FakePayment pending(
            String type,
            MuxedAddress from,
            MuxedAddress to,
            Asset asset,
            BigDecimal amount,
            Asset sourceAsset,
            BigDecimal sourceAmount) {
        return new FakePayment(
                0,
                type,
                "",
                from.accountId(),
                from.muxed(),
                to.accountId(),
                to.muxed(),
                asset,
                Amounts.scaled(amount),
                sourceAsset,
                sourceAmount == null ? null : Amounts.scaled(sourceAmount),
                Memo.none(),
                Instant.EPOCH);
    }

    private static Result failedCreate(CreateAccountResultCode code) {
        return new Result(OperationOutcome.createAccount(code), null);
    }
}
