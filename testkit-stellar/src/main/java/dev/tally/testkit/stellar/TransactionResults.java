package dev.tally.testkit.stellar;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.stellar.sdk.xdr.Int64;
import org.stellar.sdk.xdr.OperationResult;
import org.stellar.sdk.xdr.TransactionResult;
import org.stellar.sdk.xdr.TransactionResultCode;

/** Encodes a transaction's result as the base64 {@code TransactionResult} XDR Horizon returns. */
final class TransactionResults {

    private TransactionResults() {}

    /** The XDR of a transaction that reached its operations (success or {@code tx_failed}). */
    static String withOperations(TransactionResultCode code, long feeCharged, List<OperationOutcome> outcomes) {
        return encode(
                code, feeCharged, outcomes.stream().map(OperationOutcome::xdr).toArray(OperationResult[]::new));
    }

    /** The XDR of a transaction refused before its operations ran (bad auth, bad sequence, ...). */
    static String refused(TransactionResultCode code) {
        return encode(code, 0, null);
    }

    private static String encode(TransactionResultCode code, long feeCharged, OperationResult[] results) {
        TransactionResult.TransactionResultResult.Builder result =
                new TransactionResult.TransactionResultResult.Builder().discriminant(code);
        if (results != null) {
            result.results(results);
        }
        TransactionResult xdr = new TransactionResult.Builder()
                .feeCharged(new Int64(feeCharged))
                .result(result.build())
                .ext(new TransactionResult.TransactionResultExt.Builder()
                        .discriminant(0)
                        .build())
                .build();
        try {
            return xdr.toXdrBase64();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a transaction result", e);
        }
    }
}
