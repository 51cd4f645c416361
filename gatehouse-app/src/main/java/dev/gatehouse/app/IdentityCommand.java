package dev.gatehouse.app;

import ch.qos.logback.classic.Level;
import dev.gatehouse.identity.passwords.Argon2Parameters;
import dev.gatehouse.identity.passwords.PasswordGenerator;
import dev.gatehouse.identity.passwords.PasswordHasher;
import dev.gatehouse.identity.passwords.PasswordPolicy;
import dev.gatehouse.identity.passwords.WeakPasswordException;
import dev.gatehouse.identity.store.ConflictException;
import dev.gatehouse.identity.store.DatabaseSettings;
import dev.gatehouse.identity.store.IdentityDatabase;
import dev.gatehouse.identity.store.NotFoundException;
import dev.gatehouse.identity.store.StoreUnavailableException;
import dev.gatehouse.identity.store.UnknownRoleException;
import dev.gatehouse.server.config.ConfigException;
import dev.gatehouse.server.config.ConfigLoader;
import dev.gatehouse.server.config.GatewayConfig;
import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What the {@code users} and {@code orgs} subcommands share: the {@code --database} option, opening (and
 * migrating) the identity database, reading a password from standard input, and turning the store's typed
 * failures into one {@code error: ...} line and exit status 1. Passwords are never accepted as arguments: a
 * command line is visible to every user of the machine ({@code ps}) and lands in shell history.
 */
abstract class IdentityCommand implements Callable<Integer> {
    /** Bounded so a mistaken pipe of a large file is refused rather than hashed. */
    private static final int MAX_PASSWORD_INPUT = 4096;

    @Option(names = "--database", paramLabel = "URL",
            description = {"JDBC URL of the identity database: jdbc:h2:file:PATH or jdbc:postgresql://HOST:PORT/DB "
                    + "(default: the one of --config, else " + DatabaseSettings.DEFAULT_URL + ", relative to the working directory).",
                    "The database password, if any, comes from GATEHOUSE_DATABASE_PASSWORD."})
    String databaseUrl;

    @Option(names = "--database-user", paramLabel = "USER", description = "Database user, when the URL does not name one.")
    String databaseUser;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Use the database of this configuration file's embedded-provider section (identity.embedded.database).")
    Path config;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Spec
    CommandSpec spec;

    final Clock clock = Clock.systemUTC();
    final SecureRandom random = new SecureRandom();

    /** The command's work, on an open database; returns the exit status. */
    abstract int run(IdentityDatabase db, PrintWriter out) throws IOException;

    /** Checks that need no database (a password's strength), so a refusal leaves nothing behind. */
    void prepare() throws IOException {
    }

    @Override
    public final Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        try {
            prepare();
            quietLibraryLogs();
            DatabaseSettings settings = databaseSettings().withMaxPoolSize(2);
            try (IdentityDatabase db = IdentityDatabase.open(settings)) {
                int status = run(db, out);
                out.flush();
                return status;
            }
        } catch (CommandFailure | StoreUnavailableException | ConflictException | NotFoundException | UnknownRoleException
                 | WeakPasswordException | IllegalArgumentException e) {
            out.flush();
            return fail(e.getMessage());
        }
    }

    /**
     * {@code --database} when given; else the config file's {@code identity.embedded.database} (its user and
     * password too, unless {@code --database-user} or the environment say otherwise); else the default H2 file.
     */
    private DatabaseSettings databaseSettings() {
        String envPassword = System.getenv("GATEHOUSE_DATABASE_PASSWORD");
        if (databaseUrl == null && config != null) {
            GatewayConfig.Identity identity;
            try {
                identity = ConfigLoader.fromEnvironment().load(config).identity();
            } catch (ConfigException e) {
                throw new CommandFailure(config + " is not a valid configuration (run gatehouse check --config " + config + "): "
                        + e.errors().get(0) + (e.errors().size() > 1 ? " (and " + (e.errors().size() - 1) + " more)" : ""));
            }
            if (!identity.isEmbedded()) {
                throw new CommandFailure(config + " does not use the embedded provider (identity.provider: embedded)");
            }
            GatewayConfig.Database db = identity.embedded().database();
            return DatabaseSettings.of(db.url()).withCredentials(databaseUser != null ? databaseUser : db.user(),
                    envPassword != null ? envPassword : db.password());
        }
        return DatabaseSettings.of(databaseUrl != null ? databaseUrl : DatabaseSettings.DEFAULT_URL)
                .withCredentials(databaseUser, envPassword);
    }

    int fail(String message) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("error: " + message);
        err.flush();
        return 1;
    }

    static PasswordHasher hasher(SecureRandom random) {
        return new PasswordHasher(Argon2Parameters.DEFAULT, random);
    }

    /**
     * A generated password, or the one on standard input after the policy accepted it. {@code argument} is what
     * a hidden {@code --password} option caught: refused without echoing it (picocli's own "unknown option"
     * message would print it back).
     */
    String choosePassword(boolean fromStdin, String argument) throws IOException {
        if (argument != null) {
            throw new CommandFailure("passwords are not accepted as arguments (they show in ps and in shell history); "
                    + "use --password-stdin, or leave it out to generate one");
        }
        if (!fromStdin) {
            return new PasswordGenerator(random).generate();
        }
        String password = readPassword();
        PasswordPolicy.standard().requireAcceptable(password);
        return password;
    }

    /**
     * The password on standard input: one line, its line ending removed (spaces kept: they may be part of a
     * passphrase). On a terminal it is read without echo.
     */
    private String readPassword() throws IOException {
        Console console = System.console();
        if (console != null) {
            char[] typed = console.readPassword("Password: ");
            if (typed == null || typed.length == 0) {
                throw new CommandFailure("no password given");
            }
            return new String(typed);
        }
        String text = new String(readBounded(System.in), StandardCharsets.UTF_8);
        if (text.endsWith("\n")) {
            text = text.substring(0, text.length() - 1);
        }
        if (text.endsWith("\r")) {
            text = text.substring(0, text.length() - 1);
        }
        if (text.isEmpty()) {
            throw new CommandFailure("no password on standard input (pipe it in, e.g. printf '%s\\n' \"$PASSWORD\" | gatehouse ...)");
        }
        if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
            throw new CommandFailure("standard input holds more than one line; give the password alone");
        }
        return text;
    }

    private static byte[] readBounded(InputStream in) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        byte[] chunk = new byte[1024];
        int n;
        while ((n = in.read(chunk)) != -1) {
            buffer.write(chunk, 0, n);
            if (buffer.size() > MAX_PASSWORD_INPUT) {
                throw new CommandFailure("standard input is longer than " + MAX_PASSWORD_INPUT + " bytes; give the password alone");
            }
        }
        return buffer.toByteArray();
    }

    /**
     * Pool and migration chatter would bury a command's one-line answer (and the printed password); keep it
     * unless the operator asked for a log level.
     */
    static void quietLibraryLogs() {
        if (System.getenv("GATEHOUSE_LOG_LEVEL") != null) {
            return;
        }
        for (String name : new String[] {"org.flywaydb", "com.zaxxer.hikari", "dev.gatehouse.identity"}) {
            if (LoggerFactory.getLogger(name) instanceof ch.qos.logback.classic.Logger logger) {
                logger.setLevel(Level.WARN);
            }
        }
    }

    /** A failure the command explains itself; printed as {@code error: message}, exit status 1. */
    static final class CommandFailure extends RuntimeException {
        CommandFailure(String message) {
            super(message);
        }
    }
}
