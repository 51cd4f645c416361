package dev.gatehouse.core;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
    private Exception lastFailure;

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
            if (now.isBefore(lastAttempt.plus(MIN_REFETCH))) {
                return usable(current, now, lastFailure); // no second attempt inside the window, failed or not
            }
            lastAttempt = now;
            fetches++;
            try {
                Snapshot fetched = new Snapshot(fetch(), now);
                snapshot = fetched;
                lastFailure = null;
                return fetched;
            } catch (IOException | java.text.ParseException e) {
                lastFailure = e;
                return usable(current, now, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                lastFailure = e;
                throw new KeysUnavailableException("Interrupted while fetching keys", e);
            }
        }
    }

    /** The known keys while they are within {@link #MAX_STALE} of their fetch; otherwise keys are unavailable. */
    private Snapshot usable(Snapshot current, Instant now, Exception failure) throws KeysUnavailableException {
        if (current != null && now.isBefore(current.fetchedAt().plus(MAX_STALE))) {
            return current;
        }
        throw new KeysUnavailableException("The issuer's keys cannot be fetched from " + uri, failure);
    }

    private Map<String, JWK> fetch() throws IOException, InterruptedException, java.text.ParseException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json").GET().build();
        // The request timeout of java.net.http stops at the headers; a body that stalls would hold the fetch lock
        // (and so every request) forever. The whole exchange is bounded here instead.
        CompletableFuture<HttpResponse<byte[]>> pending = http.sendAsync(request,
                info -> info.statusCode() == 200 ? new LimitedBody(MAX_BYTES) : HttpResponse.BodySubscribers.replacing(null));
        HttpResponse<byte[]> response;
        try {
            response = pending.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw new HttpTimeoutException("JWKS fetch took longer than " + timeout);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
        if (response.statusCode() != 200) {
            throw new IOException("JWKS endpoint answered HTTP " + response.statusCode());
        }
        Map<String, JWK> keys = new HashMap<>();
        for (JWK k : JWKSet.parse(new String(response.body(), StandardCharsets.UTF_8)).getKeys()) {
            if (k.getKeyID() != null && !k.isPrivate() && (k.getKeyUse() == null || k.getKeyUse() == KeyUse.SIGNATURE)) {
                keys.put(k.getKeyID(), k);
            }
        }
        return Map.copyOf(keys);
    }

    /** Collects a body of at most {@code limit} bytes; a longer one fails as soon as it passes the limit. */
    private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final int limit;
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private Flow.Subscription subscription;

        LimitedBody(int limit) {
            this.limit = limit;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer b : buffers) {
                if (result.isDone()) {
                    return;
                }
                if (out.size() + b.remaining() > limit) {
                    subscription.cancel();
                    result.completeExceptionally(new IOException("JWKS larger than " + limit + " bytes"));
                    return;
                }
                byte[] bytes = new byte[b.remaining()];
                b.get(bytes);
                out.write(bytes, 0, bytes.length);
            }
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            result.complete(out.toByteArray());
        }
    }
}
