package dev.tally.billing.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.billing.export.InvoiceExportDao.LineInvoice;
import dev.tally.billing.export.InvoiceExportDao.LineRow;
import dev.tally.billing.invoice.InvoiceLine;
import dev.tally.billing.invoice.LineKind;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.jdbi.v3.core.result.ResultIterator;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.Test;

class LinesWithInvoicesTest {

    @Test
    void eachLineGetsItsOwnInvoiceAndInvoicesWithoutLinesArePassedOver() {
        Cursor<LineInvoice> invoices = new Cursor<>(List.of(invoice("inv_1"), invoice("inv_2"), invoice("inv_3")));
        Cursor<InvoiceLine> lines =
                new Cursor<>(List.of(line("il_1a", "inv_1"), line("il_1b", "inv_1"), line("il_3a", "inv_3")));

        List<String> rows = new ArrayList<>();
        try (LinesWithInvoices merged = new LinesWithInvoices(invoices, lines)) {
            merged.forEachRemaining(
                    row -> rows.add(row.line().id() + "@" + row.invoice().number()));
        }

        assertThat(rows).containsExactly("il_1a@N-inv_1", "il_1b@N-inv_1", "il_3a@N-inv_3");
        assertThat(invoices.closed).isTrue();
        assertThat(lines.closed).isTrue();
    }

    @Test
    void aLineWhoseInvoiceIsNotAheadIsAnErrorNotAnotherInvoicesRow() {
        // the lines' invoice inv_1 was passed over for inv_2: the cursors disagree on the order
        LinesWithInvoices merged = new LinesWithInvoices(
                new Cursor<>(List.of(invoice("inv_2"))), new Cursor<>(List.of(line("il_1a", "inv_1"))));

        assertThatThrownBy(merged::next)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("il_1a")
                .hasMessageContaining("inv_1");
    }

    @Test
    void itEndsWithTheLinesEvenWhenInvoicesAreLeft() {
        LinesWithInvoices merged = new LinesWithInvoices(
                new Cursor<>(List.of(invoice("inv_1"), invoice("inv_2"))),
                new Cursor<>(List.of(line("il_1a", "inv_1"))));

        LineRow only = merged.next();

        assertThat(only.invoice().id()).isEqualTo("inv_1");
        assertThat(merged.hasNext()).isFalse();
    }

    private static LineInvoice invoice(String id) {
        return new LineInvoice(id, "N-" + id, "finalized", Instant.EPOCH, "cus_1", "c1", "Customer", "USD");
    }

    private static InvoiceLine line(String id, String invoiceId) {
        return new InvoiceLine(
                id,
                invoiceId,
                LineKind.ONE_OFF,
                null,
                null,
                BigDecimal.ONE,
                BigDecimal.ONE,
                100,
                null,
                null,
                null,
                "one off",
                null);
    }

    /** A cursor over a list, which notes that it was closed. */
    private static final class Cursor<T> implements ResultIterator<T> {
        private final Iterator<T> rows;
        boolean closed;

        Cursor(List<T> rows) {
            this.rows = rows.iterator();
        }

        @Override
        public boolean hasNext() {
            return rows.hasNext();
        }

        @Override
        public T next() {
            return rows.next();
        }

        @Override
        public void close() {
            closed = true;
        }

        @Override
        public StatementContext getContext() {
            return null;
        }
    }
}
