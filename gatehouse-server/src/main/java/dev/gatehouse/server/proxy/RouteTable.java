package dev.gatehouse.server.proxy;

import dev.gatehouse.core.access.AccessLevel;
import dev.gatehouse.core.access.AccessRule;
import dev.gatehouse.core.access.Requirement;
import dev.gatehouse.server.config.GatewayConfig;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The configured routes, compiled once; the first route (in file order) whose host and path match wins.
 * Matching is by canonical path (see {@link PathGuard}); methods are checked after the match, so a route that
 * matches by path but not by method answers 405 instead of falling through to a broader route.
 */
public final class RouteTable {
    private final Route[] routes;

    public RouteTable(List<GatewayConfig.Route> configured) {
        List<Route> compiled = new ArrayList<>();
        for (int i = 0; i < configured.size(); i++) {
            compiled.add(compile(i, configured.get(i)));
        }
        this.routes = compiled.toArray(new Route[0]);
    }

    /** The matching route, or null. {@code host} is the request's host without port, lower case, or null. */
    public Route match(String host, String canonicalPath) {
        for (Route route : routes) {
            if (route.host() != null && !route.host().equals(host)) {
                continue;
            }
            if (route.pattern().matches(canonicalPath)) {
                return route;
            }
        }
        return null;
    }

    public List<Route> routes() {
        return List.of(routes);
    }

    private static Route compile(int index, GatewayConfig.Route r) {
        URI upstream = r.upstream();
        boolean tls = upstream.getScheme().equalsIgnoreCase("https");
        int port = upstream.getPort() != -1 ? upstream.getPort() : (tls ? 443 : 80);
        String base = upstream.getRawPath() == null ? "" : upstream.getRawPath();
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        GatewayConfig.Require q = r.require();
        AccessRule rule = new AccessRule(level(r.access()),
                new Requirement(Set.copyOf(q.roles()), q.organization(), Set.copyOf(q.organizationRoles()), Set.copyOf(q.permissions())));
        return new Route(index, new PathPattern(r.match()), r.host() == null ? null : r.host().toLowerCase(Locale.ROOT),
                r.methods(), upstream.getHost(), port, tls, base, r.stripPrefix(), rule, r.token(), r.bearer(), r.connectTimeout(), r.timeout());
    }

    private static AccessLevel level(GatewayConfig.Access access) {
        switch (access) {
            case PUBLIC: return AccessLevel.PUBLIC;
            case OPTIONAL: return AccessLevel.OPTIONAL;
            default: return AccessLevel.AUTHENTICATED;
        }
    }
}
