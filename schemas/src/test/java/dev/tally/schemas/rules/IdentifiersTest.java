package dev.tally.schemas.rules;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdentifiersTest {

    @ParameterizedTest
    @ValueSource(strings = {"cus_42", "user+tag@example.com", "acme:eu-1.a~b=c", "A"})
    void shouldAcceptCustomerIdsEveryModuleCanHandle(String id) {
        assertThat(Identifiers.isCustomer(id)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "acct/42",
                "x#1",
                "a|b",
                "a b",
                "a?b",
                "a%20",
                "tab\tx",
                "nul\u0000",
                "café",
                "١٢",
                ".",
                "..",
                "-x",
                "_x"
            })
    void shouldRefuseCustomerIdsThatBreakKeysPathsOrQueries(String id) {
        assertThat(Identifiers.customerProblem("customer", id)).startsWith("customer ");
    }

    @ParameterizedTest
    @ValueSource(ints = {129, 200})
    void shouldBoundTheLength(int length) {
        assertThat(Identifiers.isCustomer("c".repeat(length))).isFalse();
        assertThat(Identifiers.isFeature("f".repeat(length))).isFalse();
        assertThat(Identifiers.isCustomer("c".repeat(Identifiers.MAX_LENGTH))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ai_call", "storage.gb", "api:v2-calls"})
    void shouldAcceptFeatureKeys(String feature) {
        assertThat(Identifiers.isFeature(feature)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a@b", "a+b", "a/b", "a|b", "a b"})
    void shouldRefuseFeatureKeysOutsideTheirSet(String feature) {
        assertThat(Identifiers.isFeature(feature)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"019a9f2e-7b1c-7d3e-8f40-0123456789ab", "https://app.example/s#42", "-leading", "a~b=c"})
    void shouldAcceptEventIdsWiderThanCustomers(String id) {
        assertThat(Identifiers.eventIdProblem("id", id, 128)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a|b", "a b", "a%b", "nul\u0000", "é"})
    void shouldRefuseEventIdsThatBreakKeys(String id) {
        assertThat(Identifiers.eventIdProblem("id", id, 128)).startsWith("id ");
    }

    @org.junit.jupiter.api.Test
    void shouldBoundEventIdsByTheGivenLength() {
        assertThat(Identifiers.eventIdProblem("id", "e".repeat(11), 10)).contains("1 to 10");
    }
}
