package dev.tally.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The demo tenant of the local pipeline: an organization with a customer subscribed to a per-unit
 * price, created through the public API on first start and remembered (ids only, never a key) in
 * the data directory. Every start issues a fresh test-mode API key, shown once.
 */
final class LocalSetup {

    static final String CUSTOMER = "cust_demo";
    static final String FEATURE = "ai_call";
    static final String CURRENCY = "USD";
    static final BigDecimal UNIT_PRICE = new BigDecimal("0.25");

    /** What the demo tenant is made of; {@code apiKey} is this start's key. */
    record DemoTenant(String organizationId, String customer, String feature, BigDecimal unitPrice, String apiKey) {}

    private record Remembered(String organizationId) {}

    private final ObjectMapper json = new ObjectMapper();

    DemoTenant ensureDemoTenant(TallyClient admin, Path dataDir) {
        Path file = dataDir.resolve("local-demo.json");
        String organizationId = Files.exists(file) ? read(file).organizationId() : createTenant(admin, file);
        String key = admin.createApiKey(organizationId, false).path("key").asText();
        return new DemoTenant(organizationId, CUSTOMER, FEATURE, UNIT_PRICE, key);
    }

    private String createTenant(TallyClient admin, Path file) {
        String organizationId =
                admin.createOrganization("Acme (local demo)").path("id").asText();
        TallyClient billing =
                admin.as(admin.createApiKey(organizationId, false).path("key").asText());
        billing.createCustomer(CUSTOMER, "Demo Customer Inc.");
        JsonNode product = billing.createProduct(FEATURE, "AI calls");
        JsonNode price = billing.createPrice(product.path("id").asText(), CURRENCY, UNIT_PRICE);
        billing.subscribe(CUSTOMER, price.path("id").asText());
        write(file, new Remembered(organizationId));
        return organizationId;
    }

    private Remembered read(Path file) {
        try {
            return json.readValue(file.toFile(), Remembered.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + "; delete it to set the demo tenant up again", e);
        }
    }

    private void write(Path file, Remembered remembered) {
        try {
            Files.createDirectories(file.getParent());
            json.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), remembered);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
