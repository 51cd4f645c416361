package dev.gatehouse.server.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the real-edge tests share: the harness with {@code public_url} set to the edge's origin (the session
 * cookie is host-only, so in a ForwardAuth deployment Gatehouse is served on the protected app's host), an edge
 * started in front of the {@code api} upstream, and browsers that talk to the edge, whose responses are kept
 * for the no-token scan.
 *
 * <p>Routes: {@code /api/public/**} public, {@code /api/orders/**} authenticated, {@code /api/billing/**} needing
 * {@code org:billing:read}, both with a token minted for audience {@code orders-api}, and {@code /**} public.
 */
final class EdgeWorld implements AutoCloseable {
    static final String AUDIENCE = "orders-api";
    private static final String TEMPLATES = String.join("\n",
            "token_templates:",
            "  orders:",
            "    audience: " + AUDIENCE,
            "    claims: {email: '{{user.email}}'}");
    private static final String ROUTES = String.join("\n",
            "  - {match: /api/public/**, upstream: %API%, access: public}",
            "  - {match: /api/orders/**, upstream: %API%, access: authenticated, token: {template: orders}}",
            "  - {match: /api/billing/**, upstream: %API%, access: authenticated, require: {permissions: [org:billing:read]}, token: {template: orders}}",
            "  - {match: /**, upstream: %API%, access: public}");

    /** Writes the edge's config into {@code dir} and starts it listening on {@code listenPort}. */
    interface EdgeStarter {
        EdgeProcess start(Path dir, int listenPort, GatewayHarness h) throws Exception;
    }

    final GatewayHarness h;
    final EdgeProcess edge;
    final Path dir;
    private final ResponseLog log;

    private EdgeWorld(GatewayHarness h, EdgeProcess edge, Path dir) {
        this.h = h;
        this.edge = edge;
        this.dir = dir;
        this.log = new ResponseLog(edge.url());
    }

    static EdgeWorld start(String name, String forwardAuthYaml, EdgeStarter starter) throws Exception {
        int port = EdgeProcess.freePort();
        GatewayHarness h = GatewayHarness.builder()
                .yaml("public_url: http://127.0.0.1:" + port + "\n" + TEMPLATES + "\n" + forwardAuthYaml)
                .routes(ROUTES)
                .start();
        try {
            Path dir = Files.createTempDirectory("gatehouse-" + name);
            return new EdgeWorld(h, starter.start(dir, port, h), dir);
        } catch (Exception | Error e) {
            h.close();
            throw e;
        }
    }

    /** A browser with an empty cookie jar whose relative paths go to the edge. */
    Browser browser() {
        return new Browser(edge.url(), log);
    }

    /** Responses the edge sent to a browser that hold a JWT or a token the upstream received. */
    List<String> leaks() {
        return log.leaks(h.tokensSeenUpstream());
    }

    @Override
    public void close() throws Exception {
        try {
            edge.close();
        } finally {
            try {
                h.close();
            } finally {
                deleteTree(dir);
            }
        }
    }

    // The edge's logs hold authorization codes (spent, but still not worth leaving in /tmp).
    private static void deleteTree(Path root) throws java.io.IOException {
        try (java.util.stream.Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
