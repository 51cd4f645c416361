package dev.gatehouse.server.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Keycloak (the distribution Maven unpacks into {@code target/keycloak} in {@code pre-integration-test}) in
 * dev mode on 127.0.0.1: HTTP and management ports given by the caller, a fresh H2 database each start, and the
 * realm {@value #REALM} imported from {@code keycloak/gatehouse-realm.json} with the gateway's URL filled in.
 * One per test class: it needs 20-60 s and about 0.5 GB. {@link #close} stops {@code kc.sh} and its java child by
 * PID; a shutdown hook does the same if the test JVM dies first.
 */
final class KeycloakServer implements AutoCloseable {
    static final String VERSION = "26.7.3";
    static final String REALM = "gatehouse";
    static final Path HOME = Path.of(System.getProperty("keycloak.home", "target/keycloak/keycloak-" + VERSION)).toAbsolutePath();
    private static final Duration START_LIMIT = Duration.ofSeconds(180);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    private final int port;
    private final String adminPassword;
    private final Process process;
    private final Thread shutdownHook;
    private final Duration startTime;

    private KeycloakServer(int port, String adminPassword, Process process, Thread shutdownHook, Duration startTime) {
        this.port = port;
        this.adminPassword = adminPassword;
        this.process = process;
        this.shutdownHook = shutdownHook;
        this.startTime = startTime;
    }

    /**
     * Skips the calling test class when the Keycloak distribution or a Java runtime for it is missing, saying how to
     * get it; fails instead when {@code GATEHOUSE_REQUIRE_SERVICES=1} (CI), so Keycloak cannot be left out silently.
     */
    static void assumeAvailable() {
        List<String> missing = new ArrayList<>();
        if (!Files.isRegularFile(HOME.resolve("bin/kc.sh"))) {
            missing.add("the Keycloak " + VERSION + " distribution at " + HOME.toAbsolutePath()
                    + " (unpacked by the fetch-keycloak execution of gatehouse-server/pom.xml in pre-integration-test;"
                    + " -Dkeycloak.skip=true leaves it out)");
        }
        if (!Files.isExecutable(javaHome().resolve("bin/java"))) {
            missing.add("a Java runtime at " + javaHome());
        }
        if (missing.isEmpty()) {
            return;
        }
        String message = "Keycloak test needs " + String.join(" and ", missing);
        if ("1".equals(System.getenv("GATEHOUSE_REQUIRE_SERVICES"))) {
            fail(message + "; GATEHOUSE_REQUIRE_SERVICES=1 makes a missing Keycloak a failure");
        }
        // Printed as well, because Maven's summary counts skipped tests without saying why.
        System.err.println("Keycloak test skipped: " + message);
        Assumptions.abort("skipped: " + message);
    }

    /** A port that was free a moment ago on 127.0.0.1, for servers (like Keycloak) that cannot report port 0 back. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts Keycloak with the realm whose client {@code gatehouse} (secret {@code clientSecret}) redirects to, and
     * sends back-channel logout tokens to, the gateway at {@code gatewayUrl}; returns once discovery answers.
     */
    static KeycloakServer start(int port, String gatewayUrl, String clientSecret) throws IOException, InterruptedException {
        Path data = HOME.resolve("data");
        deleteTree(data);
        Path imports = Files.createDirectories(data.resolve("import"));
        String realm;
        try (InputStream in = KeycloakServer.class.getResourceAsStream("/keycloak/gatehouse-realm.json")) {
            realm = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Files.writeString(imports.resolve(REALM + "-realm.json"),
                realm.replace("@GATEWAY@", gatewayUrl).replace("@CLIENT_SECRET@", clientSecret));

        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        String adminPassword = HexFormat.of().formatHex(random);
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", HOME.resolve("bin/kc.sh").toString(), "start-dev",
                "--http-host=127.0.0.1", "--http-port=" + port, "--http-management-port=" + freePort(),
                "--health-enabled=true", "--hostname-strict=false", "--import-realm")
                .directory(HOME.toFile())
                .redirectErrorStream(true)
                .redirectOutput(HOME.resolveSibling("keycloak.log").toFile());
        pb.environment().put("JAVA_HOME", javaHome().toString());
        pb.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
        pb.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword);

        long started = System.nanoTime();
        Process process = pb.start();
        Thread hook = new Thread(() -> stop(process));
        Runtime.getRuntime().addShutdownHook(hook);
        URI discovery = URI.create("http://127.0.0.1:" + port + "/realms/" + REALM + "/.well-known/openid-configuration");
        boolean ready = eventually(START_LIMIT, () -> !process.isAlive() || status(discovery) == 200);
        if (!ready || !process.isAlive()) {
            stop(process);
            Runtime.getRuntime().removeShutdownHook(hook);
            throw new IllegalStateException("Keycloak did not become ready within " + START_LIMIT.toSeconds() + " s (alive: "
                    + process.isAlive() + "); last lines of " + HOME.resolveSibling("keycloak.log") + ":\n" + logTail());
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        System.err.println("Keycloak " + VERSION + " ready in " + took.toMillis() / 1000.0 + " s (process start to discovery 200)");
        return new KeycloakServer(port, adminPassword, process, hook, took);
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    String issuer() {
        return url() + "/realms/" + REALM;
    }

    Duration startTime() {
        return startTime;
    }

    /** The id of a user of the realm, by username, through the admin REST API. */
    String userId(String username) {
        JsonNode users = admin("GET", "/users?exact=true&username=" + URLEncoder.encode(username, StandardCharsets.UTF_8));
        if (users.size() != 1) {
            throw new IllegalStateException("expected one user " + username + ", found " + users.size());
        }
        return users.get(0).get("id").asText();
    }

    /** The ids of the user's live (online) sessions at Keycloak: the {@code sid} its tokens carry. */
    List<String> sessionIds(String userId) {
        List<String> ids = new ArrayList<>();
        admin("GET", "/users/" + userId + "/sessions").forEach(s -> ids.add(s.get("id").asText()));
        return ids;
    }

    /** Admin "sign out everywhere" for a user: Keycloak sends a back-channel logout token to every client. */
    void logoutUser(String userId) {
        admin("POST", "/users/" + userId + "/logout");
    }

    /** Ends one Keycloak session, as an administrator revoking one device. */
    void deleteSession(String sessionId) {
        admin("DELETE", "/sessions/" + sessionId);
    }

    private JsonNode admin(String method, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url() + "/admin/realms/" + REALM + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + adminToken())
                .header("Accept", "application/json")
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build();
        HttpResponse<String> response = send(request);
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode());
        }
        try {
            return response.body().isBlank() ? JSON.createArrayNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fresh master-realm admin token (they live 60 s, so one per call keeps slow tests from tripping on expiry). */
    private String adminToken() {
        String form = "grant_type=password&client_id=admin-cli&username=admin&password=" + adminPassword;
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url() + "/realms/master/protocol/openid-connect/token"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("admin token request answered " + response.statusCode());
        }
        try {
            return JSON.readTree(response.body()).get("access_token").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Checks {@code condition} until it holds or {@code limit} has passed, pausing briefly between checks; for
     * things another process does on its own schedule (Keycloak starting, a logout token arriving).
     */
    static boolean eventually(Duration limit, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    @Override
    public void close() {
        stop(process);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down; the hook runs anyway
        }
    }

    /** TERM to kc.sh (which forwards it to java) and to every descendant; KILL for any that outlive the grace time. */
    private static void stop(Process process) {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroy);
        for (ProcessHandle p : tree) {
            try {
                p.onExit().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
            }
        }
    }

    private static int status(URI uri) {
        try {
            return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Path javaHome() {
        return Path.of(System.getProperty("java.home"));
    }

    private static String logTail() {
        try {
            List<String> lines = Files.readAllLines(HOME.resolveSibling("keycloak.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
