package dev.tally.settlement.request;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.stellar.sdk.Network;

/**
 * SEP-7 {@code web+stellar:pay} URIs: a wallet opening one proposes exactly the payment the
 * settler will recognise (destination, amount, asset and MEMO_TEXT). Every value is percent-encoded
 * as SEP-7's examples are (RFC 3986: unreserved characters kept, a space is {@code %20}, never
 * {@code +}); {@code network_passphrase} is only added off the public network, as SEP-7 says.
 */
public final class PayUri {

    private static final String UNRESERVED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private PayUri() {}

    /** The URI asking to pay {@code amount} of {@code asset} to {@code destination} with {@code memo}. */
    public static String pay(
            String destination, BigDecimal amount, SettlementAsset asset, String memo, String networkPassphrase) {
        StringBuilder uri = new StringBuilder("web+stellar:pay?destination=").append(encode(destination));
        uri.append("&amount=").append(encode(amount.stripTrailingZeros().toPlainString()));
        if (!asset.isNative()) {
            uri.append("&asset_code=").append(encode(asset.code()));
            uri.append("&asset_issuer=").append(encode(asset.issuer()));
        }
        uri.append("&memo=").append(encode(memo));
        uri.append("&memo_type=MEMO_TEXT");
        if (!Network.PUBLIC.getNetworkPassphrase().equals(networkPassphrase)) {
            uri.append("&network_passphrase=").append(encode(networkPassphrase));
        }
        return uri.toString();
    }

    /** Percent-encodes {@code value}'s UTF-8 bytes, keeping only RFC 3986 unreserved characters. */
    static String encode(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            if (b >= 0 && UNRESERVED.indexOf(b) >= 0) {
                out.append((char) b);
            } else {
                out.append('%').append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
            }
        }
        return out.toString();
    }
}
