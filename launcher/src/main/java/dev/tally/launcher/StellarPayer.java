package dev.tally.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import org.stellar.sdk.AccountRequiresMemoException;
import org.stellar.sdk.Asset;
import org.stellar.sdk.KeyPair;
import org.stellar.sdk.Memo;
import org.stellar.sdk.Network;
import org.stellar.sdk.PaymentOperation;
import org.stellar.sdk.Server;
import org.stellar.sdk.Transaction;
import org.stellar.sdk.responses.AccountResponse;
import org.stellar.sdk.responses.SubmitTransactionResponse;

/**
 * Pays like a customer's wallet would: builds a payment transaction with the real Stellar SDK,
 * signs it with the payer's key and submits it to Horizon.
 */
final class StellarPayer {

    private final Server horizon;
    private final Network network;

    StellarPayer(Server horizon, Network network) {
        this.horizon = horizon;
        this.network = network;
    }

    /**
     * Sends {@code amount} of {@code asset} from {@code payer} to {@code destination} with a text memo.
     *
     * @return the hash of the applied transaction
     * @throws IllegalStateException when Horizon refuses the transaction, with its result codes
     */
    String pay(KeyPair payer, String destination, Asset asset, BigDecimal amount, String memo) {
        try {
            AccountResponse account = horizon.accounts().account(payer.getAccountId());
            Transaction transaction = new Transaction.Builder(account, network)
                    .addOperation(new PaymentOperation.Builder(destination, asset, amount.toPlainString()).build())
                    .addMemo(Memo.text(memo))
                    .setTimeout(60)
                    .setBaseFee(Transaction.MIN_BASE_FEE)
                    .build();
            transaction.sign(payer);
            SubmitTransactionResponse response = horizon.submitTransaction(transaction);
            if (!response.isSuccess()) {
                throw new IllegalStateException("Horizon refused the payment: "
                        + response.getExtras().getResultCodes().getTransactionResultCode() + " "
                        + response.getExtras().getResultCodes().getOperationsResultCodes());
            }
            return response.getHash();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach Horizon", e);
        } catch (AccountRequiresMemoException e) {
            throw new IllegalStateException("the destination requires a memo", e);
        }
    }
}
