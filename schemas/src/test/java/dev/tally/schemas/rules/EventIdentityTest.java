package dev.tally.schemas.rules;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EventIdentityTest {

    @Test
    void shouldTellApartOneIdUnderTwoCustomers() {
        assertThat(EventIdentity.key("org_1", true, "cus_a", "evt-1"))
                .isNotEqualTo(EventIdentity.key("org_1", true, "cus_b", "evt-1"));
    }

    @Test
    void shouldTellApartModesAndOrganizations() {
        assertThat(EventIdentity.key("org_1", true, "c", "e"))
                .isNotEqualTo(EventIdentity.key("org_1", false, "c", "e"));
        assertThat(EventIdentity.key("org_1", true, "c", "e")).isNotEqualTo(EventIdentity.key("org_2", true, "c", "e"));
    }

    @Test
    void shouldKeepAnEventIdHoldingTheSeparatorInsideTheEventIdPart() {
        // customers never hold '|', so the customer part always ends at the third separator
        String key = EventIdentity.key("o", true, "c", "x|y");
        assertThat(key.split("\\|", 4)).containsExactly("live", "o", "c", "x|y");
    }

    @Test
    void shouldEncodeCloudEventSourceAndIdUnambiguously() {
        assertThat(EventIdentity.cloudEventId("/s", "x#y")).isNotEqualTo(EventIdentity.cloudEventId("/s#x", "y"));
        assertThat(EventIdentity.cloudEventId("/s%23x", "y")).isNotEqualTo(EventIdentity.cloudEventId("/s#x", "y"));
    }

    @Test
    void shouldKeepAPlainSourceReadable() {
        assertThat(EventIdentity.cloudEventId("https://app.example/billing", "42"))
                .isEqualTo("https://app.example/billing#42");
    }
}
