package dev.tally.billing.invoice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class InvoiceNumberTest {

    private static final Instant MID_2026 = Instant.parse("2026-06-15T12:00:00Z");

    @Test
    void shouldNumberLiveInvoicesWithPrefixYearAndSixDigits() {
        assertThat(InvoiceNumber.of("ACME", true, MID_2026, 123)).isEqualTo("ACME-2026-000123");
    }

    @Test
    void shouldMarkTestModeNumbers() {
        assertThat(InvoiceNumber.of("ACME", false, MID_2026, 1)).isEqualTo("ACME-TEST-2026-000001");
    }

    @Test
    void shouldTakeTheYearOfTheFinalizationInUtc() {
        // still 2026 in New York, already 2027 in UTC
        assertThat(InvoiceNumber.of("ACME", true, Instant.parse("2027-01-01T03:00:00Z"), 7))
                .isEqualTo("ACME-2027-000007");
        assertThat(InvoiceNumber.of("ACME", true, Instant.parse("2026-12-31T23:59:59Z"), 7))
                .isEqualTo("ACME-2026-000007");
    }

    @Test
    void shouldGrowBeyondSixDigitsWithoutTruncating() {
        assertThat(InvoiceNumber.of("ACME", true, MID_2026, 1_234_567)).isEqualTo("ACME-2026-1234567");
    }

    @Test
    void shouldAcceptOnlyThreeToTwelveUppercaseLettersAndDigitsAsPrefix() {
        assertThat(InvoiceNumber.isPrefix("AB1")).isTrue();
        assertThat(InvoiceNumber.isPrefix("ABCDEFGHIJ12")).isTrue();
        assertThat(InvoiceNumber.isPrefix("AB")).isFalse();
        assertThat(InvoiceNumber.isPrefix("ABCDEFGHIJ123")).isFalse();
        assertThat(InvoiceNumber.isPrefix("acme")).isFalse();
        assertThat(InvoiceNumber.isPrefix("AC-ME")).isFalse();
        assertThat(InvoiceNumber.isPrefix(null)).isFalse();
    }

    @Test
    void shouldRefuseAnInvalidPrefixOrSequence() {
        assertThatThrownBy(() -> InvoiceNumber.of("acme", true, MID_2026, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> InvoiceNumber.of("ACME", true, MID_2026, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldNumberCreditNotesWithTheirMarkerAfterThePrefixAndTestMarker() {
        assertThat(InvoiceNumber.ofCreditNote("ACME", true, MID_2026, 1)).isEqualTo("ACME-CN-2026-000001");
        assertThat(InvoiceNumber.ofCreditNote("ACME", false, MID_2026, 42)).isEqualTo("ACME-TEST-CN-2026-000042");
        assertThatThrownBy(() -> InvoiceNumber.ofCreditNote("ACME", true, MID_2026, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
