package dev.tally.testkit.stellar;

import java.math.BigInteger;
import org.stellar.sdk.AccountConverter;
import org.stellar.sdk.KeyPair;
import org.stellar.sdk.xdr.CryptoKeyType;
import org.stellar.sdk.xdr.MuxedAccount;

/**
 * An account as a transaction names it: a plain {@code G...} account, or a muxed {@code M...} address (SEP-23:
 * the account plus a 64-bit id). Balances, sequence numbers and signatures belong to the {@code G...} account;
 * Horizon shows the muxed address and id beside it ({@code to_muxed}, {@code to_muxed_id}).
 *
 * @param accountId the {@code G...} account
 * @param muxed the {@code M...} address as written, or null for a plain account
 * @param muxedId the muxed address's id, or null
 */
record MuxedAddress(String accountId, String muxed, BigInteger muxedId) {

    private static final AccountConverter CONVERTER = AccountConverter.enableMuxed();

    /** Reads a {@code G...} or {@code M...} address the SDK decoded from an envelope. */
    static MuxedAddress of(String address) {
        if (address == null || !address.startsWith("M")) {
            return new MuxedAddress(address, null, null);
        }
        MuxedAccount xdr = CONVERTER.encode(address);
        if (xdr.getDiscriminant() != CryptoKeyType.KEY_TYPE_MUXED_ED25519) {
            return new MuxedAddress(address, null, null);
        }
        MuxedAccount.MuxedAccountMed25519 med = xdr.getMed25519();
        String account = KeyPair.fromPublicKey(med.getEd25519().getUint256()).getAccountId();
        return new MuxedAddress(account, address, med.getId().getUint64().getNumber());
    }
}
