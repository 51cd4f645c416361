package dev.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.identity.passwords.Argon2Parameters;
import dev.gatehouse.identity.passwords.PasswordHasher;
import dev.gatehouse.identity.store.DatabaseSettings;
import dev.gatehouse.identity.store.IdentityDatabase;
import dev.gatehouse.identity.users.User;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./gatehouse users|orgs} as an operator runs them: the packaged jar, a real pipe on stdin, the default database. */
class IdentityCommandsLauncherIT {
    private static final Path SCRIPT = Path.of("..", "gatehouse").toAbsolutePath().normalize();
    private static final String PASSPHRASE = "tangerine kettle orbit 42";

    @TempDir
    Path dir;

    @Test
    void operatorSeedsAUserAndAnOrganizationIntoTheDefaultDatabaseUnderData() throws Exception {
        // Before the admin API exists, these commands are how an operator creates the first accounts.
        Result added = run(PASSPHRASE + "\n", "users", "add", "--email", "ops@example.com", "--name", "Ops", "--password-stdin");
        assertThat(added.status).as(added.output).isZero();
        assertThat(added.output).matches("Created user user_[0-9a-z]{25} <ops@example.com>\\R");

        Result org = run("", "orgs", "add", "--slug", "acme", "--name", "Acme Inc");
        assertThat(org.status).as(org.output).isZero();
        Result member = run("", "orgs", "add-member", "--slug", "acme", "--email", "ops@example.com", "--role", "org:admin");
        assertThat(member.status).as(member.output).isZero();
        assertThat(member.output).startsWith("ops@example.com is now org:admin of acme");
        Result list = run("", "orgs", "list");
        assertThat(list.output).contains("acme", "Acme Inc", "ops@example.com (org:admin)");

        Result weak = run("password1234\n", "users", "set-password", "--email", "ops@example.com", "--password-stdin");
        assertThat(weak.status).isEqualTo(1);
        assertThat(weak.output).contains("error: Password is too common").doesNotContain("password1234");

        for (Result r : List.of(added, org, member, list, weak)) {
            assertThat(r.output).doesNotContain(PASSPHRASE);
        }
        // No --database given: the default H2 file under ./data of the working directory.
        assertThat(dir.resolve("data/gatehouse.mv.db")).exists();
        try (IdentityDatabase db = IdentityDatabase.open(DatabaseSettings.of("jdbc:h2:file:" + dir.resolve("data/gatehouse")))) {
            User ops = db.users(Clock.systemUTC(), new SecureRandom()).findByEmail("ops@example.com").orElseThrow();
            assertThat(new PasswordHasher(Argon2Parameters.DEFAULT, new SecureRandom()).verify(PASSPHRASE, ops.passwordHash())).isTrue();
        }
    }

    @Test
    void theReadmeExamplesRunAsWritten() throws Exception {
        // The README's commands are what operators copy; they must keep working exactly as printed.
        String readme = Files.readString(SCRIPT.resolveSibling("README.md"));
        int marker = readme.indexOf("<!-- identity-commands:");
        assertThat(marker).as("README marks its identity-commands example").isPositive();
        int start = readme.indexOf("```bash\n", marker) + "```bash\n".length();
        String block = readme.substring(start, readme.indexOf("```", start));
        String script = "set -euo pipefail\n" + block.replace("./gatehouse", "'" + SCRIPT + "'");
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", script).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().remove("GATEHOUSE_LOG_LEVEL");
        pb.environment().put("NEW_PASSWORD", PASSPHRASE);
        Process p = pb.start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();

        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).contains("Generated password", "alice@example.com is now org:admin of acme",
                "bob@example.com is now org:member of acme", "Deleted user").doesNotContain(PASSPHRASE);
        try (IdentityDatabase db = IdentityDatabase.open(DatabaseSettings.of("jdbc:h2:file:" + dir.resolve("data/gatehouse")))) {
            var users = db.users(Clock.systemUTC(), new SecureRandom());
            var orgs = db.organizations(Clock.systemUTC(), new SecureRandom());
            User alice = users.findByEmail("alice@example.com").orElseThrow();
            assertThat(alice.name()).isEqualTo("Alice Liddell");
            assertThat(users.findByEmail("bob@example.com")).isEmpty();
            assertThat(orgs.membershipsOf(alice.id())).singleElement()
                    .satisfies(m -> assertThat(m.role()).isEqualTo("org:admin"))
                    .satisfies(m -> assertThat(m.organization().name()).isEqualTo("Acme Inc"));
        }
    }

    private record Result(int status, String output) {
    }

    private Result run(String stdin, String... args) throws Exception {
        String[] cmd = new String[args.length + 1];
        cmd[0] = SCRIPT.toString();
        System.arraycopy(args, 0, cmd, 1, args.length);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().remove("GATEHOUSE_LOG_LEVEL");
        Process p = pb.start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), output);
    }
}
