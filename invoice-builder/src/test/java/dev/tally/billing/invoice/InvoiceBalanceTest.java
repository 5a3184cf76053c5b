package dev.tally.billing.invoice;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class InvoiceBalanceTest {

    private static Invoice invoice(String status, boolean outOfBand) {
        Instant at = Instant.parse("2026-12-01T00:00:00Z");
        return new Invoice(
                "inv_1",
                "INV-1",
                "org_1",
                false,
                "cus_1",
                "c1",
                "USD",
                at,
                at,
                status,
                1234,
                at,
                at,
                null,
                null,
                at,
                null,
                null,
                null,
                null,
                outOfBand,
                outOfBand ? "key_1" : null,
                null,
                null,
                null);
    }

    @Test
    void shouldOweNothingOnAPaidVoidOrUncollectibleInvoice() {
        BigDecimal part = new BigDecimal("5.0000000");

        assertThat(InvoiceBalance.of(invoice("finalized", false), part)).isEqualTo(new InvoiceBalance(500, 734));
        assertThat(InvoiceBalance.of(invoice("void", false), part)).isEqualTo(new InvoiceBalance(500, 0));
        assertThat(InvoiceBalance.of(invoice("uncollectible", false), part)).isEqualTo(new InvoiceBalance(500, 0));
        assertThat(InvoiceBalance.of(invoice("paid", true), BigDecimal.ZERO)).isEqualTo(new InvoiceBalance(1234, 0));
    }

    @Test
    void shouldPayAnUncollectibleInvoiceOnlyWithPaymentsOfItsWholeTotal() {
        Payment part = new Payment("inv_1", "tx1", new BigDecimal("5.0000000"), "USDC", null, "G", Instant.EPOCH);
        Payment rest = new Payment("inv_1", "tx2", new BigDecimal("7.3400000"), "USDC", null, "G", Instant.EPOCH);

        assertThat(InvoiceBalance.received(invoice("uncollectible", false), List.of(part))
                        .covered())
                .isFalse();
        assertThat(InvoiceBalance.received(invoice("uncollectible", false), List.of(part, rest))
                        .covered())
                .isTrue();
    }

    @Test
    void shouldLowerWhatIsDueByWhatCreditNotesCreditedAndCountThemTowardsPayingIt() {
        Payment part = new Payment("inv_1", "tx1", new BigDecimal("5.0000000"), "USDC", null, "G", Instant.EPOCH);

        assertThat(InvoiceBalance.of(invoice("finalized", false), List.of(part), 300))
                .isEqualTo(new InvoiceBalance(500, 434));
        // credited beyond what was left to pay: nothing is due, never less
        assertThat(InvoiceBalance.of(invoice("finalized", false), List.of(part), 1000))
                .isEqualTo(new InvoiceBalance(500, 0));
        assertThat(InvoiceBalance.received(invoice("finalized", false), List.of(part), 733)
                        .covered())
                .isFalse();
        assertThat(InvoiceBalance.received(invoice("finalized", false), List.of(part), 734)
                        .covered())
                .isTrue();
        // paid out of band: paid in full is the total less what was credited
        assertThat(InvoiceBalance.of(invoice("paid", true), List.of(), 234)).isEqualTo(new InvoiceBalance(1000, 0));
    }
}
