package dev.tally.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.schemas.rules.Currencies;
import java.math.BigDecimal;

/** Renders an invoice of the finance API as a plain-text document for the terminal. */
final class InvoicePrinter {

    private InvoicePrinter() {}

    static String format(JsonNode invoice) {
        StringBuilder text = new StringBuilder();
        String currency = invoice.path("currency").asText();
        text.append(String.format(
                "Invoice %s  (%s)%n",
                invoice.path("number").asText(), invoice.path("status").asText().toUpperCase()));
        text.append(String.format(
                "  customer  %s%n", invoice.path("customerExternalId").asText()));
        text.append(String.format(
                "  period    %s .. %s%n",
                invoice.path("periodStart").asText(), invoice.path("periodEnd").asText()));
        text.append(String.format("  %-12s %14s %14s %14s%n", "feature", "quantity", "unit price", "amount"));
        for (JsonNode line : invoice.path("lines")) {
            text.append(String.format(
                    "  %-12s %14s %14s %14s%n",
                    line.path("featureKey").asText(),
                    new BigDecimal(line.path("quantity").asText())
                            .stripTrailingZeros()
                            .toPlainString(),
                    new BigDecimal(line.path("unitAmount").asText())
                            .stripTrailingZeros()
                            .toPlainString(),
                    minor(line.path("amountMinor").asLong(), currency)));
        }
        text.append(
                String.format("  %-12s %44s%n", "TOTAL", invoice.path("total").asText() + " " + currency));
        for (JsonNode payment : invoice.path("payments")) {
            text.append(String.format(
                    "  paid %s %s on %s%n       Stellar transaction %s%n       from %s%n",
                    payment.path("amount").asText(),
                    payment.path("assetCode").asText(),
                    payment.path("paidAt").asText(),
                    payment.path("transactionHash").asText(),
                    payment.path("sourceAccount").asText()));
        }
        return text.toString();
    }

    private static String minor(long amountMinor, String currency) {
        return Currencies.fromMinor(amountMinor, currency).toPlainString();
    }
}
