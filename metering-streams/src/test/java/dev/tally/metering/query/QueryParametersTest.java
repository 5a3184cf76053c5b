package dev.tally.metering.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryParametersTest {

    @Test
    void shouldRefuseAParameterGivenTwiceNamingIt() {
        assertThatThrownBy(() -> QueryParameters.requireSingleValues(
                        Map.of("from", List.of("x"), "customer", List.of("cus_1", "cus_2"))))
                .isInstanceOfSatisfying(MeteringException.class, e -> {
                    assertThat(e.code()).isEqualTo(MeteringErrorCode.INVALID_PARAMETER);
                    assertThat(e.field()).isEqualTo("customer");
                });
        assertThatCode(() -> QueryParameters.requireSingleValues(Map.of("customer", List.of("cus_1"))))
                .doesNotThrowAnyException();
    }

    @Test
    void shouldRefuseEveryControlCharacterIncludingDeleteAndC1() {
        for (String value : List.of("a\u0000", "a\u001f", "a\u007f", "a\u0085", "\t")) {
            assertThatThrownBy(() -> QueryParameters.text("window", value))
                    .isInstanceOf(MeteringException.class)
                    .hasMessage("window must not contain control characters");
        }
    }
}
