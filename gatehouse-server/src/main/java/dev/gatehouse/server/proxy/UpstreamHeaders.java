package dev.gatehouse.server.proxy;

import java.util.Locale;
import java.util.Set;

/**
 * Which request headers never reach an upstream. The browser's {@code Authorization} is replaced by the route's
 * token; hop-by-hop headers (RFC 9110 §7.6.1) belong to one connection; forwarding and identity headers are
 * written by the gateway alone, so any copy the client sent is dropped, including the {@code _} and {@code .}
 * spellings that some servers fold into the same name. Path and method override headers are dropped too, so
 * the upstream runs exactly the request the gateway's rules approved.
 */
public final class UpstreamHeaders {
    private static final Set<String> DROPPED = Set.of(
            "authorization", "proxy-authorization", "connection", "keep-alive", "proxy-connection", "te", "trailer",
            "transfer-encoding", "upgrade", "forwarded", "x-real-ip", "x-client-ip", "true-client-ip",
            // Rewrite and override headers some frameworks honour: they would run a path or method the rules never saw.
            "x-original-url", "x-rewrite-url", "x-http-method-override", "x-http-method", "x-method-override");
    private static final String[] DROPPED_PREFIXES = {"x-forwarded-", "x-auth-", "x-user-", "x-gatehouse-"};

    private UpstreamHeaders() {
    }

    /** True when a client-sent header of this name must not be forwarded. */
    public static boolean dropped(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.indexOf('_') >= 0 || n.indexOf('.') >= 0) {
            n = n.replace('_', '-').replace('.', '-');
        }
        if (DROPPED.contains(n)) {
            return true;
        }
        for (String prefix : DROPPED_PREFIXES) {
            if (n.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
