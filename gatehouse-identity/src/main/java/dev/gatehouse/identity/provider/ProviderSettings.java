package dev.gatehouse.identity.provider;

import dev.gatehouse.identity.passwords.Argon2Parameters;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How the embedded provider runs. {@code publicUrl} is the issuer as clients reach it (behind TLS in production);
 * null means {@code http://<host>:<bound port>}. Refresh tokens expire {@code refreshTokenLifetime} after the
 * first one of their family was issued, however often they rotate. Failed sign-ins lock an account after
 * {@code maxFailuresPerAccount} and an address after {@code maxFailuresPerAddress} within {@code failureWindow}.
 * A new signing key takes over every {@code signingKeyRotation}, and the two before it stay published, so a token
 * verifies for at least two periods after it was signed: keep the period at least the refresh token and session
 * lifetimes (an expired ID token is still accepted as a logout hint while its session may live).
 * Start from {@link #defaults(Path)} and change with the {@code with...} methods.
 */
public record ProviderSettings(
        String host,
        int port,
        URI publicUrl,
        Path signingKeyFile,
        Duration accessTokenLifetime,
        Duration refreshTokenLifetime,
        Duration sessionLifetime,
        Clock clock,
        SecureRandom random,
        Argon2Parameters passwordParameters,
        boolean signUpAllowed,
        int maxFailuresPerAccount,
        int maxFailuresPerAddress,
        Duration failureWindow,
        Duration signingKeyRotation) {

    public ProviderSettings {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0-65535: " + port);
        }
        if (publicUrl != null) {
            publicUrl = requireIssuerUrl(publicUrl);
        }
        Objects.requireNonNull(signingKeyFile, "signingKeyFile");
        requirePositive(accessTokenLifetime, "accessTokenLifetime");
        requirePositive(refreshTokenLifetime, "refreshTokenLifetime");
        requirePositive(sessionLifetime, "sessionLifetime");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(random, "random");
        Objects.requireNonNull(passwordParameters, "passwordParameters");
        if (maxFailuresPerAccount < 1 || maxFailuresPerAddress < 1) {
            throw new IllegalArgumentException("failure limits must be at least 1");
        }
        requirePositive(failureWindow, "failureWindow");
        requirePositive(signingKeyRotation, "signingKeyRotation");
    }

    /**
     * 127.0.0.1 on any free port, access tokens for 5 minutes, refresh tokens for 30 days, provider sessions for
     * 12 hours, sign-up open, 5 failures per account and 20 per address in 15 minutes, a new signing key every
     * 30 days.
     */
    public static ProviderSettings defaults(Path signingKeyFile) {
        return new ProviderSettings("127.0.0.1", 0, null, signingKeyFile, Duration.ofMinutes(5), Duration.ofDays(30),
                Duration.ofHours(12), Clock.systemUTC(), new SecureRandom(), Argon2Parameters.DEFAULT, true, 5, 20,
                Duration.ofMinutes(15), Duration.ofDays(30));
    }

    public ProviderSettings withListen(String newHost, int newPort) {
        return new ProviderSettings(newHost, newPort, publicUrl, signingKeyFile, accessTokenLifetime, refreshTokenLifetime,
                sessionLifetime, clock, random, passwordParameters, signUpAllowed, maxFailuresPerAccount,
                maxFailuresPerAddress, failureWindow, signingKeyRotation);
    }

    public ProviderSettings withPublicUrl(URI url) {
        return new ProviderSettings(host, port, url, signingKeyFile, accessTokenLifetime, refreshTokenLifetime,
                sessionLifetime, clock, random, passwordParameters, signUpAllowed, maxFailuresPerAccount,
                maxFailuresPerAddress, failureWindow, signingKeyRotation);
    }

    public ProviderSettings withLifetimes(Duration accessToken, Duration refreshToken, Duration session) {
        return new ProviderSettings(host, port, publicUrl, signingKeyFile, accessToken, refreshToken, session, clock,
                random, passwordParameters, signUpAllowed, maxFailuresPerAccount, maxFailuresPerAddress, failureWindow,
                signingKeyRotation);
    }

    public ProviderSettings withClock(Clock newClock) {
        return new ProviderSettings(host, port, publicUrl, signingKeyFile, accessTokenLifetime, refreshTokenLifetime,
                sessionLifetime, newClock, random, passwordParameters, signUpAllowed, maxFailuresPerAccount,
                maxFailuresPerAddress, failureWindow, signingKeyRotation);
    }

    public ProviderSettings withRandom(SecureRandom newRandom) {
        return new ProviderSettings(host, port, publicUrl, signingKeyFile, accessTokenLifetime, refreshTokenLifetime,
                sessionLifetime, clock, newRandom, passwordParameters, signUpAllowed, maxFailuresPerAccount,
                maxFailuresPerAddress, failureWindow, signingKeyRotation);
    }

    /** Cheaper Argon2id parameters make tests fast; production keeps {@link Argon2Parameters#DEFAULT} or more. */
    public ProviderSettings withPasswordParameters(Argon2Parameters parameters) {
        return new ProviderSettings(host, port, publicUrl, signingKeyFile, accessTokenLifetime, refreshTokenLifetime,
                sessionLifetime, clock, random, parameters, signUpAllowed, maxFailuresPerAccount, maxFailuresPerAddress,
                failureWindow, signingKeyRotation);
    }

    public ProviderSettings withSignUpAllowed(boolean allowed) {
        return new ProviderSettings(host, port, publicUrl, signingKeyFile, accessTokenLifetime, refreshTokenLifetime,
                sessionLifetime, clock, random, passwordParameters, allowed, maxFailuresPerAccount, maxFailuresPerAddress,
                failureWindow, signingKeyRotation);
    }

    public ProviderSettings withThrottle(int perAccount, int perAddress, Duration window) {
        return new ProviderSettings(host, port, publicUrl, signingKeyFile, accessTokenLifetime, refreshTokenLifetime,
                sessionLifetime, clock, random, passwordParameters, signUpAllowed, perAccount, perAddress, window,
                signingKeyRotation);
    }

    /** How long one signing key signs before a new one takes over (checked at start and every minute). */
    public ProviderSettings withSigningKeyRotation(Duration period) {
        return new ProviderSettings(host, port, publicUrl, signingKeyFile, accessTokenLifetime, refreshTokenLifetime,
                sessionLifetime, clock, random, passwordParameters, signUpAllowed, maxFailuresPerAccount,
                maxFailuresPerAddress, failureWindow, period);
    }

    /** An issuer is an absolute http(s) URL without query or fragment; a trailing slash is dropped. */
    static URI requireIssuerUrl(URI url) {
        String scheme = url.getScheme();
        if (!"https".equals(scheme) && !"http".equals(scheme) || url.getHost() == null) {
            throw new IllegalArgumentException("the public URL must be an absolute http(s) URL: " + url);
        }
        if (url.getRawQuery() != null || url.getRawFragment() != null) {
            throw new IllegalArgumentException("the public URL must not have a query or fragment: " + url);
        }
        String text = url.toString();
        return text.endsWith("/") ? URI.create(text.substring(0, text.length() - 1)) : url;
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }
}
