package dev.tally.billing.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.billing.BillingException;
import dev.tally.billing.invoice.PaymentTerms;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a PATCH changes: the members it names, and never the external id. */
class CustomerPatchTest {

    private static final Instant CREATED = Instant.parse("2026-11-01T00:00:00Z");

    private static final Customer CURRENT = new Customer(
            "cus_1",
            "org_1",
            false,
            "ada",
            "Ada",
            "ada@example.com",
            "+14155550123",
            "Europe/London",
            "GBP",
            Map.of("plan", "gold"),
            Map.of("crm", "42"),
            PaymentTerms.NET_15,
            3,
            CREATED,
            CREATED,
            null);

    private static final CustomerFields NOTHING =
            new CustomerFields(null, null, null, null, null, Map.of(), Map.of(), null);

    @Test
    void shouldLeaveEveryMemberTheBodyDoesNotName() {
        CustomerPatch patch = new CustomerPatch(
                null, Set.of("name"), new CustomerFields("Ada L.", null, null, null, null, Map.of(), Map.of(), null));

        assertThat(patch.applyTo(CURRENT))
                .isEqualTo(new CustomerFields(
                        "Ada L.",
                        "ada@example.com",
                        "+14155550123",
                        "Europe/London",
                        "GBP",
                        Map.of("plan", "gold"),
                        Map.of("crm", "42"),
                        PaymentTerms.NET_15));
    }

    @Test
    void shouldClearEveryMemberTheBodyGivesNull() {
        CustomerPatch patch = new CustomerPatch(
                null,
                Set.of("name", "email", "phone", "currency", "appMetadata", "internalMetadata", "paymentTerms"),
                NOTHING);

        assertThat(patch.applyTo(CURRENT))
                .isEqualTo(new CustomerFields(null, null, null, "Europe/London", null, Map.of(), Map.of(), null));
    }

    @Test
    void shouldReplaceAMetadataObjectWhole() {
        CustomerPatch patch = new CustomerPatch(
                null,
                Set.of("appMetadata"),
                new CustomerFields(null, null, null, null, null, Map.of("tier", "2"), Map.of(), null));

        assertThat(patch.applyTo(CURRENT).appMetadata()).isEqualTo(Map.of("tier", "2"));
        assertThat(patch.applyTo(CURRENT).internalMetadata()).isEqualTo(Map.of("crm", "42"));
    }

    @Test
    void shouldAcceptTheSameExternalIdAndRefuseAnother() {
        assertThat(new CustomerPatch("ada", Set.of("externalId"), NOTHING).applyTo(CURRENT))
                .isEqualTo(CURRENT.fields());
        assertThatThrownBy(() -> new CustomerPatch("grace", Set.of("externalId"), NOTHING).applyTo(CURRENT))
                .isInstanceOfSatisfying(
                        BillingException.class, e -> assertThat(e.field()).contains("externalId"));
    }
}
