package dev.tally.testkit.stellar;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.stellar.sdk.AbstractTransaction;
import org.stellar.sdk.AccountConverter;
import org.stellar.sdk.FeeBumpTransaction;
import org.stellar.sdk.KeyPair;
import org.stellar.sdk.Network;
import org.stellar.sdk.Operation;
import org.stellar.sdk.TimeBounds;
import org.stellar.sdk.Transaction;
import org.stellar.sdk.xdr.DecoratedSignature;
import org.stellar.sdk.xdr.TransactionResultCode;

/**
 * Validates one submitted envelope as stellar-core would (network, time bounds, fee, sequence,
 * signatures, fee balance) and applies its operations all-or-nothing. Runs under the ledger's lock.
 */
final class TransactionProcessor {

    /** Stellar's minimum fee per operation, in stroops. */
    static final long BASE_FEE = 100;

    private static final BigDecimal STROOPS_PER_LUMEN = BigDecimal.valueOf(10_000_000L);

    private final FakeLedger ledger;
    private final Network network;

    TransactionProcessor(FakeLedger ledger, Network network) {
        this.ledger = ledger;
        this.network = network;
    }

    SubmitOutcome submit(String envelopeXdr) {
        AbstractTransaction decoded;
        try {
            // Muxed (M...) addresses are kept as written (so the hash is the envelope's own); MuxedAddress finds
            // the G... account behind each.
            decoded = AbstractTransaction.fromEnvelopeXdr(AccountConverter.enableMuxed(), envelopeXdr, network);
        } catch (IOException | RuntimeException e) {
            return new SubmitOutcome.Malformed("cannot decode the transaction envelope: " + e.getMessage());
        }
        if (decoded instanceof FeeBumpTransaction) {
            return refused(envelopeXdr, TransactionResultCode.txNOT_SUPPORTED);
        }
        Transaction tx = (Transaction) decoded;
        String hash = tx.hashHex();
        AppliedTransaction earlier = ledger.known(hash);
        if (earlier != null) {
            // Horizon answers a resubmitted envelope from history: the same result, nothing applied again.
            return earlier.successful() ? new SubmitOutcome.Applied(earlier) : new SubmitOutcome.Failed(earlier);
        }
        TransactionResultCode refusal = precheck(tx);
        if (refusal != null) {
            return refused(envelopeXdr, refusal);
        }
        return apply(tx, hash, envelopeXdr);
    }

    /** The checks that refuse a transaction before it enters a ledger, or null if it may enter one. */
    private TransactionResultCode precheck(Transaction tx) {
        FakeAccount source = ledger.live(sourceAccount(tx));
        if (source == null) {
            return TransactionResultCode.txNO_ACCOUNT;
        }
        TimeBounds bounds =
                tx.getPreconditions() == null ? null : tx.getPreconditions().getTimeBounds();
        if (bounds != null) {
            BigInteger now = BigInteger.valueOf(ledger.now().getEpochSecond());
            if (now.compareTo(bounds.getMinTime()) < 0) {
                return TransactionResultCode.txTOO_EARLY;
            }
            if (bounds.getMaxTime().signum() != 0 && now.compareTo(bounds.getMaxTime()) > 0) {
                return TransactionResultCode.txTOO_LATE;
            }
        }
        if (tx.getFee() < BASE_FEE * tx.getOperations().length) {
            return TransactionResultCode.txINSUFFICIENT_FEE;
        }
        if (tx.getSequenceNumber() != source.sequence + 1) {
            return TransactionResultCode.txBAD_SEQ;
        }
        TransactionResultCode auth = checkSignatures(tx);
        if (auth != null) {
            return auth;
        }
        if (source.nativeBalance.compareTo(lumens(feeCharged(tx))) < 0) {
            return TransactionResultCode.txINSUFFICIENT_BALANCE;
        }
        return null;
    }

    /**
     * Every account that sources the transaction or one of its operations must have signed the
     * transaction hash (for this network) with its key; a signature matching no such key is extra.
     */
    private TransactionResultCode checkSignatures(Transaction tx) {
        Set<String> required = new LinkedHashSet<>();
        required.add(sourceAccount(tx));
        for (Operation op : tx.getOperations()) {
            String opSource = MuxedAddress.of(op.getSourceAccount()).accountId();
            if (opSource != null && ledger.live(opSource) != null) {
                required.add(opSource);
            }
        }
        byte[] hash = tx.hash();
        Set<String> signed = new LinkedHashSet<>();
        boolean extra = false;
        for (DecoratedSignature signature : tx.getSignatures()) {
            String signer = required.stream()
                    .filter(account -> verifies(account, hash, signature))
                    .findFirst()
                    .orElse(null);
            if (signer == null) {
                extra = true;
            } else {
                signed.add(signer);
            }
        }
        if (!signed.containsAll(required)) {
            return TransactionResultCode.txBAD_AUTH;
        }
        return extra ? TransactionResultCode.txBAD_AUTH_EXTRA : null;
    }

