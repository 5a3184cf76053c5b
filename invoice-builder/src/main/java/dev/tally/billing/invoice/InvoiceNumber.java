package dev.tally.billing.invoice;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one rule of an invoice's number: {@code ACME-2026-000123} in live mode, {@code ACME-TEST-2026-000001} in
 * test mode, where {@code ACME} is the organization's invoice prefix at finalization and 2026 the year of the
 * finalization in UTC. The sequence is the organization's and mode's counter ({@link InvoiceCounterDao}), gapless
 * and monotonic, and it does NOT restart with the year (one sequence per organization and mode, as Stripe numbers
 * per prefix): the year is there for people, the sequence alone orders and identifies. Invoices numbered before
 * V27 keep their {@code INV-000001} numbers.
 */
public final class InvoiceNumber {

    /** What an organization's invoice prefix may be: 3 to 12 characters A-Z and 0-9. */
    public static final Pattern PREFIX = Pattern.compile("[A-Z0-9]{3,12}");

    /** The marker between prefix and year that tells a test-mode number at a glance. */
    static final String TEST_MARKER = "TEST";

    /** The marker that tells a credit note's number from an invoice's. */
    static final String CREDIT_NOTE_MARKER = "CN";

    private InvoiceNumber() {}

    /**
     * The number of the {@code sequence}th invoice of an organization (prefix {@code prefix}) and mode, finalized
     * at {@code finalizedAt}.
     */
    public static String of(String prefix, boolean livemode, Instant finalizedAt, long sequence) {
        return format(prefix, livemode, "", finalizedAt, sequence);
    }

    /** {@code PREFIX-[TEST-]<kind>YEAR-SEQUENCE}, {@code kind} empty for an invoice. */
    private static String format(String prefix, boolean livemode, String kind, Instant at, long sequence) {
        if (!isPrefix(prefix)) {
            throw new IllegalArgumentException("invoice prefix must be 3-12 characters A-Z0-9, got " + prefix);
        }
        if (sequence < 1) {
            throw new IllegalArgumentException("invoice sequence starts at 1, got " + sequence);
        }
        int year = at.atOffset(ZoneOffset.UTC).getYear();
        String mode = livemode ? "" : TEST_MARKER + "-";
        return String.format(Locale.ROOT, "%s-%s%s%d-%06d", prefix, mode, kind, year, sequence);
    }

    /**
     * The number of the {@code sequence}th credit note of an organization (prefix {@code prefix}) and mode, issued
     * at {@code issuedAt}: {@code ACME-CN-2026-000001}, {@code ACME-TEST-CN-2026-000001} in test mode. Credit notes
     * have their own counter ({@code credit_note_counters}, V29), with the same rules as the invoices'.
     */
    public static String ofCreditNote(String prefix, boolean livemode, Instant issuedAt, long sequence) {
        return format(prefix, livemode, CREDIT_NOTE_MARKER + "-", issuedAt, sequence);
    }

    /** Whether {@code prefix} is a valid invoice prefix. */
    public static boolean isPrefix(String prefix) {
        return prefix != null && PREFIX.matcher(prefix).matches();
    }
}
