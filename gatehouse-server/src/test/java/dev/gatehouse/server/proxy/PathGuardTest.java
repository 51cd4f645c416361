package dev.gatehouse.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class PathGuardTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "/api/../admin", "/api/..", "/..", "/api/./x", "/api/.", "/.",
        "/api/%2e%2e/admin", "/api/%2E%2E/admin", "/api/%2e./admin", "/api/.%2E/admin", "/api/%2E./admin", "/api/%2e",
        "/api/%2e%2e", "/api/x/%2e%2e%2f%2e%2e/admin",
    })
    void refusesDotSegmentsPlainOrEncoded(String path) {
        assertThat(PathGuard.canonical(path)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/api/..%2fadmin", "/api%2f..%2fadmin", "/api/%2F", "/api/a%2fb",
        "/api/..%5cadmin", "/api/a%5Cb", "/api\\..\\admin", "/api/a\\b",
    })
    void refusesEncodedSlashesAndBackslashes(String path) {
        assertThat(PathGuard.canonical(path)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/admin;x=1/..", "/api;/admin", "/api/a;jsessionid=1", "/api/a%3bb", "/api/a%3Bb"})
    void refusesSemicolonsThatSomeServersStripBeforeRouting(String path) {
        assertThat(PathGuard.canonical(path)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/a%00b", "/api/a%00", "/api/%0a", "/api/%0D%0A", "/api/%09x", "/api/%1f", "/api/%7f"})
    void refusesEncodedNulAndControlCharacters(String path) {
        assertThat(PathGuard.canonical(path)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/%252e%252e/admin", "/api/%252f", "/api/%25", "/api/a%25b"})
    void refusesEncodedPercentSoNothingDecodesTwice(String path) {
        assertThat(PathGuard.canonical(path)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api//admin", "//api", "//evil.com/x", "/api///x"})
    void refusesEmptySegments(String path) {
        assertThat(PathGuard.canonical(path)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/a\tb", "/api/a\nb", "/api/a\rb", "/api/a b", "/api/a\u0000b", "/api/a\u007fb", "/api/caf\u00e9", "/api/\u2028"})
    void refusesRawControlWhitespaceAndNonAsciiCharacters(String path) {
        assertThat(PathGuard.canonical(path)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/%", "/api/%4", "/api/%zz", "/api/%4g", "/api/%g4"})
    void refusesMalformedPercentEncoding(String path) {
        assertThat(PathGuard.canonical(path)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "api/x", "*", "http://evil.com/x"})
    void refusesPathsThatDoNotStartWithSlash(String path) {
        assertThat(PathGuard.canonical(path)).isNull();
    }

    @Test
    void refusesOverlongPaths() {
        assertThat(PathGuard.canonical("/" + "a".repeat(8192))).isNull();
        assertThat(PathGuard.canonical("/" + "a".repeat(8191))).isNotNull();
    }

    @Test
    void decodesUnreservedCharactersSoRulesSeeTheRealPath() {
        assertThat(PathGuard.canonical("/api/%61dmin")).isEqualTo("/api/admin");
        assertThat(PathGuard.canonical("/api/%41%42c")).isEqualTo("/api/ABc");
        assertThat(PathGuard.canonical("/%7euser/a%2Db%5fc%2ed")).isEqualTo("/~user/a-b_c.d");
        assertThat(PathGuard.canonical("/api/v%31/items")).isEqualTo("/api/v1/items");
    }

    @Test
    void keepsOtherEncodedCharactersEncoded() {
        // reserved and non-ASCII octets keep their meaning only while encoded
        assertThat(PathGuard.canonical("/api/a%20b")).isEqualTo("/api/a%20b");
        assertThat(PathGuard.canonical("/api/%3F%23")).isEqualTo("/api/%3F%23");
        assertThat(PathGuard.canonical("/api/caf%C3%A9")).isEqualTo("/api/caf%C3%A9");
        assertThat(PathGuard.canonical("/api/%61%20")).isEqualTo("/api/a%20");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/api", "/api/", "/api/orders/42", "/api/a.b/c..d/...", "/api/~x/a-b_c", "/api/a:b@c!$&'()*+,=",
        "/api/a%20b", "/api/.well-known/x", "/api/..x/x.."})
    void returnsLegalPathsUnchangedAndWithoutCopying(String path) {
        assertThat(PathGuard.canonical(path)).isSameAs(path);
    }
}
