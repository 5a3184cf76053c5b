package dev.tally.settlement.request;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MemosTest {

    @ParameterizedTest(name = "{0} is its own memo")
    @ValueSource(strings = {"inv_7Hc9aB3dEf0gH1iJ2kLm", "a", "exactly-twenty-eight-bytes-1"})
    void shouldUseShortPrintableInvoiceIdAsMemo(String invoiceId) {
        assertThat(Memos.forInvoice(invoiceId)).isEqualTo(invoiceId);
    }

    @ParameterizedTest(name = "{0} is hashed")
    @ValueSource(
            strings = {
                "exactly-twenty-nine-bytes-123",
                "an-invoice-id-far-longer-than-any-stellar-memo-allows",
                "inv with space",
                "facture-é",
                "#looks-hashed",
            })
    void shouldHashInvoiceIdsThatCannotBeTheMemo(String invoiceId) {
        String memo = Memos.forInvoice(invoiceId);

        assertThat(memo).startsWith("#").matches("#[a-z2-7]{27}");
        assertThat(memo.getBytes(StandardCharsets.UTF_8)).hasSize(Memos.MAX_BYTES);
        assertThat(Memos.forInvoice(invoiceId)).as("deterministic").isEqualTo(memo);
    }

    @Test
    void shouldGiveDistinctInvoicesDistinctMemos() {
        Set<String> memos = new HashSet<>();
        IntStream.range(0, 10_000).forEach(i -> memos.add(Memos.forInvoice("organization-42/invoice/" + i)));

        assertThat(memos).hasSize(10_000);
    }
}
