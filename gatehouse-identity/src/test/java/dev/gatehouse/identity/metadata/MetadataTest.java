package dev.gatehouse.identity.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetadataTest {

    @Test
    void isACopyThatLaterChangesToTheSourceDoNotReach() {
        List<Object> tags = new ArrayList<>(List.of("a"));
        Map<String, Object> source = new HashMap<>(Map.of("tags", tags));

        Metadata metadata = Metadata.of(source);
        tags.add("b");
        source.put("extra", 1);

        assertThat(metadata.asMap()).isEqualTo(Map.of("tags", List.of("a")));
    }

    @Test
    void cannotBeChangedAtAnyDepth() {
        Metadata metadata = Metadata.of(Map.of("plan", Map.of("features", List.of("sso"))));

        assertThatThrownBy(() -> metadata.asMap().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> plan = (Map<String, Object>) metadata.get("plan");
        assertThatThrownBy(() -> plan.put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        @SuppressWarnings("unchecked")
        List<Object> features = (List<Object>) plan.get("features");
        assertThatThrownBy(() -> features.add("audit")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void refusesValuesThatAreNotJson() {
        assertThatThrownBy(() -> Metadata.of(Map.of("when", Instant.EPOCH)))
                .hasMessage("metadata value at $.when is not a JSON value (Instant)");
        assertThatThrownBy(() -> Metadata.of(Map.of("n", List.of(Double.NaN))))
                .hasMessage("metadata value at $.n[0] is not a finite number");
        assertThatThrownBy(() -> Metadata.of(Map.of("m", Map.of(1, "x"))))
                .hasMessageStartingWith("metadata keys must be strings");
    }

    @Test
    void holdsNumbersAsAJsonParserReadsThemBack() {
        Metadata metadata = Metadata.of(Map.of("small", 7L, "large", 5_000_000_000L, "decimal", new BigDecimal("1.25"), "f", 0.5f));

        assertThat(metadata.get("small")).isEqualTo(7);
        assertThat(metadata.get("large")).isEqualTo(5_000_000_000L);
        assertThat(metadata.get("decimal")).isEqualTo(1.25);
        assertThat(metadata.get("f")).isEqualTo(0.5);
        assertThat(Metadata.of(null)).isSameAs(Metadata.EMPTY);
    }
}
