package dev.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.gatehouse.identity.passwords.Argon2Parameters;
import dev.gatehouse.identity.passwords.PasswordHasher;
import dev.gatehouse.identity.store.DatabaseSettings;
import dev.gatehouse.identity.store.IdentityDatabase;
import picocli.CommandLine;

class DemoCommandTest {
    @TempDir
    Path dir;

    @Test
    void aTakenPortIsOneClearLineAndExitStatusOneNotAStackTrace() throws Exception {
        // The likeliest failure of a first run: something else on 8081 already. Say so, and what to do.
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CommandLine cli = new CommandLine(new GatehouseCommand());
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(err, true));

            int status = cli.execute("demo", "--port", "0", "--provider-port", String.valueOf(taken.getLocalPort()),
                    "--data-dir", dir.resolve("data").toString());

            assertThat(status).isEqualTo(1);
            assertThat(err.toString()).startsWith("error: the demo could not start: the embedded identity provider could not "
                    + "listen on 127.0.0.1:" + taken.getLocalPort()).contains("Try --port, --provider-port or --data-dir")
                    .doesNotContain("\tat ");
            assertThat(out.toString()).doesNotContain("Password");
        }
        // The seed ran before the provider failed: the account it made opens with the password kept for the next
        // start (chosen before seeding), so no account is left whose password nobody was shown.
        String kept = java.nio.file.Files.readString(dir.resolve("data/demo-password")).strip();
        try (IdentityDatabase db = IdentityDatabase.open(DatabaseSettings.of("jdbc:h2:file:" + dir.resolve("data/gatehouse")))) {
            String hash = db.users(java.time.Clock.systemUTC(), new java.security.SecureRandom()).findByEmail("demo@example.com")
                    .orElseThrow().passwordHash();
            assertThat(new PasswordHasher(Argon2Parameters.DEFAULT, new java.security.SecureRandom()).verify(kept, hash)).isTrue();
        }
    }

    @Test
    void helpNamesTheOptionsAndTheirDefaults() {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new GatehouseCommand());
        cli.setOut(new PrintWriter(out, true));

        assertThat(cli.execute("demo", "--help")).isZero();
        assertThat(out.toString().replaceAll("\\s+", " ")).contains("--port=<port>", "(default 8080;",
                "--provider-port=<providerPort>", "(default 8081;", "--data-dir=<dataDir>", "(default ./data)");
    }
}
