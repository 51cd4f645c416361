package dev.gatehouse.identity.provider;

import dev.gatehouse.identity.http.ProviderHttpServer;
import dev.gatehouse.identity.store.IdentityDatabase;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded OpenID Connect provider, running: its HTTP server on {@code settings.host():settings.port()} and
 * the protocol logic behind it, on the identity database it is given (which it does not close). The launcher
 * starts it, registers its clients (the gateway first) and closes it on shutdown. Thread-safe.
 */
public final class EmbeddedProvider implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedProvider.class);

    private final ProviderHttpServer server;
    private final OpenIdProvider provider;

    private EmbeddedProvider(ProviderHttpServer server, OpenIdProvider provider) {
        this.server = server;
        this.provider = provider;
    }

    /** Starts the HTTP server (blocking until it listens); opens nothing else: the database is given. */
    public static EmbeddedProvider start(ProviderSettings settings, IdentityDatabase database) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(database, "database");
        AtomicReference<OpenIdProvider> built = new AtomicReference<>();
        ProviderHttpServer server = ProviderHttpServer.start(settings.host(), settings.port(), port -> {
            URI issuer = settings.publicUrl() != null ? settings.publicUrl()
                    : URI.create("http://" + hostForUrl(settings.host()) + ":" + port);
            built.set(new OpenIdProvider(settings, issuer, database));
            return built.get();
        });
        LOG.info("Embedded OpenID provider {} listening on {}:{}", built.get().issuer(), settings.host(), server.port());
        Duration longest = settings.refreshTokenLifetime().compareTo(settings.sessionLifetime()) > 0
                ? settings.refreshTokenLifetime() : settings.sessionLifetime();
        if (settings.signingKeyRotation().compareTo(longest) < 0) {
            LOG.warn("Embedded provider signing keys rotate every {}, less than the refresh token or session lifetime "
                    + "({}): ID tokens kept as logout hints may stop verifying before their session ends",
                    settings.signingKeyRotation(), longest);
        }
        return new EmbeddedProvider(server, built.get());
    }

    private static String hostForUrl(String host) {
        if (host.equals("0.0.0.0") || host.equals("::")) {
            return "localhost";
        }
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /** The public URL: {@code settings.publicUrl()}, or {@code http://<host>:<bound port>} when that is null. */
    public URI issuer() {
        return provider.issuer();
    }

    public int port() {
        return server.port();
    }

    /** Registers or replaces a client at runtime (thread-safe): the launcher registers the gateway after it starts. */
    public void register(ClientRegistration client) {
        provider.register(Objects.requireNonNull(client, "client"));
    }

    /** The signing keys, rotated every {@code settings.signingKeyRotation()}; {@link ProviderKeys#rotate} rotates now. */
    public ProviderKeys keys() {
        return provider.keys();
    }

    @Override
    public void close() {
        server.close();
        provider.close();
    }
}
