package dev.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.identity.orgs.NewOrganization;
import dev.gatehouse.identity.orgs.Organization;
import dev.gatehouse.identity.orgs.Roles;
import dev.gatehouse.identity.passwords.Argon2Parameters;
import dev.gatehouse.identity.passwords.PasswordHasher;
import dev.gatehouse.identity.store.IdentityDatabase;
import dev.gatehouse.identity.store.OrganizationStore;
import dev.gatehouse.identity.store.PageRequest;
import dev.gatehouse.identity.store.UserStore;
import dev.gatehouse.identity.users.User;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsersCommandTest {
    private static final String PASSPHRASE = "correct horse battery staple";
    private static final Pattern GENERATED = Pattern.compile("Generated password \\(shown only now, store it safely\\): (\\S+)");

    @TempDir
    Path dir;

    private IdentityCommandsFixture cli;
    private final PasswordHasher hasher = new PasswordHasher(Argon2Parameters.DEFAULT, new SecureRandom());

    @BeforeEach
    void setUp() {
        cli = new IdentityCommandsFixture(dir);
    }

    private User stored(String email) {
        try (IdentityDatabase db = cli.open()) {
            return db.users(Clock.systemUTC(), new SecureRandom()).findByEmail(email).orElseThrow();
        }
    }

    @Test
    void addWithPasswordStdinStoresAnArgon2idHashOfIt() {
        int status = cli.runWithStdin(PASSPHRASE + "\n", "users", "add", "--email", "Alice@Example.com", "--name", "Alice",
                "--email-verified", "--password-stdin");

        assertThat(status).as(cli.err).isZero();
        assertThat(cli.out).matches("Created user user_[0-9a-z]{25} <Alice@Example.com>\\R");
        assertThat(cli.out + cli.err).doesNotContain(PASSPHRASE);
        User alice = stored("alice@example.com");
        assertThat(alice.name()).isEqualTo("Alice");
        assertThat(alice.emailVerified()).isTrue();
        assertThat(alice.passwordHash()).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        assertThat(hasher.verify(PASSPHRASE, alice.passwordHash())).isTrue();
        assertThat(hasher.verify(PASSPHRASE + "\n", alice.passwordHash())).isFalse();
    }

    @Test
    void addWithoutPasswordStdinGeneratesOneAndPrintsItOnce() {
        int status = cli.run("users", "add", "--email", "bob@example.com");

        assertThat(status).as(cli.err).isZero();
        Matcher m = GENERATED.matcher(cli.out);
        assertThat(m.find()).as(cli.out).isTrue();
        String password = m.group(1);
        assertThat(cli.out.split(Pattern.quote(password), -1)).hasSize(2);
        User bob = stored("bob@example.com");
        assertThat(bob.emailVerified()).isFalse();
        assertThat(hasher.verify(password, bob.passwordHash())).isTrue();
    }

    @Test
    void addRefusesAWeakPasswordAndStoresNothing() {
        int status = cli.runWithStdin("Password123\n", "users", "add", "--email", "weak@example.com", "--password-stdin");

        assertThat(status).isEqualTo(1);
        assertThat(cli.err).isEqualTo("error: Password is too common: it is on a list of passwords that attackers try first. "
                + "Choose another." + System.lineSeparator());
        assertThat(cli.out).isEmpty();

        assertThat(cli.runWithStdin("short\n", "users", "add", "--email", "weak@example.com", "--password-stdin")).isEqualTo(1);
        assertThat(cli.err).contains("error: Password is too short: use at least 10 characters.");
        assertThat(cli.err).doesNotContain("short\n");
        assertThat(dir.resolve("data")).doesNotExist();
    }

    @Test
    void addRefusesMissingOrMultiLineStdin() {
        assertThat(cli.runWithStdin("", "users", "add", "--email", "a@example.com", "--password-stdin")).isEqualTo(1);
        assertThat(cli.err).startsWith("error: no password on standard input");

        assertThat(cli.runWithStdin(PASSPHRASE + "\nsecond line\n", "users", "add", "--email", "a@example.com",
                "--password-stdin")).isEqualTo(1);
        assertThat(cli.err).startsWith("error: standard input holds more than one line");
        assertThat(cli.err).doesNotContain(PASSPHRASE);
    }

    @Test
    void passwordsAreRefusedAsArgumentsWithoutBeingEchoed() {
        // A command line shows in `ps` and shell history, and an echo of it would land in CI logs.
        int status = cli.run("users", "add", "--email", "a@example.com", "--password", PASSPHRASE);

        assertThat(status).isEqualTo(1);
        assertThat(cli.err).isEqualTo("error: passwords are not accepted as arguments (they show in ps and in shell history); "
                + "use --password-stdin, or leave it out to generate one" + System.lineSeparator());
        assertThat(cli.out).isEmpty();
        assertThat(cli.run("users", "set-password", "--email", "a@example.com", "--password=" + PASSPHRASE)).isEqualTo(1);
        assertThat(cli.out + cli.err).doesNotContain(PASSPHRASE);
        assertThat(dir.resolve("data")).doesNotExist();
    }

    @Test
    void addRefusesAnEmailInUseInAnyCaseAndABadAddress() {
        cli.runWithStdin(PASSPHRASE + "\n", "users", "add", "--email", "alice@example.com", "--password-stdin");

        assertThat(cli.runWithStdin(PASSPHRASE + "\n", "users", "add", "--email", "ALICE@example.com", "--password-stdin")).isEqualTo(1);
        assertThat(cli.err).isEqualTo("error: the email address ALICE@example.com is already in use" + System.lineSeparator());

        assertThat(cli.run("users", "add", "--email", "not-an-address")).isEqualTo(1);
        assertThat(cli.err).isEqualTo("error: not an email address: not-an-address" + System.lineSeparator());
    }

    @Test
    void listShowsEveryUserOldestFirstAndPages() {
        assertThat(cli.run("users", "list")).isZero();
        assertThat(cli.out).isEqualTo("No users yet." + System.lineSeparator());
        cli.run("users", "add", "--email", "alice@example.com", "--name", "Alice", "--email-verified");
        cli.run("users", "add", "--email", "bob@example.com");
        cli.run("users", "add", "--email", "carol@example.com", "--name", "Carol");

        assertThat(cli.run("users", "list")).isZero();

        String[] lines = cli.out.split("\\R");
        assertThat(lines).hasSize(5);
        assertThat(lines[0]).startsWith("ID").contains("EMAIL", "NAME", "VERIFIED", "PASSWORD", "CREATED", "LAST SIGN-IN");
        assertThat(lines[1]).contains("alice@example.com", "Alice", "yes", "never");
        assertThat(lines[2]).contains("bob@example.com", " - ", "no");
        assertThat(lines[3]).contains("carol@example.com", "Carol");
        assertThat(lines[4]).isEqualTo("3 users");

        assertThat(cli.run("users", "list", "--limit", "2")).isZero();
        assertThat(cli.out).contains("alice@example.com", "bob@example.com").doesNotContain("carol@example.com")
                .endsWith("Users 1-2 of 3 (use --offset 2 for more)" + System.lineSeparator());
        assertThat(cli.run("users", "list", "--limit", "2", "--offset", "2")).isZero();
        assertThat(cli.out).contains("carol@example.com").endsWith("Users 3-3 of 3" + System.lineSeparator())
                .doesNotContain("alice@example.com");
    }

    @Test
    void setPasswordReplacesTheHash() {
        cli.runWithStdin(PASSPHRASE + "\n", "users", "add", "--email", "alice@example.com", "--password-stdin");
        String before = stored("alice@example.com").passwordHash();

        int status = cli.runWithStdin("a different passphrase entirely\n", "users", "set-password", "--email",
                "Alice@example.com", "--password-stdin");

        assertThat(status).as(cli.err).isZero();
        assertThat(cli.out).isEqualTo("Changed the password of alice@example.com" + System.lineSeparator());
        String after = stored("alice@example.com").passwordHash();
        assertThat(after).isNotEqualTo(before);
        assertThat(hasher.verify("a different passphrase entirely", after)).isTrue();
        assertThat(hasher.verify(PASSPHRASE, after)).isFalse();
    }

    @Test
    void setPasswordOfAnUnknownUserFails() {
        int status = cli.runWithStdin(PASSPHRASE + "\n", "users", "set-password", "--email", "nobody@example.com", "--password-stdin");

        assertThat(status).isEqualTo(1);
        assertThat(cli.err).isEqualTo("error: no user with email nobody@example.com" + System.lineSeparator());
    }

    @Test
    void deleteRemovesTheUserAndItsMemberships() {
        cli.run("users", "add", "--email", "alice@example.com");
        cli.run("users", "add", "--email", "bob@example.com");
        cli.run("orgs", "add", "--slug", "acme", "--name", "Acme");
        cli.run("orgs", "add", "--slug", "globex", "--name", "Globex");
        cli.run("orgs", "add-member", "--slug", "acme", "--email", "alice@example.com", "--role", "org:admin");
        cli.run("orgs", "add-member", "--slug", "globex", "--email", "alice@example.com");
        cli.run("orgs", "add-member", "--slug", "acme", "--email", "bob@example.com");
        String aliceId = stored("alice@example.com").id().value();

        int status = cli.run("users", "delete", "--email", "alice@example.com");

        assertThat(status).as(cli.err).isZero();
        assertThat(cli.out).isEqualTo("Deleted user " + aliceId + " <alice@example.com> and 2 memberships" + System.lineSeparator());
        try (IdentityDatabase db = cli.open()) {
            UserStore users = db.users(Clock.systemUTC(), new SecureRandom());
            OrganizationStore orgs = db.organizations(Clock.systemUTC(), new SecureRandom());
            assertThat(users.findByEmail("alice@example.com")).isEmpty();
            Organization acme = orgs.findBySlug("acme").orElseThrow();
            assertThat(orgs.members(acme.id(), PageRequest.first(10)).items()).hasSize(1)
                    .allSatisfy(m -> assertThat(m.role()).isEqualTo(Roles.MEMBER));
        }
        assertThat(cli.run("users", "delete", "--email", "alice@example.com")).isEqualTo(1);
        assertThat(cli.err).isEqualTo("error: no user with email alice@example.com" + System.lineSeparator());
    }

    @Test
    void anUnreachableDatabaseIsAClearErrorWithoutItsPassword() {
        int status = cli.runRaw("", "users", "list", "--database",
                "jdbc:postgresql://127.0.0.1:1/test?user=postgres&password=hunter2hunter2&connectTimeout=2");

        assertThat(status).isEqualTo(1);
        assertThat(cli.err).startsWith("error: cannot open the identity database jdbc:postgresql://127.0.0.1:1/test?"
                + "user=postgres&password=***").contains("Connection refused").doesNotContain("hunter2hunter2");

        assertThat(cli.runRaw("", "users", "list", "--database", "jdbc:sqlite:x.db")).isEqualTo(1);
        assertThat(cli.err).isEqualTo("error: the identity database URL must start with jdbc:h2: or jdbc:postgresql: (jdbc:sqlite:x.db)"
                + System.lineSeparator());
    }

    @Test
    void helpNamesTheDefaultDatabase() {
        assertThat(cli.runRaw("", "users", "add", "--help")).isZero();

        assertThat(cli.out.replaceAll("\\s+", " ")).contains("--database=URL",
                "(default: the one of --config, else jdbc:h2:file:", "/data/gatehouse, relative to the working directory)",
                "--config=FILE", "configuration file's embedded-provider section", "--password-stdin").doesNotContain("--password=");
    }

    @Test
    void configOptionUsesTheDatabaseOfTheEmbeddedProviderSection() throws Exception {
        // An operator names the same file that `serve` runs with, instead of repeating its database URL.
        java.nio.file.Files.writeString(dir.resolve("gatehouse.yaml"), """
                identity:
                  provider: embedded
                  embedded:
                    database: {url: '%s'}
                routes: [{match: /**, upstream: 'http://127.0.0.1:5173', access: public}]
                """.formatted(cli.url));

        assertThat(cli.runRaw(PASSPHRASE + "\n", "users", "add", "--email", "carol@example.com", "--password-stdin",
                "--config", dir.resolve("gatehouse.yaml").toString())).as(cli.err).isZero();

        assertThat(stored("carol@example.com").email()).isEqualTo("carol@example.com");
    }

    @Test
    void configOptionRefusesAFileWithoutTheEmbeddedProvider() throws Exception {
        java.nio.file.Files.writeString(dir.resolve("oidc.yaml"), """
                identity: {issuer: 'https://idp.example.com', client_id: gh, client_secret: s}
                routes: [{match: /**, upstream: 'http://127.0.0.1:5173', access: public}]
                """);

        assertThat(cli.runRaw("", "users", "list", "--config", dir.resolve("oidc.yaml").toString())).isEqualTo(1);
        assertThat(cli.err).isEqualTo("error: " + dir.resolve("oidc.yaml")
                + " does not use the embedded provider (identity.provider: embedded)" + System.lineSeparator());
    }

    @Test
    void usersAloneListsItsSubcommands() {
        assertThat(cli.runRaw("", "users")).isZero();

        assertThat(cli.out).contains("add", "list", "set-password", "delete");
    }

    /** Seeds through the store directly, to show the commands read what other writers stored. */
    @Test
    void listShowsUsersThatTheStoreCreated() {
        try (IdentityDatabase db = cli.open()) {
            db.users(Clock.systemUTC(), new SecureRandom()).create(dev.gatehouse.identity.users.NewUser.withEmail("seeded@example.com"));
            db.organizations(Clock.systemUTC(), new SecureRandom()).create(new NewOrganization("seeded", "Seeded"));
        }

        assertThat(cli.run("users", "list")).isZero();
        assertThat(cli.out).contains("seeded@example.com").endsWith("1 user" + System.lineSeparator());
    }
}
