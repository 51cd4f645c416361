package dev.gatehouse.server.proxy;

import dev.gatehouse.core.access.AccessRule;
import dev.gatehouse.server.config.GatewayConfig;
import java.time.Duration;
import java.util.Set;

/**
 * One compiled route: what it matches, its access rule and where it forwards. Immutable, built at config load.
 *
 * @param upstreamBasePath the upstream URL's path without a trailing slash ({@code ""} for none)
 */
public record Route(
        int index,
        PathPattern pattern,
        String host,
        Set<String> methods,
        String upstreamHost,
        int upstreamPort,
        boolean upstreamTls,
        String upstreamBasePath,
        String stripPrefix,
        AccessRule rule,
        GatewayConfig.TokenSpec token,
        boolean bearer,
        Duration connectTimeout,
        Duration timeout) {

    public boolean allowsMethod(String method) {
        return methods.isEmpty() || methods.contains(method) || (method.equals("HEAD") && methods.contains("GET"));
    }

    /** The path to request upstream for a canonical request path that this route matched. */
    public String upstreamPath(String path) {
        String rest = path;
        if (stripPrefix != null && path.startsWith(stripPrefix)) {
            rest = path.substring(stripPrefix.length());
        }
        if (upstreamBasePath.isEmpty()) {
            return rest.isEmpty() ? "/" : rest;
        }
        if (rest.isEmpty()) {
            return upstreamBasePath;
        }
        return upstreamBasePath + rest;
    }

    public String upstreamAuthority() {
        boolean defaultPort = upstreamTls ? upstreamPort == 443 : upstreamPort == 80;
        return defaultPort ? upstreamHost : upstreamHost + ":" + upstreamPort;
    }
}
