package dev.gatehouse.core;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * One issuer's JWKS, cached. Keys are refetched when the set is older than {@link #TTL}, and when a token names
 * an unknown {@code kid} — but at most once per {@link #MIN_REFETCH}, so a flood of tokens with made-up key ids
 * costs one fetch, not one each (the answer meanwhile is {@code jwk-kid-mismatch}). One fetch runs at a time.
 * When the endpoint fails, the keys already known keep serving for up to {@link #MAX_STALE}; only with no usable
 * keys does verification fail with {@link KeysUnavailableException}. Fetches time out and are size-limited.
 */
final class RemoteKeys implements KeySource {
    static final Duration TTL = Duration.ofMinutes(5);
    static final Duration MIN_REFETCH = Duration.ofSeconds(10);
    static final Duration MAX_STALE = Duration.ofHours(24);
    static final int MAX_BYTES = 256 * 1024;

    private final URI uri;
    private final HttpClient http;
    private final Duration timeout;
    private final Clock clock;
    private final Object fetchLock = new Object();
    private volatile Snapshot snapshot;
    private volatile Instant lastAttempt = Instant.EPOCH;
    private volatile int fetches;

    private record Snapshot(Map<String, JWK> keys, Instant fetchedAt) {
    }

    RemoteKeys(URI uri, Duration timeout, Clock clock) {
        this.uri = uri;
        this.timeout = timeout;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** How many fetches were attempted, for tests of the rate limit. */
    int fetches() {
        return fetches;
    }

    @Override
    public JWK key(String kid) throws InvalidTokenException, KeysUnavailableException {
        Instant now = clock.instant();
        Snapshot s = snapshot;
        if (s == null || !now.isBefore(s.fetchedAt().plus(TTL))) {
            s = refresh(s, now);
        }
        JWK key = kid == null ? null : s.keys().get(kid);
        if (key == null && kid != null && !now.isBefore(lastAttempt.plus(MIN_REFETCH))) {
            s = refresh(s, now);
            key = s.keys().get(kid);
        }
        if (key == null) {
            throw new InvalidTokenException(AuthReason.JWK_KID_MISMATCH, "No published key matches the token's key id.");
        }
        return key;
    }

    private Snapshot refresh(Snapshot seen, Instant now) throws KeysUnavailableException {
        synchronized (fetchLock) {
            Snapshot current = snapshot;
            if (current != seen && current != null) {
                return current; // another thread fetched while this one waited
            }
            if (current != null && now.isBefore(lastAttempt.plus(MIN_REFETCH))) {
                return current;
            }
            lastAttempt = now;
            fetches++;
            try {
                Snapshot fetched = new Snapshot(fetch(), now);
                snapshot = fetched;
                return fetched;
            } catch (IOException | java.text.ParseException e) {
                if (current != null && now.isBefore(current.fetchedAt().plus(MAX_STALE))) {
                    return current;
                }
                throw new KeysUnavailableException("The issuer's keys cannot be fetched from " + uri, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KeysUnavailableException("Interrupted while fetching keys", e);
            }
        }
    }

    private Map<String, JWK> fetch() throws IOException, InterruptedException, java.text.ParseException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json").GET().build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("JWKS endpoint answered HTTP " + response.statusCode());
            }
            byte[] bytes = body.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new IOException("JWKS larger than " + MAX_BYTES + " bytes");
            }
            Map<String, JWK> keys = new HashMap<>();
            for (JWK k : JWKSet.parse(new String(bytes, StandardCharsets.UTF_8)).getKeys()) {
                if (k.getKeyID() != null && !k.isPrivate() && (k.getKeyUse() == null || k.getKeyUse() == KeyUse.SIGNATURE)) {
                    keys.put(k.getKeyID(), k);
                }
            }
            return Map.copyOf(keys);
        }
    }
}
