package dev.gatehouse.server.csrf;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CsrfCheckTest {
    private static final String SITE = "https://app.example.com";

    private final CsrfCheck check = new CsrfCheck("X-CSRF", URI.create(SITE), Set.of("https://admin.example.com"));

    @ParameterizedTest
    @ValueSource(strings = {"GET", "HEAD", "OPTIONS"})
    void safeMethodsNeedNothing(String method) {
        assertThat(check.allows(method, null, "https://evil.com", "cross-site")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "PATCH", "DELETE"})
    void stateChangingMethodsNeedTheHeader(String method) {
        assertThat(check.allows(method, null, null, null)).isFalse();
        assertThat(check.allows(method, "1", null, null)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0", "true", "yes", " 1", "1 ", "11"})
    void headerValueMustBeExactlyOne(String value) {
        assertThat(check.allows("POST", value, SITE, "same-origin")).isFalse();
    }

    @Test
    void sameOriginRequestFromTheSitePasses() {
        assertThat(check.allows("POST", "1", SITE, "same-origin")).isTrue();
        assertThat(check.allows("POST", "1", "HTTPS://APP.EXAMPLE.COM", "same-origin")).isTrue();
    }

    @Test
    void foreignOriginIsRefusedEvenWithTheHeader() {
        assertThat(check.allows("POST", "1", "https://evil.com", null)).isFalse();
        assertThat(check.allows("POST", "1", "https://evil.com", "cross-site")).isFalse();
        assertThat(check.allows("POST", "1", "null", null)).isFalse();
        assertThat(check.allows("POST", "1", "http://app.example.com", null)).isFalse();
        assertThat(check.allows("POST", "1", "https://app.example.com:8443", null)).isFalse();
    }

    @Test
    void crossSiteOrSameSiteFetchWithoutOriginIsRefused() {
        assertThat(check.allows("POST", "1", null, "cross-site")).isFalse();
        // a sibling subdomain is same-site but not same-origin
        assertThat(check.allows("POST", "1", null, "same-site")).isFalse();
        assertThat(check.allows("POST", "1", "https://sibling.example.com", "same-site")).isFalse();
    }

    @Test
    void allowListedOriginMayCallCrossSite() {
        assertThat(check.allows("POST", "1", "https://admin.example.com", "same-site")).isTrue();
        assertThat(check.allows("DELETE", "1", "https://admin.example.com", "cross-site")).isTrue();
        assertThat(check.allows("DELETE", null, "https://admin.example.com", "cross-site")).isFalse();
    }

    @Test
    void publicOriginIgnoresDefaultPortAndPath() {
        CsrfCheck withPort = new CsrfCheck("X-CSRF", URI.create("https://app.example.com:443/"), Set.of());
        assertThat(withPort.allows("POST", "1", SITE, "same-origin")).isTrue();

        CsrfCheck local = new CsrfCheck("X-CSRF", URI.create("http://localhost:8080"), Set.of());
        assertThat(local.allows("POST", "1", "http://localhost:8080", "same-origin")).isTrue();
        assertThat(local.allows("POST", "1", "http://localhost:3000", "same-site")).isFalse();
    }

    @Test
    void webSocketUpgradeNeedsAnAllowedOrigin() {
        assertThat(check.allowsOrigin(SITE)).isTrue();
        assertThat(check.allowsOrigin("https://admin.example.com")).isTrue();
        assertThat(check.allowsOrigin("https://evil.com")).isFalse();
        assertThat(check.allowsOrigin(null)).isFalse();
    }

    @Test
    void headerNameIsConfigurable() {
        assertThat(new CsrfCheck("X-Requested-By", URI.create(SITE), Set.of()).headerName()).isEqualTo("X-Requested-By");
        assertThat(CsrfCheck.isSafe("POST")).isFalse();
        assertThat(CsrfCheck.isSafe("GET")).isTrue();
    }
}
