package dev.gatehouse.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UpstreamHeadersTest {

    @ParameterizedTest
    @ValueSource(strings = {"Authorization", "authorization", "AUTHORIZATION", "Proxy-Authorization"})
    void dropsBrowserCredentials(String name) {
        assertThat(UpstreamHeaders.dropped(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Connection", "Keep-Alive", "Proxy-Connection", "TE", "Trailer", "Transfer-Encoding", "Upgrade"})
    void dropsHopByHopHeaders(String name) {
        assertThat(UpstreamHeaders.dropped(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "X-Forwarded-Prefix",
        "X-Real-IP", "X-Client-IP", "True-Client-IP"})
    void dropsClientSentForwardingHeadersThatOnlyTheGatewayMayWrite(String name) {
        assertThat(UpstreamHeaders.dropped(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"X-Auth-User-Id", "x-auth-org-role", "X-User-Id", "X-User-Email", "X-Gatehouse-Session"})
    void dropsClientSentIdentityHeaders(String name) {
        assertThat(UpstreamHeaders.dropped(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"X_Forwarded_For", "x_auth_user_id", "X.Forwarded.Host", "X-Forwarded_Proto", "x_user.id", "proxy_authorization"})
    void dropsUnderscoreAndDotSpellingsThatServersFoldIntoTheSameName(String name) {
        assertThat(UpstreamHeaders.dropped(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Accept", "Content-Type", "Content-Length", "User-Agent", "X-Request-Id", "Cookie", "If-None-Match",
        "X-CSRF", "Origin", "X-Authority", "X-Forwarding"})
    void keepsOrdinaryRequestHeaders(String name) {
        assertThat(UpstreamHeaders.dropped(name)).isFalse();
    }
}
