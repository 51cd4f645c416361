package dev.gatehouse.server.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * The requests mock-oauth2-server recorded (it is MockWebServer underneath and queues every request it served).
 * {@link #drain} empties the queue; since a provider call the gateway made has been answered before the gateway's
 * own answer reaches the test, every such call is already queued when the test drains after its requests end.
 */
final class ProviderRequests {
    /** How long to wait for one more queued request before deciding the queue is empty. */
    private static final long EMPTY_AFTER_MS = 150;

    private ProviderRequests() {
    }

    /** Every token-endpoint form body recorded since the last drain. */
    static List<String> drainTokenRequests(GatewayHarness h) {
        List<String> bodies = new ArrayList<>();
        while (true) {
            RecordedRequest r;
            try {
                r = h.provider.takeRequest(EMPTY_AFTER_MS, TimeUnit.MILLISECONDS);
            } catch (RuntimeException empty) {
                return bodies;
            }
            if (r.getPath() != null && r.getPath().endsWith("/token")) {
                bodies.add(r.getBody().clone().readUtf8());
            }
        }
    }

    /** Drains the queue and counts the refresh-token grants in it. */
    static long drainRefreshGrants(GatewayHarness h) {
        return drainTokenRequests(h).stream().filter(b -> b.contains("grant_type=refresh_token")).count();
    }
}
