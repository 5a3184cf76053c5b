package dev.tally.billing.document;

import static dev.tally.billing.ApiCalls.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The invoice PDF checked as a person would: fetched over HTTP, its text read by poppler's {@code pdftotext}
 * and its first page drawn to a PNG by {@code pdftoppm} (Debian's poppler-utils, which {@code .ci/run}
 * installs), whose QR code is then scanned. The files stay in {@code target/invoice-pdf/} to look at.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InvoicePdfApiIT implements TestPropertyProvider {

    private static final UsagePeriod NOV =
            new UsagePeriod(Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z"));
    private static final String PAY_URI = "web+stellar:pay?destination=GDESTINATIONDESTINATIONDESTINATIONDESTINATI"
            + "&amount=12.3400000&asset_code=USDC&asset_issuer=GCISSUERISSUERISSUERISSUERISSUERISSUERISSUERISSUERISSU"
            + "&memo=inv_pdf&memo_type=MEMO_TEXT&network_passphrase=Test%20SDF%20Network%20%3B%20September%202015";

    @Inject
    ApiCalls api;

    @Inject
    @Client("/")
    HttpClient http;

    private TestPostgres.Database database;
    private String key;
    private String otherKey;
    private String invoice;
    private String org;
    private String customerId;
    private InvoiceFixtures invoices;

    @Override
    public Map<String, String> getProperties() {
        database = TestPostgres.shared().createDatabase();
        return TestServer.properties(database, "pdf");
    }

    @BeforeAll
    void issueAnInvoice() {
        org = api.newOrganization("Acme Analytics");
        key = api.newKey(org);
        otherKey = api.newKey(api.newOrganization("Other"));
        ApiCalls.Reply customer = api.post(
                key,
                "/v1/customers",
                Map.of(
                        "externalId", "cust_42",
                        "name", "Ada Lovelace & Co",
                        "email", "ada@example.com",
                        "timeZone", "UTC"));
        customerId = (String) customer.body().get("id");
        invoices = new InvoiceFixtures(Jdbi.create(database.dataSource()));
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
        invoices.requestPayment(invoice, PAY_URI, "12.3400000");
        invoices.pay(invoice, "tx-part", "5.0000000");
    }

    @Test
    void shouldRenderAPdfWhoseTextAndQrCodeAPersonCanRead() throws Exception {
        HttpResponse<byte[]> response = http.toBlocking()
                .exchange(HttpRequest.GET("/v1/invoices/" + invoice + "/pdf").bearerAuth(key), byte[].class);
        assertThat(response.code()).isEqualTo(200);
        assertThat(response.header(HttpHeaders.CONTENT_TYPE)).isEqualTo("application/pdf");
        byte[] pdf = response.body();
        assertThat(new String(pdf, 0, 5, StandardCharsets.US_ASCII)).isEqualTo("%PDF-");

        Path dir = Files.createDirectories(Path.of("target", "invoice-pdf"));
        Path file = dir.resolve("invoice.pdf");
        Files.write(file, pdf);
        String text = run("pdftotext", "-layout", file.toString(), "-");
        String words = text.replaceAll("\\s+", " ");
        String number = (String) api.get(key, "/v1/invoices/" + invoice).body().get("number");

        assertThat(words)
                .contains("Acme Analytics")
                .contains("INVOICE")
                .contains("TEST MODE")
                .contains("Invoice number " + number)
                .contains("Ada Lovelace & Co")
                .contains("Customer cust_42")
                .contains("ada@example.com")
                .contains("Period Nov 1, 2026 – Nov 30, 2026")
                .contains("Total 12.34 USD")
                .contains("Amount paid 5.00 USD")
                .contains("Amount due 7.34 USD")
                .contains("Pay with Stellar");
        // the descriptions wrap in their column: compare them with the other columns' text left out
        assertThat(descriptionColumn(text))
                .contains("ai_call usage, 2026-11-01T00:00:00Z to 2026-12-01T00:00:00Z")
                .contains("storage_gb usage, 2026-11-01T00:00:00Z to 2026-12-01T00:00:00Z");
        assertThat(words).contains("200 0.05 10.00").contains("18.72 0.125 2.34");
        // the link wraps over lines: compare without the line breaks
        assertThat(text.replaceAll("\\s+", "")).contains(PAY_URI);

        run(
                "pdftoppm",
                "-png",
                "-r",
                "150",
                "-f",
                "1",
                "-singlefile",
                file.toString(),
                dir.resolve("invoice").toString());
        BufferedImage image = ImageIO.read(dir.resolve("invoice.png").toFile());
        assertThat(image.getWidth()).isGreaterThan(1000);
        assertThat(scanQrCode(image)).isEqualTo(PAY_URI);
    }

    @Test
    void shouldShowTheMemoTheFooterAndTheOneOffLinesOfAnEditedDraft() throws Exception {
        String draft = invoices.draft(org, customerId, "USD", NOV, Instant.parse("2026-12-01T00:00:03Z"), List.of());
        assertThat(api.post(
                                key,
                                "/v1/invoices/" + draft + "/lines",
                                Map.of("description", "Onboarding workshop", "quantity", "2", "unitAmount", "150"))
                        .code())
                .isEqualTo(201);
        assertThat(api.send(HttpRequest.PATCH(
                                        "/v1/invoices/" + draft,
                                        Map.of(
                                                "memo", "Thank you for choosing Acme Analytics",
                                                "footer", "Acme Analytics Ltd, 1 Data Street, Cambridge"))
                                .bearerAuth(key))
                        .code())
                .isEqualTo(200);
        Path dir = Files.createDirectories(Path.of("target", "invoice-pdf"));
        Path preview = dir.resolve("draft.pdf");
        Files.write(
                preview,
                http.toBlocking()
                        .exchange(
                                HttpRequest.GET("/v1/invoices/" + draft + "/pdf")
                                        .bearerAuth(key),
                                byte[].class)
                        .body());
        assertThat(run("pdftotext", "-layout", preview.toString(), "-").replaceAll("\\s+", " "))
                .as("a draft's PDF is a preview, without a number")
                .contains("Invoice number not yet (draft)")
                .contains("Status draft")
                .contains("Thank you for choosing Acme Analytics")
                .contains("Invoice DRAFT");
        assertThat(api.post(key, "/v1/invoices/" + draft + "/finalize", Map.of())
                        .code())
                .isEqualTo(200);

        byte[] pdf = http.toBlocking()
                .exchange(HttpRequest.GET("/v1/invoices/" + draft + "/pdf").bearerAuth(key), byte[].class)
                .body();
        Path file = dir.resolve("edited.pdf");
        Files.write(file, pdf);
        String words = run("pdftotext", "-layout", file.toString(), "-").replaceAll("\\s+", " ");

        assertThat(words)
                .contains("Thank you for choosing Acme Analytics")
                .contains("Onboarding workshop")
                .contains("2 150.00 300.00")
                .contains("Total 300.00 USD")
                .contains("Acme Analytics Ltd, 1 Data Street, Cambridge");
        assertThat(words.indexOf("Thank you for choosing"))
                .as("the memo is above the lines, the footer below the totals")
                .isLessThan(words.indexOf("Onboarding workshop"));
        assertThat(words.indexOf("1 Data Street")).isGreaterThan(words.indexOf("Total 300.00 USD"));
    }

    @Test
    void shouldAnswer404ForAnUnknownInvoiceOrOneOfAnotherOrganization() {
        assertError(api.get(key, "/v1/invoices/inv_nope/pdf"), 404, "not_found", null);
        assertError(api.get(otherKey, "/v1/invoices/" + invoice + "/pdf"), 404, "not_found", null);
    }

    /** The text of the description column (the left 60 characters of pdftotext's layout), one line. */
    private static String descriptionColumn(String layout) {
        List<String> parts = new ArrayList<>();
        for (String line : layout.split("\n")) {
            parts.add(line.length() > 60 ? line.substring(0, 60) : line);
        }
        return String.join(" ", parts).replaceAll("\\s+", " ");
    }

    private static String scanQrCode(BufferedImage image) throws Exception {
        int[] pixels = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
        RGBLuminanceSource source = new RGBLuminanceSource(image.getWidth(), image.getHeight(), pixels);
        return new QRCodeReader()
                .decode(new BinaryBitmap(new HybridBinarizer(source)), Map.of(DecodeHintType.TRY_HARDER, true))
                .getText();
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
