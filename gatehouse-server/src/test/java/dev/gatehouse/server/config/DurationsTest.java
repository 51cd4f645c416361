package dev.gatehouse.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @Test
    void readsEveryShortUnit() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("30m")).isEqualTo(Duration.ofMinutes(30));
        assertThat(Durations.parse("12h")).isEqualTo(Duration.ofHours(12));
        assertThat(Durations.parse("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(Durations.parse("0s")).isEqualTo(Duration.ZERO);
    }

    @Test
    void readsIso8601() {
        assertThat(Durations.parse("PT1H30M")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse("PT0.5S")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("P1D")).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void ignoresSurroundingWhitespace() {
        assertThat(Durations.parse(" 30m ")).isEqualTo(Duration.ofMinutes(30));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "30", "m", "30 m", "30 minutes", "1.5h", "30M", "30S", "-5m", "5m30s", "thirty", "PT", "30y"})
    void refusesAnythingElse(String text) {
        assertThat(Durations.parse(text)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"99999999999999999999s", "9223372036854775807d", "106751991167301d"})
    void refusesNumbersTooLargeForADuration(String text) {
        assertThat(Durations.parse(text)).isNull();
    }
}
