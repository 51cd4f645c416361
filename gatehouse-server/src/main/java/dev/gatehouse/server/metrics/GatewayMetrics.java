package dev.gatehouse.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** The gateway's meters. Thread-safe; the hot-path methods only increment pre-built counters. */
public final class GatewayMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /** Proxied responses by status class: index 1..5 for 1xx..5xx. */
    private final Counter[] proxied = new Counter[6];
    private final Map<String, Counter> denied = new ConcurrentHashMap<>();
    private final Counter loginsSucceeded;
    private final Counter loginsFailed;
    private final Map<String, Counter> refreshes = new ConcurrentHashMap<>();

    public GatewayMetrics() {
        for (int i = 1; i <= 5; i++) {
            proxied[i] = Counter.builder("gatehouse.proxy.requests").description("Requests proxied to an upstream, by response status class")
                    .tag("status", i + "xx").register(registry);
        }
        loginsSucceeded = Counter.builder("gatehouse.logins").tag("outcome", "success").register(registry);
        loginsFailed = Counter.builder("gatehouse.logins").tag("outcome", "failure").register(registry);
    }

    public void proxied(int status) {
        int cls = status / 100;
        if (cls >= 1 && cls <= 5) {
            proxied[cls].increment();
        }
    }

    /** A request the gateway answered itself with a refusal (401, 403, 400 ...), by reason. */
    public void denied(String reason) {
        denied.computeIfAbsent(reason, r -> Counter.builder("gatehouse.denied.requests")
                .description("Requests refused by the gateway, by reason").tag("reason", r).register(registry)).increment();
    }

    public void loginSucceeded() {
        loginsSucceeded.increment();
    }

    public void loginFailed() {
        loginsFailed.increment();
    }

    public void refreshed(String outcome) {
        refreshes.computeIfAbsent(outcome, o -> Counter.builder("gatehouse.token.refreshes").tag("outcome", o).register(registry))
                .increment();
    }

    public void sessionsGauge(Supplier<Number> size) {
        Gauge.builder("gatehouse.sessions", size).description("Sessions held by this instance's memory store").register(registry);
    }

    /** The Prometheus text exposition. */
    public String scrape() {
        return registry.scrape();
    }
}
