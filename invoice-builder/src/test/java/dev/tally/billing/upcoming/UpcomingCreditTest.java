package dev.tally.billing.upcoming;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.billing.invoice.CustomerCredit;
import dev.tally.billing.invoice.LineKind;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The credit lines of a customer's upcoming invoices, one after the other, as the cycle writes them. */
class UpcomingCreditTest {

    @Test
    void shouldApplyTheBalanceInvoiceAfterInvoiceUntilItIsUsedUp() {
        List<Optional<CustomerCredit.Credit>> credits =
                UpcomingInvoices.credits(List.of(Optional.of(3000L), Optional.of(5000L), Optional.of(700L)), 4000);

        assertThat(credits)
                .containsExactly(
                        Optional.of(new CustomerCredit.Credit(LineKind.CREDIT_APPLIED, -3000)),
                        Optional.of(new CustomerCredit.Credit(LineKind.CREDIT_APPLIED, -1000)),
                        Optional.empty());
    }

    @Test
    void shouldCarryANegativeInvoiceForwardToTheNextAndSkipAnInvoiceNotWritten() {
        List<Optional<CustomerCredit.Credit>> credits =
                UpcomingInvoices.credits(List.of(Optional.of(-1200L), Optional.empty(), Optional.of(2000L)), 0);

        assertThat(credits)
                .containsExactly(
                        Optional.of(new CustomerCredit.Credit(LineKind.CREDIT_CARRIED_FORWARD, 1200)),
                        Optional.empty(),
                        Optional.of(new CustomerCredit.Credit(LineKind.CREDIT_APPLIED, -1200)));
    }
}
