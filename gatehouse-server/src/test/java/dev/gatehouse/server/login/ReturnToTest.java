package dev.gatehouse.server.login;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReturnToTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "//evil.com", "//evil.com/path", "///evil.com", "/\\evil.com", "/\\/evil.com", "\\\\evil.com",
        "https://evil.com", "http://evil.com/x", "HTTPS://evil.com", "//", "evil.com", "./x", "../x",
        "/%2f%2fevil.com", "/%2F%2Fevil.com", "/%2fevil.com", "/%2F/evil.com", "/%5cevil.com", "/%5C%5Cevil.com",
        "/a/%2f/b",
    })
    void refusesAnythingThatCouldLeaveTheSite(String returnTo) {
        assertThat(ReturnTo.sanitize(returnTo)).isEqualTo("/");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/\t/evil.com", "/\n/evil.com", "/\r/evil.com", "/ /evil.com", "/a\tb", "/a\u0000", "/a\u007f",
        "/%09/evil.com", "/%0a/evil.com", "/%0D/evil.com", "/%00", "/a%0Ab"})
    void refusesControlAndWhitespaceCharactersRawOrEncoded(String returnTo) {
        // browsers strip tab and newline from URLs, so "/\t/evil.com" would become "//evil.com"
        assertThat(ReturnTo.sanitize(returnTo)).isEqualTo("/");
    }

    @ParameterizedTest
    @ValueSource(strings = {"javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,<script>alert(1)</script>",
        "vbscript:x", "mailto:a@evil.com"})
    void refusesSchemes(String returnTo) {
        assertThat(ReturnTo.sanitize(returnTo)).isEqualTo("/");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/caf\u00e9", "/\u2028/evil.com", "/\uff0f\uff0fevil.com", "/a\u00a0b"})
    void refusesNonAsciiCharacters(String returnTo) {
        assertThat(ReturnTo.sanitize(returnTo)).isEqualTo("/");
    }

    @Test
    void refusesMissingEmptyAndOverlongValues() {
        assertThat(ReturnTo.sanitize(null)).isEqualTo("/");
        assertThat(ReturnTo.sanitize("")).isEqualTo("/");
        assertThat(ReturnTo.sanitize("/" + "a".repeat(2048))).isEqualTo("/");
        String longest = "/" + "a".repeat(2047);
        assertThat(ReturnTo.sanitize(longest)).isEqualTo(longest);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/a/b?c=d#e", "/app", "/app/orders/42", "/search?q=a%20b&x=%2e", "/a/b/", "/#/hash-route",
        "/a?next=https://example.com", "/~user/a-b_c.d", "/a@b:c"})
    void keepsLocalPaths(String returnTo) {
        assertThat(ReturnTo.sanitize(returnTo)).isEqualTo(returnTo);
    }
}
