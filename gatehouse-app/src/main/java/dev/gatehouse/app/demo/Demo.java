package dev.gatehouse.app.demo;

import dev.gatehouse.app.embedded.EmbeddedGatehouse;
import dev.gatehouse.app.seed.SeedException;
import dev.gatehouse.identity.passwords.Argon2Parameters;
import dev.gatehouse.identity.passwords.PasswordGenerator;
import dev.gatehouse.identity.passwords.PasswordHasher;
import dev.gatehouse.identity.users.User;
import dev.gatehouse.server.config.ConfigException;
import dev.gatehouse.server.config.ConfigLoader;
import dev.gatehouse.server.config.GatewayConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;

/**
 * The whole demo in one process: the demo APIs and the SPA's static server on free 127.0.0.1 ports, then the
 * embedded provider and the gateway from a generated configuration (loaded and validated by the same
 * {@link ConfigLoader} as any file), seeded with {@value #DEMO_EMAIL} in two organizations. State (the H2
 * database, both key files, the demo password) lives in the data directory and survives a restart.
 *
 * <p>The demo user's password is generated before the first start seeds anything and kept in {@code <data>/demo-password}
 * (owner-only), so a restart can show it again: the demo's account exists only to be tried, the file sits next
 * to the database that holds the account anyway, and someone who comes back tomorrow needs it. It is shown only
 * while it still opens the account (once changed with {@code users set-password} it is not shown), and it goes
 * to the terminal only, never to a log.
 */
public final class Demo implements AutoCloseable {
    public static final String DEMO_EMAIL = "demo@example.com";
    static final String PASSWORD_FILE = "demo-password";

    /** {@code port} and {@code providerPort} may be 0 (tests): the URLs then use 127.0.0.1 and the bound ports. */
    public record Options(int port, int providerPort, Path dataDir) {
    }

    /** What the banner can say about the demo user's password. */
    public sealed interface Password {
        /** Generated at this start. */
        record New(String value) implements Password {
            @Override
            public String toString() {
                return "New[***]";
            }
        }

        /** Generated at an earlier start, read back from the data directory, still valid. */
        record Kept(String value) implements Password {
            @Override
            public String toString() {
                return "Kept[***]";
            }
        }

        /** Changed since it was generated (or its file is gone): not known here. */
        record Unknown() implements Password {
        }
    }

    private final Options options;
    private final Path dataDir;
    private final SpaServer spa;
    private final DemoApi projects;
    private final DemoApi billing;
    private final EmbeddedGatehouse stack;
    private final Password password;

    private Demo(Options options, Path dataDir, SpaServer spa, DemoApi projects, DemoApi billing, EmbeddedGatehouse stack,
                 Password password) {
        this.options = options;
        this.dataDir = dataDir;
        this.spa = spa;
        this.projects = projects;
        this.billing = billing;
        this.stack = stack;
        this.password = password;
    }

    public static Demo start(Options options, Clock clock, SecureRandom random)
            throws IOException, SeedException, ConfigException, EmbeddedGatehouse.StartException {
        Path data = options.dataDir().toAbsolutePath().normalize();
        createOwnerOnlyDirectory(data);
        Path seed = data.resolve("demo-seed.yaml");
        try (InputStream in = Demo.class.getResourceAsStream("seed.yaml")) {
            Files.copy(in, seed, StandardCopyOption.REPLACE_EXISTING);
        }
        SpaServer spa = null;
        DemoApi projects = null;
        DemoApi billing = null;
        try {
            spa = SpaServer.start();
            projects = DemoApi.start("projects", "projects-api", null);
            billing = DemoApi.start("billing", "billing-api", "org:billing:read");
            GatewayConfig config = new ConfigLoader(name -> null).parse(config(options, data, spa.port(), projects.port(), billing.port()));
            // chosen and kept before anything is seeded, so a start that fails later cannot leave an account behind
            // whose password nobody was shown
            String demoPassword = demoPassword(data.resolve(PASSWORD_FILE), random);
            EmbeddedGatehouse stack = EmbeddedGatehouse.start(config,
                    name -> name.equals("GATEHOUSE_DEMO_PASSWORD") ? demoPassword : null, clock, random);
            String issuer = origin(stack.publicUrl());
            String jwks = "http://127.0.0.1:" + stack.gatewayPort() + "/.well-known/jwks.json";
            projects.trust(issuer, jwks);
            billing.trust(issuer, jwks);
            Password password = password(stack, demoPassword, random);
            return new Demo(options, data, spa, projects, billing, stack, password);
        } catch (IOException | SeedException | ConfigException | EmbeddedGatehouse.StartException | RuntimeException e) {
            closeAll(billing, projects, spa);
            throw e;
        }
    }

