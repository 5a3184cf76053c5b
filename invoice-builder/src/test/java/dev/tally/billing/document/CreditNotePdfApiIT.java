package dev.tally.billing.document;

import static dev.tally.billing.ApiCalls.assertError;
import static dev.tally.billing.ApiCalls.list;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.billing.ApiCalls;
import dev.tally.billing.InvoiceFixtures;
import dev.tally.billing.InvoiceFixtures.Usage;
import dev.tally.billing.TestServer;
import dev.tally.billing.invoice.UsagePeriod;
import dev.tally.testkit.TestPostgres;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The credit note PDF checked as a person would, as {@link InvoicePdfApiIT} checks the invoice's: fetched over
 * HTTP, its text read by poppler's {@code pdftotext} and its first page drawn to a PNG by {@code pdftoppm}. The
 * files stay in {@code target/credit-note-pdf/}. The invoice's own PDF shows what was credited.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CreditNotePdfApiIT implements TestPropertyProvider {

    private static final UsagePeriod NOV =
            new UsagePeriod(Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z"));

    @Inject
    ApiCalls api;

    @Inject
    @Client("/")
    HttpClient http;

    private TestPostgres.Database database;
    private String key;
    private String otherKey;
    private String invoice;
    private Map<String, Object> note;

    @Override
    public Map<String, String> getProperties() {
        database = TestPostgres.shared().createDatabase();
        return TestServer.properties(database, "credit-note-pdf");
    }

    @BeforeAll
    void issueACreditNote() {
        String org = api.newOrganization("Acme Analytics");
        key = api.newKey(org);
        otherKey = api.newKey(api.newOrganization("Other"));
        ApiCalls.Reply customer = api.post(
                key,
                "/v1/customers",
                Map.of(
                        "externalId",
                        "cust_42",
                        "name",
                        "Ada Lovelace & Co",
                        "email",
                        "ada@example.com",
                        "timeZone",
                        "UTC"));
        InvoiceFixtures invoices = new InvoiceFixtures(Jdbi.create(database.dataSource()));
        invoices.price(org, "price_calls", "ai_call", "USD", "0.05");
        invoices.price(org, "price_storage", "storage_gb", "USD", "0.125");
        invoice = invoices.issue(
                org,
                (String) customer.body().get("id"),
                "USD",
                NOV,
                Instant.parse("2026-12-01T00:00:02Z"),
                List.of(
                        new Usage("price_calls", "ai_call", "200", "0.05", 1000),
                        new Usage("price_storage", "storage_gb", "18.72", "0.125", 234)));
        String line =
                (String) list(api.get(key, "/v1/invoices/" + invoice).body().get("lines"))
                        .getFirst()
                        .get("id");
        ApiCalls.Reply issued = api.post(
                key,
                "/v1/invoices/" + invoice + "/credit-notes",
                Map.of(
                        "reason", "product_unsatisfactory",
                        "memo", "Model outage on Nov 12",
                        "lines", List.of(Map.of("line", line, "quantity", "50"))));
        assertThat(issued.code()).as("%s", issued.body()).isEqualTo(201);
        note = issued.body();
    }

    @Test
    void shouldRenderACreditNotePdfWhoseTextAPersonCanRead() throws Exception {
        HttpResponse<byte[]> response = http.toBlocking()
                .exchange(
                        HttpRequest.GET("/v1/credit-notes/" + note.get("id") + "/pdf")
                                .bearerAuth(key),
                        byte[].class);
        assertThat(response.code()).isEqualTo(200);
        assertThat(response.header(HttpHeaders.CONTENT_TYPE)).isEqualTo("application/pdf");
        assertThat(response.header(HttpHeaders.CONTENT_DISPOSITION))
                .isEqualTo("inline; filename=\"credit-note-" + note.get("number") + ".pdf\"");

        Path dir = Files.createDirectories(Path.of("target", "credit-note-pdf"));
        Path file = dir.resolve("credit-note.pdf");
        Files.write(file, response.body());
        String words = run("pdftotext", "-layout", file.toString(), "-").replaceAll("\\s+", " ");
        String invoiceNumber =
                (String) api.get(key, "/v1/invoices/" + invoice).body().get("number");

        assertThat(words)
                .contains("Acme Analytics")
                .contains("CREDIT NOTE")
                .contains("TEST MODE - NOT A REAL CREDIT NOTE")
                // the long number stands on the line under its label, beside the customer's details
                .containsPattern("Number .*" + note.get("number") + " .*Invoice " + invoiceNumber)
                .contains("Reason product unsatisfactory")
                .contains("Memo Model outage on Nov 12")
                .contains("Ada Lovelace & Co")
                .contains("Customer cust_42")
                .contains("Credit: ai_call usage")
                .contains("50 0.05 2.50")
                .contains("Invoice total 12.34 USD")
                .contains("Off the amount due 2.50 USD")
                .contains("Credited to your balance 0.00 USD")
                .contains("Total credited 2.50 USD")
                .contains("Credit note " + note.get("number"));

        run(
                "pdftoppm",
                "-png",
                "-r",
                "100",
                "-f",
                "1",
                "-singlefile",
                file.toString(),
                dir.resolve("credit-note").toString());
        BufferedImage image = ImageIO.read(dir.resolve("credit-note.png").toFile());
        assertThat(image.getWidth()).isGreaterThan(700);
    }

    @Test
    void shouldShowWhatWasCreditedOnTheInvoicesPdf() throws Exception {
        byte[] pdf = http.toBlocking()
                .exchange(HttpRequest.GET("/v1/invoices/" + invoice + "/pdf").bearerAuth(key), byte[].class)
                .body();
        Path file =
                Files.createDirectories(Path.of("target", "credit-note-pdf")).resolve("credited-invoice.pdf");
        Files.write(file, pdf);
        assertThat(run("pdftotext", "-layout", file.toString(), "-").replaceAll("\\s+", " "))
                .contains("Total 12.34 USD")
                .contains("Amount credited 2.50 USD")
                .contains("Amount paid 0.00 USD")
                .contains("Amount due 9.84 USD");
    }

    @Test
    void shouldAnswer404ForAnUnknownCreditNoteOrOneOfAnotherOrganization() {
        assertError(api.get(key, "/v1/credit-notes/cn_nope/pdf"), 404, "not_found", null);
        assertError(api.get(otherKey, "/v1/credit-notes/" + note.get("id") + "/pdf"), 404, "not_found", null);
    }

    /** Runs a poppler tool to its end (at most a minute) and returns what it printed. */
    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(1, TimeUnit.MINUTES))
                .as("%s ended", command[0])
                .isTrue();
        assertThat(process.exitValue()).as("%s: %s", command[0], output).isZero();
        return output;
    }
}
