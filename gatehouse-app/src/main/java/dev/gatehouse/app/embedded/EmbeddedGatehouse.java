package dev.gatehouse.app.embedded;

import dev.gatehouse.app.seed.SeedException;
import dev.gatehouse.app.seed.SeedFile;
import dev.gatehouse.app.seed.Seeder;
import dev.gatehouse.identity.passwords.Argon2Parameters;
import dev.gatehouse.identity.passwords.PasswordHasher;
import dev.gatehouse.identity.provider.ClientRegistration;
import dev.gatehouse.identity.provider.EmbeddedProvider;
import dev.gatehouse.identity.provider.ProviderSettings;
import dev.gatehouse.identity.store.DatabaseSettings;
import dev.gatehouse.identity.store.IdentityDatabase;
import dev.gatehouse.server.Gateway;
import dev.gatehouse.server.config.GatewayConfig;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The gateway and the embedded provider, started in that dependency order and closed in reverse. The gateway's
 * client secret is generated at each start (256 random bits) unless the config gives one: both ends live in this
 * process and register at start, so there is nothing to store, leak from disk or rotate, and a restart (which
 * ends the gateway's in-memory sessions anyway) simply makes a new one.
 */
public final class EmbeddedGatehouse implements AutoCloseable {
    private final IdentityDatabase database;
    private final EmbeddedProvider provider;
    private final Gateway gateway;
    private final GatewayConfig config;
    private final URI publicUrl;
    private final Seeder.Report seedReport;

    private EmbeddedGatehouse(IdentityDatabase database, EmbeddedProvider provider, Gateway gateway, GatewayConfig config,
                              URI publicUrl, Seeder.Report seedReport) {
        this.database = database;
        this.provider = provider;
        this.gateway = gateway;
        this.config = config;
        this.publicUrl = publicUrl;
        this.seedReport = seedReport;
    }

    /**
     * Opens the database (migrating it), applies {@code identity.embedded.seed}, starts the provider, then the
     * gateway pointed at the provider's issuer, then registers the gateway's client (callback, post-logout
     * redirect, back-channel logout on the gateway's public URL) and the config's other clients. Blocking.
     * Whatever started is closed again when a later step fails.
     */
    public static EmbeddedGatehouse start(GatewayConfig config, Function<String, String> environment, Clock clock,
                                          SecureRandom random) throws SeedException, StartException {
        GatewayConfig.Identity identity = config.identity();
        GatewayConfig.Embedded embedded = Objects.requireNonNull(identity.embedded(), "identity.provider is not embedded");
        GatewayConfig.Database db = embedded.database();
        IdentityDatabase database = IdentityDatabase.open(DatabaseSettings.of(db.url()).withCredentials(db.user(), db.password()));
        EmbeddedProvider provider = null;
        Gateway gateway = null;
        try {
            Seeder.Report report = null;
            if (embedded.seed() != null) {
                report = new Seeder(database, new PasswordHasher(Argon2Parameters.DEFAULT, random), clock, random)
                        .apply(SeedFile.load(embedded.seed(), environment));
            }
            provider = startProvider(embedded, clock, random, database);
            for (GatewayConfig.Client c : embedded.clients()) {
                provider.register(new ClientRegistration(c.id(), c.secret(), c.redirectUris(), c.postLogoutRedirectUris(),
                        c.backchannelLogoutUri(), c.grantTypes(), c.id()));
            }
            String secret = identity.clientSecret() != null ? identity.clientSecret() : newSecret(random);
            GatewayConfig gatewayConfig = config.withIdentity(identity.withClient(provider.issuer(), identity.clientId(), secret));
            gateway = Gateway.start(gatewayConfig, clock, random).get(60, TimeUnit.SECONDS);
            URI publicUrl = gatewayConfig.publicUrl(gateway.port());
            provider.register(ClientRegistration.webClient(identity.clientId(), secret, publicUrl.resolve("/auth/callback"),
                    publicUrl.resolve(identity.postLogoutRedirect()), publicUrl.resolve("/auth/backchannel-logout")));
            return new EmbeddedGatehouse(database, provider, gateway, gatewayConfig, publicUrl, report);
        } catch (SeedException | StartException | RuntimeException e) {
            closeQuietly(gateway, provider, database);
            throw e;
        } catch (ExecutionException | TimeoutException e) {
            closeQuietly(gateway, provider, database);
            throw new StartException("the gateway did not start: " + (e.getCause() == null ? e : e.getCause()), e);
        } catch (InterruptedException e) {
            closeQuietly(gateway, provider, database);
            Thread.currentThread().interrupt();
            throw new StartException("interrupted while starting", e);
        }
    }

    private static EmbeddedProvider startProvider(GatewayConfig.Embedded embedded, Clock clock, SecureRandom random,
                                                  IdentityDatabase database) throws StartException {
        ProviderSettings settings = providerSettings(embedded, clock, random);
        try {
            return EmbeddedProvider.start(settings, database);
        } catch (RuntimeException e) {
            // most often the port is taken; say where, not only what the HTTP server said
            throw new StartException("the embedded identity provider could not listen on " + embedded.listen() + ": "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
        }
    }

    static ProviderSettings providerSettings(GatewayConfig.Embedded embedded, Clock clock, SecureRandom random) {
        int port = embedded.listen().port();
        // on port 0 (tests) the issuer can only be known once bound: the provider then uses its own address
        URI publicUrl = embedded.publicUrl() != null || port == 0 ? embedded.publicUrl() : embedded.publicUrl(port);
        return ProviderSettings.defaults(embedded.signingKeyFile())
                .withListen(embedded.listen().host(), port)
                .withPublicUrl(publicUrl)
                .withLifetimes(embedded.accessTokenLifetime(), embedded.refreshTokenLifetime(), embedded.sessionLifetime())
                .withSigningKeyRotation(embedded.signingKeyRotation())
                .withSignUpAllowed(embedded.signUp())
                .withClock(clock)
                .withRandom(random);
    }

    private static String newSecret(SecureRandom random) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The gateway's public URL (where browsers go). */
    public URI publicUrl() {
        return publicUrl;
    }

    /** The provider's issuer (where its sign-in pages are). */
    public URI issuer() {
        return provider.issuer();
    }

    public int gatewayPort() {
        return gateway.port();
    }

    public int adminPort() {
        return gateway.adminPort();
    }

    public int providerPort() {
        return provider.port();
    }

    /** The config the gateway runs with: the file's, with the provider's issuer and the gateway's client filled in. */
    public GatewayConfig config() {
        return config;
    }

    /** What the seed created at this start, or null without a seed file. */
    public Seeder.Report seedReport() {
        return seedReport;
    }

    /** The open identity database (for the demo's own checks). */
    public IdentityDatabase database() {
        return database;
    }

    /** Stops the gateway first (no new sign-ins), then the provider, then closes the database (releasing an H2 file). */
    @Override
    public void close() {
        closeQuietly(gateway, provider, database);
    }

    private static void closeQuietly(AutoCloseable... parts) {
        for (AutoCloseable part : java.util.Arrays.stream(parts).filter(Objects::nonNull).toList()) {
            try {
                part.close();
            } catch (Exception e) {
                org.slf4j.LoggerFactory.getLogger(EmbeddedGatehouse.class).warn("Closing {} failed: {}",
                        part.getClass().getSimpleName(), e.toString());
            }
        }
    }

    /** The gateway or provider could not start (a port in use, the provider unreachable). */
    public static final class StartException extends Exception {
        StartException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
