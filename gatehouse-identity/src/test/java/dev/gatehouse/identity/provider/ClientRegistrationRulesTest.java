package dev.gatehouse.identity.provider;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Registration rules that keep the provider's tokens and logout calls from being misdirected (security checklist
 * AS-26, BCL-OP-2): client ids that could pass for a user id, and back-channel logout URIs that are relative,
 * carry a fragment, or would travel in clear off the machine.
 */
class ClientRegistrationRulesTest {
    private static final URI CALLBACK = URI.create("https://app.example/auth/callback");

    @Test
    void aClientIdThatLooksLikeAUserIdIsRefused() {
        // A service's client_credentials token has sub = client id; a resource server must never take it for a user.
        assertThatThrownBy(() -> ClientRegistration.serviceClient("user_0123456789abcdefghijklmno", "service-secret-0123456789"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("user_");
        assertThatThrownBy(() -> ClientRegistration.webClient("user_x", "web-secret-0123456789", CALLBACK, null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatCode(() -> ClientRegistration.serviceClient("users-service", "service-secret-0123456789")).doesNotThrowAnyException();
    }

    @Test
    void aBackChannelLogoutUriMustBeAbsoluteWithoutFragmentAndHttpsOffLoopback() {
        for (String bad : List.of("https://app.example/auth/backchannel-logout#x", "/auth/backchannel-logout",
                "http://app.example/auth/backchannel-logout", "app.example/auth/backchannel-logout",
                "ftp://app.example/logout")) {
            assertThatThrownBy(() -> ClientRegistration.webClient("app", "web-secret-0123456789", CALLBACK, null, URI.create(bad)))
                    .as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        for (String good : List.of("https://app.example/auth/backchannel-logout?tenant=a", "http://127.0.0.1:8080/auth/backchannel-logout",
                "http://localhost:8080/auth/backchannel-logout")) {
            assertThatCode(() -> ClientRegistration.webClient("app", "web-secret-0123456789", CALLBACK, null, URI.create(good)))
                    .as(good).doesNotThrowAnyException();
        }
    }

    @Test
    void aPostLogoutRedirectUriFollowsTheSameRulesAsARedirectUri() {
        for (String bad : List.of("https://app.example/bye#x", "/bye", "http://app.example/bye", "javascript:alert(1)")) {
            assertThatThrownBy(() -> ClientRegistration.webClient("app", "web-secret-0123456789", CALLBACK, URI.create(bad), null))
                    .as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
