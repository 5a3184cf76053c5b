package dev.tally.testkit.stellar;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import org.stellar.sdk.Asset;
import org.stellar.sdk.AssetTypeCreditAlphaNum;
import org.stellar.sdk.ChangeTrustAsset;
import org.stellar.sdk.ChangeTrustOperation;
import org.stellar.sdk.CreateAccountOperation;
import org.stellar.sdk.Memo;
import org.stellar.sdk.Operation;
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

    Result apply(Operation op, String sourceId) {
        FakeAccount source = account(sourceId);
        if (source == null) {
            return new Result(OperationOutcome.noSourceAccount(), null);
        }
        return switch (op) {
            case PaymentOperation payment -> payment(payment, source);
            case CreateAccountOperation create -> createAccount(create, source);
            case ChangeTrustOperation trust -> new Result(changeTrust(trust, source), null);
            default -> new Result(OperationOutcome.notSupported(), null);
        };
    }

    private Result payment(PaymentOperation op, FakeAccount source) {
        BigDecimal amount = new BigDecimal(op.getAmount());
        Asset asset = op.getAsset();
        if (amount.signum() <= 0) {
            return failedPayment(PaymentResultCode.PAYMENT_MALFORMED);
        }
        FakeAccount destination = account(op.getDestination());
        if (destination == null) {
            return failedPayment(PaymentResultCode.PAYMENT_NO_DESTINATION);
        }
        if (asset.equals(FakeAccount.NATIVE)) {
            if (source.spendableNative().compareTo(amount) < 0) {
                return failedPayment(PaymentResultCode.PAYMENT_UNDERFUNDED);
            }
            source.nativeBalance = source.nativeBalance.subtract(amount);
            destination.nativeBalance = destination.nativeBalance.add(amount);
        } else {
            PaymentResultCode credit = moveCredit(asset, amount, source, destination);
            if (credit != PaymentResultCode.PAYMENT_SUCCESS) {
                return failedPayment(credit);
            }
        }
        touch(source, destination);
        return new Result(
                OperationOutcome.payment(PaymentResultCode.PAYMENT_SUCCESS),
                pending("payment", source.id, destination.id, asset, amount));
    }

    /** Moves a credit asset; the issuer mints what it sends and burns what it receives. */
    private static PaymentResultCode moveCredit(
            Asset asset, BigDecimal amount, FakeAccount source, FakeAccount destination) {
        FakeAccount.Trustline to = destination.issues(asset) ? null : destination.trustlines.get(asset);
        if (!destination.issues(asset)) {
            if (to == null) {
                return PaymentResultCode.PAYMENT_NO_TRUST;
            }
            if (to.balance.add(amount).compareTo(to.limit) > 0) {
                return PaymentResultCode.PAYMENT_LINE_FULL;
            }
        }
        FakeAccount.Trustline from = source.issues(asset) ? null : source.trustlines.get(asset);
        if (!source.issues(asset)) {
            if (from == null) {
                return PaymentResultCode.PAYMENT_SRC_NO_TRUST;
            }
            if (from.balance.compareTo(amount) < 0) {
                return PaymentResultCode.PAYMENT_UNDERFUNDED;
            }
            from.balance = from.balance.subtract(amount);
        }
        if (to != null) {
            to.balance = to.balance.add(amount);
        }
        return PaymentResultCode.PAYMENT_SUCCESS;
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
                pending("create_account", source.id, created.id, FakeAccount.NATIVE, starting));
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
    private static FakePayment pending(String type, String from, String to, Asset asset, BigDecimal amount) {
        return new FakePayment(0, type, "", from, to, asset, Amounts.scaled(amount), Memo.none(), Instant.EPOCH);
    }

    private static Result failedPayment(PaymentResultCode code) {
        return new Result(OperationOutcome.payment(code), null);
    }

    private static Result failedCreate(CreateAccountResultCode code) {
        return new Result(OperationOutcome.createAccount(code), null);
    }
}
