package dev.tally.settlement;

import org.stellar.sdk.FormatException;
import org.stellar.sdk.StrKey;

/** Checks of Stellar account ids. */
public final class StellarAccounts {

    private StellarAccounts() {}

    /** Whether {@code value} is a well-formed account id ({@code G...}, checksum included). */
    public static boolean isAccountId(String value) {
        if (value == null) {
            return false;
        }
        try {
            StrKey.decodeEd25519PublicKey(value);
            return true;
        } catch (IllegalArgumentException | FormatException e) {
            return false;
        }
    }
}
