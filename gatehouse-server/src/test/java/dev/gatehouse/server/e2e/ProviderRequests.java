package dev.gatehouse.server.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.http.MockWebServerWrapper;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * What the provider received, read from mock-oauth2-server's request queue in arrival order. The queue only
 * grows, so tests {@link #drain} it before the step they want to observe.
 */
final class ProviderRequests {
    private ProviderRequests() {
    }

    /** Takes every request queued so far. MockWebServer queues a request before answering it. */
    static List<RecordedRequest> drain(MockOAuth2Server provider) {
        List<RecordedRequest> out = new ArrayList<>();
        for (RecordedRequest r = take(provider, 0); r != null; r = take(provider, 0)) {
            out.add(r);
        }
        return out;
    }

    /** The next queued request or null after {@code nanos}; MockOAuth2Server's own takeRequest throws instead. */
    private static RecordedRequest take(MockOAuth2Server provider, long nanos) {
        MockWebServer server = ((MockWebServerWrapper) provider.getConfig().getHttpServer()).getMockWebServer();
        try {
            return server.takeRequest(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits for the next request whose path ends with {@code pathSuffix} (others are dropped); null if none comes. */
    static RecordedRequest await(MockOAuth2Server provider, String pathSuffix, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            RecordedRequest r = take(provider, left);
            if (r == null) {
                return null;
            }
            if (r.getRequestUrl() != null && r.getRequestUrl().encodedPath().endsWith(pathSuffix)) {
                return r;
            }
        }
    }

    static List<RecordedRequest> to(List<RecordedRequest> requests, String pathSuffix) {
        return requests.stream().filter(r -> r.getRequestUrl() != null && r.getRequestUrl().encodedPath().endsWith(pathSuffix)).toList();
    }

    /** The decoded form parameters of a request body, read from a copy so it can be read again. */
    static java.util.Map<String, String> form(RecordedRequest r) {
        return LoginSteps.query(java.net.URI.create("x:/?" + r.getBody().clone().readUtf8()));
    }

    /** Every token-endpoint form body recorded since the last drain. */
    static List<String> drainTokenRequests(GatewayHarness h) {
        List<String> bodies = new ArrayList<>();
        for (RecordedRequest r : to(drain(h.provider), "/token")) {
            bodies.add(r.getBody().clone().readUtf8());
        }
        return bodies;
    }

    /** Drains the queue and counts the refresh-token grants in it. */
    static long drainRefreshGrants(GatewayHarness h) {
        return drainTokenRequests(h).stream().filter(b -> b.contains("grant_type=refresh_token")).count();
    }
}