    private static boolean verifies(String accountId, byte[] hash, DecoratedSignature signature) {
        KeyPair key = KeyPair.fromAccountId(accountId);
        return Arrays.equals(
                        key.getSignatureHint().getSignatureHint(),
                        signature.getHint().getSignatureHint())
                && key.verify(hash, signature.getSignature().getSignature());
    }

    private SubmitOutcome apply(Transaction tx, String hash, String envelopeXdr) {
        long closed = ledger.closeLedger();
        Instant closeTime = ledger.now();
        long fee = feeCharged(tx);

        // Sequence and fee are consumed even if an operation fails, as on Stellar.
        FakeAccount feePayer = ledger.live(sourceAccount(tx)).copy();
        feePayer.sequence = tx.getSequenceNumber();
        feePayer.nativeBalance = feePayer.nativeBalance.subtract(lumens(fee));
        feePayer.lastModifiedLedger = closed;

        Map<String, FakeAccount> working = new HashMap<>();
        working.put(feePayer.id, feePayer.copy());
        OperationApplier applier = new OperationApplier(ledger, working, closed);
        List<OperationOutcome> outcomes = new ArrayList<>();
        List<FakePayment> payments = new ArrayList<>();
        Operation[] operations = tx.getOperations();
        for (int i = 0; i < operations.length; i++) {
            Operation op = operations[i];
            MuxedAddress source =
                    MuxedAddress.of(op.getSourceAccount() != null ? op.getSourceAccount() : tx.getSourceAccount());
            OperationApplier.Result result = applier.apply(op, source);
            outcomes.add(result.outcome());
            if (result.payment() != null) {
                FakePayment p = result.payment();
                payments.add(p.made(Toid.of(closed, i + 1), hash, tx.getMemo(), closeTime));
            }
        }
        boolean success = outcomes.stream().allMatch(OperationOutcome::success);
        TransactionResultCode code = success ? TransactionResultCode.txSUCCESS : TransactionResultCode.txFAILED;
        AppliedTransaction record = new AppliedTransaction(
                hash,
                closed,
                closeTime,
                sourceAccount(tx),
                tx.getSequenceNumber(),
                fee,
                tx.getFee(),
                operations.length,
                envelopeXdr,
                TransactionResults.withOperations(code, fee, outcomes),
                tx.getMemo(),
                tx.getSignatures().stream()
                        .map(s -> Base64.getEncoder()
                                .encodeToString(s.getSignature().getSignature()))
                        .toList(),
                success,
                outcomes.stream().map(OperationOutcome::code).toList());
        if (success) {
            ledger.record(record, working, payments);
            return new SubmitOutcome.Applied(record);
        }
        ledger.record(record, Map.of(feePayer.id, feePayer), List.of());
        return new SubmitOutcome.Failed(record);
    }

    private static SubmitOutcome refused(String envelopeXdr, TransactionResultCode code) {
        return new SubmitOutcome.Refused(envelopeXdr, horizonCode(code), TransactionResults.refused(code));
    }

    /** Horizon's name for a transaction result code: {@code txBAD_SEQ} is {@code tx_bad_seq}. */
    static String horizonCode(TransactionResultCode code) {
        if (code == TransactionResultCode.txNO_ACCOUNT) {
            return "tx_no_source_account";
        }
        return "tx_" + code.name().substring(2).toLowerCase(Locale.ROOT);
    }

    /** The {@code G...} account behind the transaction's (possibly muxed) source. */
    private static String sourceAccount(Transaction tx) {
        return MuxedAddress.of(tx.getSourceAccount()).accountId();
    }

    private static long feeCharged(Transaction tx) {
        return BASE_FEE * tx.getOperations().length;
    }

    private static BigDecimal lumens(long stroops) {
        return Amounts.scaled(BigDecimal.valueOf(stroops).divide(STROOPS_PER_LUMEN));
    }
}
