package dev.tally.settlement.request;

import dev.tally.settlement.ErrorCode;
import dev.tally.settlement.SettlementException;
import dev.tally.settlement.StellarAccounts;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The Stellar asset invoices are settled in: lumens ({@code XLM}, no issuer) or a credit asset
 * (a 1 to 12 character code and its issuer's account).
 */
public record SettlementAsset(String code, String issuer) {

    /** The code SEP-7 and payment events use for lumens. */
    public static final String NATIVE_CODE = "XLM";

    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9]{1,12}");

    public SettlementAsset {
        Objects.requireNonNull(code, "code");
        if (NATIVE_CODE.equals(code)) {
            issuer = null;
        } else {
            if (!CODE.matcher(code).matches()) {
                throw new SettlementException(
                        ErrorCode.INVALID_CONFIGURATION, "asset code must be 1 to 12 letters or digits: " + code);
            }
            if (issuer == null || !StellarAccounts.isAccountId(issuer)) {
                throw new SettlementException(
                        ErrorCode.INVALID_CONFIGURATION, "asset " + code + " needs its issuer's account id (G...)");
            }
        }
    }

    /** Lumens. */
    public static SettlementAsset lumens() {
        return new SettlementAsset(NATIVE_CODE, null);
    }

    public boolean isNative() {
        return issuer == null;
    }

    /** Whether a payment of {@code code} issued by {@code issuer} (null for lumens) is this asset. */
    public boolean matches(String paidCode, String paidIssuer) {
        return code.equals(paidCode) && Objects.equals(issuer, paidIssuer);
    }
}
