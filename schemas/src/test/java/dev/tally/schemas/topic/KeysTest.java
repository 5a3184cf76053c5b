package dev.tally.schemas.topic;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KeysTest {

    @Test
    void shouldParseAMeterKeyBackIntoItsParts() {
        assertThat(Keys.parseMeter(Keys.meter("org_1", true, "ai_call")))
                .isEqualTo(new Keys.MeterKey("org_1", true, "ai_call"));
        assertThat(Keys.parseMeter(Keys.meter("org_1", false, "ai:call.v2")))
                .isEqualTo(new Keys.MeterKey("org_1", false, "ai:call.v2"));
    }

    @Test
    void shouldRefuseAKeyThatIsNotAMeterKey() {
        assertThat(Keys.parseMeter(null)).isNull();
        assertThat(Keys.parseMeter("org_1")).isNull();
        assertThat(Keys.parseMeter("org_1|live")).isNull();
        assertThat(Keys.parseMeter("org_1|staging|ai_call")).isNull();
    }
}
