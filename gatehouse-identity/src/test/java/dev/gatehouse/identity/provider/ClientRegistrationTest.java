package dev.gatehouse.identity.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClientRegistrationTest {
    @Test
    void plainHttpRedirectUrisAreRefusedExceptOnLoopback() {
        assertThatThrownBy(() -> ClientRegistration.webClient("app", "app-secret-0123456789", URI.create("http://app.test/cb"),
                null, null)).hasMessageContaining("must be https");
        assertThat(ClientRegistration.webClient("app", "app-secret-0123456789", URI.create("http://localhost:8080/cb"), null, null)
                .redirectUris()).hasSize(1);
        assertThat(ClientRegistration.webClient("app", "app-secret-0123456789", URI.create("https://app.test/cb"), null, null)
                .isPublic()).isFalse();
    }

    @Test
    void redirectUrisWithAFragmentOrWithoutAHostAreRefused() {
        assertThatThrownBy(() -> ClientRegistration.webClient("app", "app-secret-0123456789",
                URI.create("https://app.test/cb#x"), null, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClientRegistration.webClient("app", "app-secret-0123456789", URI.create("/cb"), null, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void clientCredentialsNeedsASecretAndTheSecretNeverShowsInToString() {
        assertThatThrownBy(() -> new ClientRegistration("svc", null, List.of(), List.of(), null,
                Set.of(ClientRegistration.CLIENT_CREDENTIALS), null)).hasMessageContaining("confidential");
        assertThat(ClientRegistration.serviceClient("svc", "svc-secret-0123456789").toString()).doesNotContain("svc-secret");
    }
}
