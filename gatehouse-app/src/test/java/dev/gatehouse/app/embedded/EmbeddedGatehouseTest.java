package dev.gatehouse.app.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.identity.provider.ProviderSettings;
import dev.gatehouse.server.config.ConfigLoader;
import dev.gatehouse.server.config.GatewayConfig;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How the {@code identity.embedded} section becomes the provider's settings. */
class EmbeddedGatehouseTest {
    private static GatewayConfig.Embedded embedded(String section) throws Exception {
        return new ConfigLoader(name -> null).parse("identity:\n  provider: embedded\n  embedded:\n" + section.indent(4)
                + "routes: [{match: /**, upstream: 'http://127.0.0.1:5173', access: public}]\n").identity().embedded();
    }

    @Test
    void everyKeyReachesTheProvider() throws Exception {
        ProviderSettings p = EmbeddedGatehouse.providerSettings(embedded("""
                listen: 127.0.0.1:9443
                public_url: https://id.example.com
                signing_key_file: /var/lib/gatehouse/identity-keys.json
                access_token_lifetime: 2m
                refresh_token_lifetime: 7d
                session_lifetime: 8h
                signing_key_rotation: 9d
                sign_up: false
                """), Clock.systemUTC(), new SecureRandom());

        assertThat(p.host()).isEqualTo("127.0.0.1");
        assertThat(p.port()).isEqualTo(9443);
        assertThat(p.publicUrl()).isEqualTo(URI.create("https://id.example.com"));
        assertThat(p.signingKeyFile()).isEqualTo(Path.of("/var/lib/gatehouse/identity-keys.json"));
        assertThat(p.accessTokenLifetime()).isEqualTo(Duration.ofMinutes(2));
        assertThat(p.refreshTokenLifetime()).isEqualTo(Duration.ofDays(7));
        assertThat(p.sessionLifetime()).isEqualTo(Duration.ofHours(8));
        assertThat(p.signingKeyRotation()).isEqualTo(Duration.ofDays(9));
        assertThat(p.signUpAllowed()).isFalse();
    }

    @Test
    void withoutAPublicUrlTheIssuerIsLocalhostOnAFixedPortAndTheBoundAddressOnPortZero() throws Exception {
        assertThat(EmbeddedGatehouse.providerSettings(embedded("sign_up: true"), Clock.systemUTC(), new SecureRandom()).publicUrl())
                .isEqualTo(URI.create("http://localhost:8081"));
        assertThat(EmbeddedGatehouse.providerSettings(embedded("listen: 127.0.0.1:0"), Clock.systemUTC(), new SecureRandom()).publicUrl())
                .isNull();
    }
}