    /** The demo's configuration, as a file would say it: every part behind one origin. */
    static String config(Options options, Path data, int spaPort, int projectsPort, int billingPort) {
        StringBuilder yaml = new StringBuilder();
        if (options.port() != 0) {
            yaml.append("public_url: http://localhost:").append(options.port()).append('\n');
        }
        yaml.append("listen: 127.0.0.1:").append(options.port()).append('\n');
        yaml.append("admin_listen: 'off'\n");
        yaml.append("identity:\n  provider: embedded\n  embedded:\n");
        yaml.append("    listen: 127.0.0.1:").append(options.providerPort()).append('\n');
        if (options.providerPort() != 0) {
            yaml.append("    public_url: http://localhost:").append(options.providerPort()).append('\n');
        }
        yaml.append("    database: {url: ").append(quote("jdbc:h2:file:" + data.resolve("gatehouse"))).append("}\n");
        yaml.append("    signing_key_file: ").append(quote(data.resolve("identity-keys.json").toString())).append('\n');
        yaml.append("    seed: ").append(quote(data.resolve("demo-seed.yaml").toString())).append('\n');
        yaml.append("signing:\n  key_file: ").append(quote(data.resolve("signing-keys.json").toString())).append('\n');
        yaml.append("""
                token_templates:
                  projects:
                    audience: projects-api
                    lifetime: 60s
                    claims: {email: "{{user.email}}"}
                  billing:
                    audience: billing-api
                    lifetime: 60s
                    claims: {email: "{{user.email}}"}
                routes:
                  - match: /api/projects/**
                    upstream: http://127.0.0.1:%d
                    strip_prefix: /api/projects
                    access: authenticated
                    token: {template: projects}
                  # no require here on purpose: the billing API decides the 403 itself, with the SDK
                  - match: /api/billing/**
                    upstream: http://127.0.0.1:%d
                    strip_prefix: /api/billing
                    access: authenticated
                    token: {template: billing}
                  - match: /**
                    upstream: http://127.0.0.1:%d
                    access: public
                """.formatted(projectsPort, billingPort, spaPort));
        return yaml.toString();
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    private static String origin(URI url) {
        return url.getScheme() + "://" + url.getRawAuthority();
    }

    /** The password in the data directory, or a new one written there (owner-only) when there is none. */
    private static String demoPassword(Path file, SecureRandom random) throws IOException {
        if (Files.isRegularFile(file)) {
            String kept = Files.readString(file).strip();
            if (!kept.isEmpty()) {
                return kept;
            }
        }
        String generated = new PasswordGenerator(random).generate();
        writeOwnerOnly(file, generated);
        return generated;
    }

    /** New when this start created the demo user; Kept while the file's password still opens the account. */
    private static Password password(EmbeddedGatehouse stack, String demoPassword, SecureRandom random) {
        if (stack.seedReport() != null && stack.seedReport().usersCreated().contains(DEMO_EMAIL)) {
            return new Password.New(demoPassword);
        }
        Optional<User> user = stack.database().users(Clock.systemUTC(), random).findByEmail(DEMO_EMAIL);
        boolean valid = user.isPresent() && user.get().passwordHash() != null
                && new PasswordHasher(Argon2Parameters.DEFAULT, random).verify(demoPassword, user.get().passwordHash());
        return valid ? new Password.Kept(demoPassword) : new Password.Unknown();
    }

    private static void writeOwnerOnly(Path file, String text) throws IOException {
        Files.deleteIfExists(file);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.writeString(file, text + "\n");
    }

    private static void createOwnerOnlyDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectories(dir);
        }
    }

    public URI url() {
        return stack.publicUrl();
    }

    public URI providerUrl() {
        return stack.issuer();
    }

    public Password password() {
        return password;
    }

    public Path dataDir() {
        return dataDir;
    }

    int projectsPort() {
        return projects.port();
    }

    int billingPort() {
        return billing.port();
    }

    /** What to print once the demo runs: where to go, how to sign in, what to try. Shown on the terminal only. */
    public String banner() {
        String line = "-".repeat(72);
        StringBuilder b = new StringBuilder();
        b.append(line).append('\n');
        b.append("Gatehouse demo is running.\n\n");
        b.append("  Open       ").append(url()).append('\n');
        b.append("  Sign in    ").append(DEMO_EMAIL).append('\n');
        if (password instanceof Password.New n) {
            b.append("  Password   ").append(n.value()).append("   (new account; kept in ").append(dataDir.resolve(PASSWORD_FILE))
                    .append(", owner-only)\n");
        } else if (password instanceof Password.Kept k) {
            b.append("  Password   ").append(k.value()).append("   (from ").append(dataDir.resolve(PASSWORD_FILE)).append(")\n");
        } else {
            b.append("  Password   the one you set (it was changed since the demo generated it). To set a new one, stop the\n")
                    .append("             demo and run: ./gatehouse users set-password --email ").append(DEMO_EMAIL)
                    .append(" --database '").append("jdbc:h2:file:").append(dataDir.resolve("gatehouse")).append("'\n");
        }
        b.append('\n');
        b.append("Try:\n");
        b.append("  1. Sign in. The page shows you and your active organization (Acme Inc, where you are org:admin).\n");
        b.append("  2. Call both APIs: each gets a token minted for it alone and checks it with the Gatehouse SDK.\n");
        b.append("  3. Switch to Globex (org:member) and call the billing API again: 403, it needs org:billing:read.\n");
        b.append("  4. Sign out: both APIs answer 401. Or create your own account on the sign-up page.\n\n");
        b.append("  Sign-in pages  ").append(providerUrl()).append("   (the embedded identity provider)\n");
        b.append("  Demo APIs      projects on 127.0.0.1:").append(projects.port()).append(", billing on 127.0.0.1:")
                .append(billing.port()).append(" (behind /api/projects and /api/billing)\n");
        b.append("  State          ").append(dataDir).append("  (delete it to start over)\n");
        b.append("Press Ctrl-C to stop.\n");
        b.append(line);
        return b.toString();
    }

    /** Stops the gateway and provider, then the APIs and the SPA server; the database is closed cleanly. */
    @Override
    public void close() {
        stack.close();
        closeAll(billing, projects, spa);
    }

    private static void closeAll(AutoCloseable... parts) {
        for (AutoCloseable part : parts) {
            if (part != null) {
                try {
                    part.close();
                } catch (Exception e) {
                    // stopping anyway
                }
            }
        }
    }
}
