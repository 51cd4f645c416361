package dev.gatehouse.server.proxy;

import dev.gatehouse.core.access.AccessLevel;
import dev.gatehouse.core.access.AccessRule;
import dev.gatehouse.core.access.Requirement;
import dev.gatehouse.server.config.GatewayConfig;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The configured routes, compiled once; the first route (in file order) whose host and path match wins.
 * Matching is by canonical path (see {@link PathGuard}); methods are checked after the match, so a route that
 * matches by path but not by method answers 405 instead of falling through to a broader route.
 *
 * <p>Routes are indexed by the literal segments their patterns begin with, so a request tests only the routes
 * that could match its path (those with a wildcard early are always tested), not the whole table.
 */
public final class RouteTable {
    private final Route[] routes;
    private final Segments index = new Segments();

    public RouteTable(List<GatewayConfig.Route> configured) {
        List<Route> compiled = new ArrayList<>();
        for (int i = 0; i < configured.size(); i++) {
            compiled.add(compile(i, configured.get(i)));
            index.add(compiled.get(i).pattern().leadingLiterals(), 0, i);
        }
        this.routes = compiled.toArray(new Route[0]);
    }

    /** The matching route, or null. {@code host} is the request's host without port, lower case, or null. */
    public Route match(String host, String canonicalPath) {
        // Candidates: the routes whose leading literal segments the path begins with, gathered along the path's
        // segments; then the first of them in file order that matches, exactly as a scan of every route would find.
        int[] found = index.routes;
        int count = found.length;
        int[] candidates = null;
        Segments node = index;
        int pos = 1;
        int len = canonicalPath.length();
        while (pos <= len && node.children != null) {
            int end = canonicalPath.indexOf('/', pos);
            if (end < 0) {
                end = len;
            }
            node = node.children.get(canonicalPath.substring(pos, end));
            if (node == null) {
                break;
            }
            if (node.routes.length > 0 && count == 0) {
                found = node.routes;
                count = found.length;
            } else if (node.routes.length > 0) {
                if (candidates == null) {
                    candidates = java.util.Arrays.copyOf(found, count + node.routes.length + 8);
                } else if (count + node.routes.length > candidates.length) {
                    candidates = java.util.Arrays.copyOf(candidates, (count + node.routes.length) * 2);
                }
                System.arraycopy(node.routes, 0, candidates, count, node.routes.length);
                count += node.routes.length;
                found = candidates;
            }
            pos = end + 1;
        }
        if (candidates != null) {
            java.util.Arrays.sort(candidates, 0, count);
        }
        for (int i = 0; i < count; i++) {
            Route route = routes[found[i]];
            if (route.host() != null && !route.host().equals(host)) {
                continue;
            }
            if (route.pattern().matches(canonicalPath)) {
                return route;
            }
        }
        return null;
    }

    /**
     * A node of the index: the routes (by file position, ascending) whose leading literal segments end here, and
     * the next segments. Built once; read-only afterwards.
     */
    private static final class Segments {
        int[] routes = new int[0];
        Map<String, Segments> children;

        void add(List<String> literals, int depth, int route) {
            if (depth == literals.size()) {
                routes = java.util.Arrays.copyOf(routes, routes.length + 1);
                routes[routes.length - 1] = route;
                return;
            }
            if (children == null) {
                children = new HashMap<>();
            }
            children.computeIfAbsent(literals.get(depth), k -> new Segments()).add(literals, depth + 1, route);
        }
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
