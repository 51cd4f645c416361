package dev.gatehouse.core.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TokenTemplateTest {

    private static TokenTemplate compile(Duration lifetime, Map<String, Object> claims) throws TemplateException {
        return TokenTemplate.compile("billing", "billing-api", lifetime, claims);
    }

    @ParameterizedTest
    @ValueSource(strings = {"iss", "sub", "aud", "exp", "iat", "nbf", "jti", "sid", "azp", "org", "roles"})
    void reservedClaimCannotBeSetByATemplate(String claim) {
        assertThatThrownBy(() -> compile(null, Map.of(claim, "x")))
                .isInstanceOf(TemplateException.class)
                .hasMessage("claims." + claim + ": is reserved and set by Gatehouse");
        assertThatThrownBy(() -> compile(null, Map.of(claim, "{{user.id}}"))).isInstanceOf(TemplateException.class);
    }

    @Test
    void lifetimeDefaultsToSixtySeconds() throws Exception {
        assertThat(compile(null, Map.of()).lifetime()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void lifetimeFromFiveSecondsToOneHourIsAccepted() throws Exception {
        assertThat(compile(Duration.ofSeconds(5), Map.of()).lifetime()).isEqualTo(Duration.ofSeconds(5));
        assertThat(compile(Duration.ofHours(1), Map.of()).lifetime()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void lifetimeOutsideBoundsIsRefused() {
        assertThatThrownBy(() -> compile(Duration.ofSeconds(4), Map.of()))
                .hasMessage("lifetime: must be between 5s and 60m (got 4s)");
        assertThatThrownBy(() -> compile(Duration.ofHours(1).plusSeconds(1), Map.of()))
                .hasMessage("lifetime: must be between 5s and 60m (got 3601s)");
        assertThatThrownBy(() -> compile(Duration.ZERO, Map.of())).isInstanceOf(TemplateException.class);
        assertThatThrownBy(() -> compile(Duration.ofSeconds(-30), Map.of())).isInstanceOf(TemplateException.class);
    }

    @Test
    void audienceIsRequired() {
        assertThatThrownBy(() -> TokenTemplate.compile("t", null, null, Map.of())).hasMessage("audience: is required");
        assertThatThrownBy(() -> TokenTemplate.compile("t", "  ", null, Map.of())).hasMessage("audience: is required");
    }

    @Test
    void aBadClaimTemplateIsReportedUnderItsClaimName() {
        assertThatThrownBy(() -> compile(null, Map.of("plan", "{{user.plan}}")))
                .hasMessageStartingWith("claims.plan: unknown placeholder user.plan");
        assertThatThrownBy(() -> compile(null, Map.of("email", "{{user.email")))
                .hasMessageStartingWith("claims.email: unclosed {{");
    }

    @Test
    void evaluationFillsPlaceholdersKeepsLiteralsAndLeavesOutAbsentClaims() throws Exception {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("email", "{{user.email}}");
        claims.put("plan", "{{user.public_metadata.plan || 'free'}}");
        claims.put("org_role", "{{org.role}}");
        claims.put("tier", 3);
        claims.put("beta", false);
        claims.put("kind", "service-token");
        TokenTemplate t = compile(Duration.ofSeconds(30), claims);
        TemplateContext user = path -> String.join(".", path).equals("user.email") ? "a@example.com" : null;
        assertThat(t.evaluate(user)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "email", "a@example.com", "plan", "free", "tier", 3, "beta", false, "kind", "service-token"));
        assertThat(t.name()).isEqualTo("billing");
        assertThat(t.audience()).isEqualTo("billing-api");
    }

    @Test
    void listPlaceholderStaysAListInTheClaims() throws Exception {
        TokenTemplate t = compile(null, Map.of("permissions", "{{org.permissions}}"));
        List<String> perms = List.of("org:billing:read");
        assertThat(t.evaluate(path -> String.join(".", path).equals("org.permissions") ? perms : null))
                .containsEntry("permissions", perms);
    }
}
