package dev.tally.billing.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.billing.BillingException;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The versions an If-Match header may name, and the ETag of a version. */
class IfMatchTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            value = {"3|3", "\"3\"|3", "' \"12\" '|12", "1|1", "999999999999999999|999999999999999999"},
            delimiter = '|')
    void shouldReadTheVersionQuotedOrNot(String header, long version) {
        assertThat(IfMatch.version(header)).hasValue(version);
    }

    @Test
    void shouldRequireNothingWithoutAHeaderOrWithAStar() {
        assertThat(IfMatch.version(null)).isEqualTo(OptionalLong.empty());
        assertThat(IfMatch.version("*")).isEqualTo(OptionalLong.empty());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "\"\"",
                "W/\"3\"",
                "\"3\", \"4\"",
                "abc",
                "-1",
                "3.0",
                "1e3",
                "\"3",
                "١",
                "9999999999999999999"
            })
    void shouldRefuseWhatIsNotOneStrongVersion(String header) {
        assertThatThrownBy(() -> IfMatch.version(header))
                .isInstanceOfSatisfying(
                        BillingException.class, e -> assertThat(e.field()).contains("If-Match"));
    }

    @Test
    void shouldTagAVersionQuoted() {
        assertThat(IfMatch.etag(7)).isEqualTo("\"7\"");
    }
}
