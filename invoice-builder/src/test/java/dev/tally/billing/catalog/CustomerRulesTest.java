package dev.tally.billing.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.billing.BillingException;
import dev.tally.billing.web.Inputs;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The rules of a customer's fields, case by case. */
class CustomerRulesTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "ada@example.com,              ada@example.com",
        "Ada.Lovelace@Example.COM,     Ada.Lovelace@example.com",
        "user+tag@mail.example.co.uk,  user+tag@mail.example.co.uk",
        "o'brien@example.ie,           o'brien@example.ie",
        "x@xn--80ak6aa92e.com,         x@xn--80ak6aa92e.com",
        "a_b-c@my-host.example,        a_b-c@my-host.example",
    })
    void shouldAcceptAnAddressAndLowerCaseOnlyItsDomain(String address, String stored) {
        assertThat(CustomerRules.email("email", address)).isEqualTo(stored);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("refusedEmails")
    void shouldRefuseAnAddressThatIsNotOne(String address) {
        assertRefused(() -> CustomerRules.email("email", address), "email");
    }

    static Stream<String> refusedEmails() {
        return Stream.of(
                "",
                "ada",
                "ada@",
                "@example.com",
                "ada@@example.com",
                "ada@b@example.com",
                "ada@localhost",
                "ada@192.168.0.1",
                "ada@example..com",
                "ada@-example.com",
                "ada@example-.com",
                "ada@exa_mple.com",
                ".ada@example.com",
                "ada.@example.com",
                "a..da@example.com",
                "a da@example.com",
                " ada@example.com",
                "ada@example.com ",
                "\"ada\"@example.com",
                "josé@example.com",
                "ada@exämple.com",
                "a".repeat(65) + "@example.com",
                "ada@" + "a".repeat(64) + ".com");
    }

    @Test
    void shouldAcceptTheLongestAddressAndRefuseOneCharacterMore() {
        String longest = "a".repeat(64) + "@" + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(61);

        assertThat(longest).hasSize(254);
        assertThat(CustomerRules.email("email", longest)).isEqualTo(longest);
        assertRefused(() -> CustomerRules.email("email", longest + "d"), "email");
    }

    @ParameterizedTest
    @ValueSource(strings = {"+14155550123", "+33612345678", "+6834002", "+123456789012345"})
    void shouldAcceptAnE164Number(String phone) {
        assertThat(CustomerRules.phone("phone", phone)).isEqualTo(phone);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "14155550123",
                "+1 415 555 0123",
                "+1-415-555-0123",
                "+1(415)5550123",
                "+04155550123",
                "+123456",
                "+1234567890123456",
                "+",
                "",
                "+١٢٣٤٥٦٧٨",
                "tel:+14155550123"
            })
    void shouldRefuseAPhoneNumberThatIsNotE164(String phone) {
        assertRefused(() -> CustomerRules.phone("phone", phone), "phone");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"USD, USD", "eur, EUR", "Jpy, JPY", "BHD, BHD"})
    void shouldAcceptAnIso4217CodeInAnyCase(String code, String stored) {
        assertThat(CustomerRules.currency("currency", code)).isEqualTo(stored);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "US", "USDX", "ZZZ", "XAU", "XXX", " USD", "U$D", "ÜSD", "12A"})
    void shouldRefuseWhatIsNotACurrencyWithAMinorUnit(String code) {
        assertRefused(() -> CustomerRules.currency("currency", code), "currency");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "Europe/Paris,        Europe/Paris",
        "america/new_york,    America/New_York",
        "UTC,                 UTC",
        "Asia/Kolkata,        Asia/Kolkata",
        "Australia/Lord_Howe, Australia/Lord_Howe",
    })
    void shouldAcceptAnIanaZoneInItsOwnSpelling(String zone, String stored) {
        assertThat(Inputs.timeZone("timeZone", zone)).isEqualTo(stored);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"+02:00", "-05:00", "Z", "UTC+2", "GMT+02:00", "CET+1", "PST", "Europe/Pariss", "Paris", ""})
    void shouldRefuseARawOffsetOrAnUnknownZone(String zone) {
        assertRefused(() -> Inputs.timeZone("timeZone", zone), "timeZone");
    }

    @Test
    void shouldBoundMetadataAsStripeDoes() {
        Map<String, String> fifty = new HashMap<>();
        IntStream.range(0, 50).forEach(i -> fifty.put("k" + i, "v"));
        Map<String, String> fiftyOne = new HashMap<>(fifty);
        fiftyOne.put("one_more", "v");

        assertThat(CustomerRules.metadata("appMetadata", fifty)).hasSize(50);
        assertThat(CustomerRules.metadata("appMetadata", Map.of("k".repeat(40), "v".repeat(500))))
                .containsEntry("k".repeat(40), "v".repeat(500));
        assertThat(CustomerRules.metadata("appMetadata", null)).isEmpty();
        assertRefused(() -> CustomerRules.metadata("appMetadata", fiftyOne), "appMetadata");
        assertRefused(
                () -> CustomerRules.metadata("internalMetadata", Map.of("k".repeat(41), "v")), "internalMetadata");
        assertRefused(() -> CustomerRules.metadata("appMetadata", Map.of("", "v")), "appMetadata");
        assertRefused(() -> CustomerRules.metadata("appMetadata", Map.of("k", "v".repeat(501))), "appMetadata");
    }

    @Test
    void shouldSortMetadataByKey() {
        Map<String, String> unordered = new HashMap<>(Map.of("zeta", "1", "alpha", "2", "mid", "3"));

        assertThat(CustomerRules.metadata("appMetadata", unordered).keySet()).containsExactly("alpha", "mid", "zeta");
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" -> {1}")
    @CsvSource(
            value = {"Ada Lovelace|Ada Lovelace", "'  Ada  '|Ada", "''|", "'   '|"},
            delimiter = '|')
    void shouldStripANameAndTakeABlankOneForNone(String name, String stored) {
        assertThat(CustomerRules.name("name", name)).isEqualTo(stored);
    }

    private static void assertRefused(Runnable check, String field) {
        assertThatThrownBy(check::run).isInstanceOfSatisfying(BillingException.class, e -> assertThat(e.field())
                .contains(field));
    }
}
