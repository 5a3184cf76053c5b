package dev.tally.settlement.request;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The MEMO_TEXT a payer attaches to identify the invoice paid. Stellar allows at most 28 bytes. An
 * invoice id that fits (printable ASCII, at most 28 bytes, e.g. {@code inv_7Hc9...}) is the memo
 * itself, so people can read it; a longer one becomes {@code #} followed by 27 base-32 characters
 * of its SHA-256 (135 bits: collisions are out of reach, and the database refuses one anyway).
 * Either way the memo is a pure function of the invoice id, so a replayed event gets the same memo.
 */
public final class Memos {

    /** Stellar's limit on MEMO_TEXT, in bytes. */
    public static final int MAX_BYTES = 28;

    private static final char HASHED_PREFIX = '#';
    private static final String BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

    private Memos() {}

    /** The memo of {@code invoiceId}: at most {@link #MAX_BYTES} bytes, unique per invoice id. */
    public static String forInvoice(String invoiceId) {
        if (fitsVerbatim(invoiceId)) {
            return invoiceId;
        }
        byte[] digest = sha256(invoiceId);
        StringBuilder memo = new StringBuilder(MAX_BYTES).append(HASHED_PREFIX);
        // 5 bits per character, read from the digest's bit string
        for (int i = 0; memo.length() < MAX_BYTES; i++) {
            int bit = i * 5;
            int value = ((digest[bit / 8] & 0xff) << 8 | (digest[bit / 8 + 1] & 0xff)) >> (11 - bit % 8) & 0x1f;
            memo.append(BASE32.charAt(value));
        }
        return memo.toString();
    }

    private static boolean fitsVerbatim(String invoiceId) {
        if (invoiceId.isEmpty() || invoiceId.length() > MAX_BYTES || invoiceId.charAt(0) == HASHED_PREFIX) {
            return false;
        }
        return invoiceId.chars().allMatch(c -> c > 0x20 && c < 0x7f);
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
