package dev.gatehouse.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SessionCookieTest {
    private static final String VALUE = "Abc-_0123456789abcdefghijklmnopqrstuvwxyzAB";

    private final SessionCookie secure = new SessionCookie(URI.create("https://app.example.com"), false, new SecureRandom());
    private final SessionCookie local = new SessionCookie(URI.create("http://localhost:8080"), false, new SecureRandom());

    @Test
    void httpsPublicUrlGetsTheHostPrefixedName() {
        assertThat(secure.name()).isEqualTo("__Host-gatehouse");
        assertThat(secure.loginName()).isEqualTo("__Host-gatehouse-login");
    }

    @Test
    void plainHttpLocalhostGetsThePlainName() {
        // browsers refuse __Host- cookies without TLS
        assertThat(local.name()).isEqualTo("gatehouse");
        assertThat(local.loginName()).isEqualTo("gatehouse-login");
        assertThat(new SessionCookie(URI.create("http://127.0.0.1:8080"), false, new SecureRandom()).name()).isEqualTo("gatehouse");
    }

    @Test
    void sessionCookieHasExactlyTheSpecifiedAttributes() {
        assertThat(secure.set(VALUE)).isEqualTo("__Host-gatehouse=" + VALUE + "; Path=/; Secure; HttpOnly; SameSite=Lax");
        assertThat(local.set(VALUE)).isEqualTo("gatehouse=" + VALUE + "; Path=/; Secure; HttpOnly; SameSite=Lax");
        assertThat(secure.set(VALUE)).doesNotContainIgnoringCase("domain").doesNotContainIgnoringCase("expires")
                .doesNotContainIgnoringCase("max-age");
    }

    @Test
    void strictSameSiteIsConfigurable() {
        SessionCookie strict = new SessionCookie(URI.create("https://app.example.com"), true, new SecureRandom());

        assertThat(strict.set(VALUE)).isEqualTo("__Host-gatehouse=" + VALUE + "; Path=/; Secure; HttpOnly; SameSite=Strict");
        // the login cookie must come back on the provider's cross-site redirect, so it stays Lax
        assertThat(strict.setLogin(VALUE)).contains("; SameSite=Lax");
    }

    @Test
    void clearingKeepsTheAttributesSoTheBrowserMatchesTheCookie() {
        assertThat(secure.clear()).isEqualTo("__Host-gatehouse=; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=0");
    }

    @Test
    void loginCookieLivesTenMinutes() {
        assertThat(secure.setLogin(VALUE)).isEqualTo("__Host-gatehouse-login=" + VALUE + "; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=600");
    }

    @Test
    void newValuesAre256BitBase64UrlAndDistinct() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String v = secure.newValue();
            assertThat(v).hasSize(SessionCookie.VALUE_LENGTH).hasSize(43);
            assertThat(SessionCookie.wellFormed(v)).isTrue();
            seen.add(v);
        }
        assertThat(seen).hasSize(1000);
    }

    @Test
    void wellFormedAcceptsOnlyTheShapeOfOurOwnValues() {
        assertThat(SessionCookie.wellFormed(VALUE)).isTrue();
        assertThat(SessionCookie.wellFormed(null)).isFalse();
        assertThat(SessionCookie.wellFormed("")).isFalse();
        assertThat(SessionCookie.wellFormed(VALUE.substring(1))).isFalse();
        assertThat(SessionCookie.wellFormed(VALUE + "A")).isFalse();
        assertThat(SessionCookie.wellFormed(VALUE.substring(1) + "=")).isFalse();
        assertThat(SessionCookie.wellFormed(VALUE.substring(1) + "+")).isFalse();
        assertThat(SessionCookie.wellFormed(VALUE.substring(1) + "/")).isFalse();
        assertThat(SessionCookie.wellFormed(VALUE.substring(1) + " ")).isFalse();
        assertThat(SessionCookie.wellFormed(VALUE.substring(1) + "\u00e9")).isFalse();
    }

    @Test
    void hashIsUnpaddedBase64UrlSha256() {
        assertThat(SessionCookie.hash("abc")).isEqualTo("ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0");
        assertThat(SessionCookie.hash("A".repeat(43))).isEqualTo("DwBzhbb51LfusnSGBa_hqYSgo7-j8BTQnip4TOnlzRo");
        assertThat(SessionCookie.hash(VALUE)).isNotEqualTo(VALUE).isEqualTo(SessionCookie.hash(VALUE));
    }

    @Test
    void findReadsTheNamedCookie() {
        assertThat(SessionCookie.find("gatehouse=" + VALUE, "gatehouse")).isEqualTo(VALUE);
        assertThat(SessionCookie.find("a=1; gatehouse=" + VALUE + "; b=2", "gatehouse")).isEqualTo(VALUE);
        assertThat(SessionCookie.find("a=1;gatehouse=" + VALUE, "gatehouse")).isEqualTo(VALUE);
        assertThat(SessionCookie.find("__Host-gatehouse=" + VALUE, "__Host-gatehouse")).isEqualTo(VALUE);
    }

    @Test
    void findToleratesExtraSpacesAndSemicolons() {
        assertThat(SessionCookie.find("  gatehouse=" + VALUE + "  ", "gatehouse")).isEqualTo(VALUE);
        assertThat(SessionCookie.find("a=1 ;  ; gatehouse=" + VALUE + " ;", "gatehouse")).isEqualTo(VALUE);
        assertThat(SessionCookie.find(";;gatehouse=" + VALUE, "gatehouse")).isEqualTo(VALUE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"xgatehouse=v", "gatehouse-login=v", "gatehousex=v", "__Host-gatehouse=v", "a=gatehouse=v",
        "gatehouse", "gatehous=v", "GATEHOUSE=v", "", "a=1; b=2"})
    void findIgnoresCookiesWithSimilarNames(String header) {
        assertThat(SessionCookie.find(header, "gatehouse")).isNull();
    }

    @Test
    void findSkipsSimilarNamesBeforeTheRealCookie() {
        assertThat(SessionCookie.find("xgatehouse=evil; gatehouse-login=l; gatehouse=" + VALUE, "gatehouse")).isEqualTo(VALUE);
        assertThat(SessionCookie.find("gatehouse-login=l; __Host-gatehouse=" + VALUE, "__Host-gatehouse")).isEqualTo(VALUE);
    }

    @Test
    void findTakesTheFirstOfDuplicatesAndAllowsEmptyValues() {
        assertThat(SessionCookie.find("gatehouse=first; gatehouse=second", "gatehouse")).isEqualTo("first");
        assertThat(SessionCookie.find("gatehouse=", "gatehouse")).isEmpty();
        assertThat(SessionCookie.find(null, "gatehouse")).isNull();
    }

    @Test
    void withoutOwnCookiesRemovesSessionAndLoginCookies() {
        assertThat(local.withoutOwnCookies("a=1; gatehouse=" + VALUE + "; b=2")).isEqualTo("a=1; b=2");
        assertThat(local.withoutOwnCookies("gatehouse-login=l;a=1;gatehouse=s")).isEqualTo("a=1");
        assertThat(secure.withoutOwnCookies("theme=dark; __Host-gatehouse=s; __Host-gatehouse-login=l")).isEqualTo("theme=dark");
    }

    @Test
    void withoutOwnCookiesGivesNullWhenNothingElseRemains() {
        assertThat(local.withoutOwnCookies("gatehouse=" + VALUE)).isNull();
        assertThat(local.withoutOwnCookies("gatehouse=s; gatehouse-login=l")).isNull();
        assertThat(local.withoutOwnCookies(null)).isNull();
    }

    @Test
    void withoutOwnCookiesKeepsSimilarNamesThatAreNotOurs() {
        assertThat(local.withoutOwnCookies("xgatehouse=1; gatehouse=s; gatehousex=2")).isEqualTo("xgatehouse=1; gatehousex=2");
        // on https only __Host-gatehouse is ours
        assertThat(secure.withoutOwnCookies("gatehouse=app; __Host-gatehouse=s")).isEqualTo("gatehouse=app");
    }

    @Test
    void withoutOwnCookiesReturnsTheSameHeaderWhenThereIsNothingToRemove() {
        String header = "a=1; b=2";
        assertThat(local.withoutOwnCookies(header)).isSameAs(header);
    }
}
