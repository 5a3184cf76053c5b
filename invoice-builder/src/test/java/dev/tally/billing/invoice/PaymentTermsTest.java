package dev.tally.billing.invoice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.billing.BillingException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PaymentTermsTest {

    @Test
    void shouldReadTheNamesInAnyCaseAndStoreTheirDays() {
        assertThat(PaymentTerms.parse("paymentTerms", "net_0")).isEqualTo(PaymentTerms.NET_0);
        assertThat(PaymentTerms.parse("paymentTerms", " NET_45 ")).isEqualTo(PaymentTerms.NET_45);
        assertThat(PaymentTerms.NET_90.days()).isEqualTo(90);
        assertThat(PaymentTerms.ofDays(15)).isEqualTo(PaymentTerms.NET_15);
        assertThat(PaymentTerms.ofDays(null)).isNull();
        assertThat(PaymentTerms.DEFAULT.text()).isEqualTo("net_30");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "net_7", "30", "net30", "net_30 days"})
    void shouldRefuseOtherTermsNamingTheField(String value) {
        assertThatThrownBy(() -> PaymentTerms.parse("paymentTerms", value))
                .isInstanceOfSatisfying(
                        BillingException.class, e -> assertThat(e.field()).contains("paymentTerms"))
                .hasMessageContaining("net_0, net_15, net_30, net_45, net_60, net_90");
    }
}
