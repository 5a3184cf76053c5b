package dev.tally.billing;

import java.security.SecureRandom;

/** Random, prefixed identifiers such as {@code inv_7Hc9...}: the prefix tells what an id names. */
public final class Ids {

    private static final char[] ALPHABET =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int LENGTH = 20;

    private Ids() {}

    /** A new id {@code <prefix>_<20 base-62 characters>}. */
    public static String next(String prefix) {
        StringBuilder id = new StringBuilder(prefix).append('_');
        for (int i = 0; i < LENGTH; i++) {
            id.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
        }
        return id.toString();
    }
}
