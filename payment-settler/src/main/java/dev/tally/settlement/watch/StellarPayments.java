package dev.tally.settlement.watch;

import java.util.List;

/**
 * The settler's view of Stellar (a Horizon server): the payments an account received, in ledger
 * order, paged by Horizon's paging tokens.
 */
public interface StellarPayments {

    /**
     * Up to {@code limit} payment-like operations of {@code account} after {@code cursor} (null:
     * from the account's first), oldest first. An account the network does not know yet has none.
     *
     * @throws dev.tally.settlement.SettlementException ({@code HORIZON_UNAVAILABLE}) if Horizon fails
     */
    List<ObservedPayment> paymentsAfter(String account, String cursor, int limit);

    /**
     * The passphrase of the network Horizon serves.
     *
     * @throws dev.tally.settlement.SettlementException ({@code HORIZON_UNAVAILABLE}) if Horizon fails
     */
    String networkPassphrase();
}
