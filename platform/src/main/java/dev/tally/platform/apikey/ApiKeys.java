package dev.tally.platform.apikey;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The format of API keys and how they are stored. A key is {@code mk_live_} or {@code mk_test_}
 * followed by 32 random base-62 characters (190 bits). Only its SHA-256 is stored, with its first
 * {@value #PREFIX_LENGTH} characters to show: a key that random needs no slow hash, and a stolen
 * table reveals no usable key.
 */
public final class ApiKeys {

    public static final String LIVE_PREFIX = "mk_live_";
    public static final String TEST_PREFIX = "mk_test_";
    public static final int PREFIX_LENGTH = 12;
    private static final int SECRET_LENGTH = 32;
    private static final char[] ALPHABET =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();
    // one digest per thread: looking SHA-256 up on every request cost ~3% of ingest's CPU (digest() resets it)
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(ApiKeys::sha256);

    private ApiKeys() {}

    /** A new random key for live or test mode. */
    public static String generate(boolean livemode) {
        StringBuilder key = new StringBuilder(livemode ? LIVE_PREFIX : TEST_PREFIX);
        for (int i = 0; i < SECRET_LENGTH; i++) {
            key.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
        }
        return key.toString();
    }

    /** The hex SHA-256 of {@code key}: what is stored and looked up. */
    public static String hash(String key) {
        byte[] digest = SHA_256.get().digest(key.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The visible part of {@code key}, e.g. {@code mk_live_a1B2}. */
    public static String displayPrefix(String key) {
        return key.substring(0, Math.min(PREFIX_LENGTH, key.length()));
    }

    /** Whether {@code key} has the shape of a key at all (cheap check before any lookup). */
    public static boolean isWellFormed(String key) {
        return key != null
                && (key.startsWith(LIVE_PREFIX) || key.startsWith(TEST_PREFIX))
                && key.length() == LIVE_PREFIX.length() + SECRET_LENGTH;
    }

    /** Whether {@code key} is a live-mode key. */
    public static boolean isLive(String key) {
        return key.startsWith(LIVE_PREFIX);
    }
}
