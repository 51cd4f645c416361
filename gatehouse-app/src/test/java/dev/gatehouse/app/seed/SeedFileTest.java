package dev.gatehouse.app.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.identity.orgs.Organization;
import dev.gatehouse.identity.orgs.OrganizationMembership;
import dev.gatehouse.identity.passwords.Argon2Parameters;
import dev.gatehouse.identity.passwords.PasswordHasher;
import dev.gatehouse.identity.store.DatabaseSettings;
import dev.gatehouse.identity.store.IdentityDatabase;
import dev.gatehouse.identity.store.OrganizationStore;
import dev.gatehouse.identity.store.UserStore;
import dev.gatehouse.identity.users.User;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Seed files read with every error at once, and applied to a real H2 file database, idempotently. */
class SeedFileTest {
    private static final Map<String, String> ENV = Map.of("ALICE_PASSWORD", "correct horse battery");
    private final SecureRandom random = new SecureRandom();
    private final Clock clock = Clock.systemUTC();
    private final PasswordHasher hasher = new PasswordHasher(Argon2Parameters.DEFAULT, random);

    @TempDir
    Path dir;
    IdentityDatabase db;
    UserStore users;
    OrganizationStore orgs;

    @BeforeEach
    void open() {
        db = IdentityDatabase.open(DatabaseSettings.of("jdbc:h2:file:" + dir.resolve("identity")));
        users = db.users(clock, random);
        orgs = db.organizations(clock, random);
    }

    @AfterEach
    void close() {
        db.close();
    }

    /** The seed example of docs/configuration.md, the block after its {@code seed-example} marker. */
    static String docExample() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "configuration.md"));
        int marker = doc.indexOf("<!-- seed-example");
        int start = doc.indexOf("```\n", marker) + 4;
        return doc.substring(start, doc.indexOf("\n```", start) + 1);
    }

    private Seeder seeder() {
        return new Seeder(db, hasher, clock, random);
    }

    @Test
    void documentedExampleCreatesItsRolesUsersOrganizationsAndMemberships() throws Exception {
        // The docs promise what a seed does; this applies their example as written.
        Seeder.Report report = seeder().apply(SeedFile.parse(docExample(), ENV::get));

        assertThat(report.rolesDefined()).containsExactly("org:billing");
        assertThat(report.usersCreated()).containsExactly("alice@example.com", "bob@example.com");
        assertThat(report.organizationsCreated()).containsExactly("acme", "globex");
        assertThat(report.membershipsAdded()).hasSize(3);
        // bob had no password in the file: one was generated, handed back once, and it is the one stored
        assertThat(report.generatedPasswords()).containsOnlyKeys("bob@example.com");
        User bob = users.findByEmail("bob@example.com").orElseThrow();
        assertThat(hasher.verify(report.generatedPasswords().get("bob@example.com"), bob.passwordHash())).isTrue();
        User alice = users.findByEmail("alice@example.com").orElseThrow();
        assertThat(hasher.verify("correct horse battery", alice.passwordHash())).isTrue();
        assertThat(alice.emailVerified()).isTrue();
        assertThat(alice.name()).isEqualTo("Alice Liddell");

        Organization acme = orgs.findBySlug("acme").orElseThrow();
        Organization globex = orgs.findBySlug("globex").orElseThrow();
        assertThat(acme.name()).isEqualTo("Acme Inc");
        OrganizationMembership bobAtAcme = orgs.membership(acme.id(), bob.id()).orElseThrow();
        assertThat(bobAtAcme.role()).isEqualTo("org:billing");
        assertThat(bobAtAcme.permissions()).containsExactlyInAnyOrder("org:billing:read", "org:billing:manage");
        assertThat(orgs.membership(acme.id(), alice.id()).orElseThrow().permissions()).contains("org:billing:read");
        OrganizationMembership aliceAtGlobex = orgs.membership(globex.id(), alice.id()).orElseThrow();
        assertThat(aliceAtGlobex.role()).isEqualTo("org:member");
        assertThat(aliceAtGlobex.permissions()).doesNotContain("org:billing:read");
        assertThat(orgs.membership(globex.id(), bob.id())).isEmpty();
    }

    @Test
    void applyingTwiceChangesNothingAndNeverUndoesAChange() throws Exception {
        // A seed runs at every start: a password the user changed, or a role an admin changed, must survive it.
        SeedFile seed = SeedFile.parse(docExample(), ENV::get);
        seeder().apply(seed);
        User alice = users.findByEmail("alice@example.com").orElseThrow();
        User bob = users.findByEmail("bob@example.com").orElseThrow();
        Organization acme = orgs.findBySlug("acme").orElseThrow();
        String changedHash = hasher.hash("a new password of alice");
        users.setPasswordHash(alice.id(), changedHash);
        orgs.changeRole(acme.id(), bob.id(), "org:member");

        Seeder.Report again = seeder().apply(seed);

        assertThat(again.changedNothing()).as(again.toString()).isTrue();
        assertThat(again.generatedPasswords()).isEmpty();
        assertThat(users.findByEmail("alice@example.com").orElseThrow().passwordHash()).isEqualTo(changedHash);
        assertThat(orgs.membership(acme.id(), bob.id()).orElseThrow().role()).isEqualTo("org:member");
        assertThat(users.list(dev.gatehouse.identity.store.PageRequest.first(10)).totalCount()).isEqualTo(2);
    }

    @Test
    void aMemberAddedToTheFileLaterIsAddedWithoutTouchingTheRest() throws Exception {
        seeder().apply(SeedFile.parse(docExample(), ENV::get));

        Seeder.Report more = seeder().apply(SeedFile.parse(docExample().replace(
                "      - {email: alice@example.com}  # org:member unless a role is given",
                "      - {email: alice@example.com}\n      - {email: bob@example.com, role: admin}"), ENV::get));

        assertThat(more.membershipsAdded()).containsExactly("bob@example.com org:admin of globex");
        assertThat(more.usersCreated()).isEmpty();
    }

    @Test
    void everyProblemInTheFileIsReportedAtOnceWithItsPath() {
        assertThatThrownBy(() -> SeedFile.parse("""
                roles:
                  - {key: org:admin, permissions: [org:billing:read]}
                  - {key: "Bad Role", permissions: [billing]}
                users:
                  - {email: not-an-email}
                  - {email: a@example.com, password: short, email_verified: maybe}
                  - {email: A@example.com, password: "${NOPE}"}
                organizations:
                  - slug: Acme!
                    members: [{email: a@example.com, role: "x y"}, {email: a@example.com}]
                  - {slug: acme, name: Acme, extra: 1}
                  - {slug: acme, name: Acme again}
                """, ENV::get))
                .isInstanceOfSatisfying(SeedException.class, e -> assertThat(e.errors()).containsExactlyInAnyOrder(
                        "roles[0].key: org:admin is built in and holds every permission",
                        "roles[1].key: a role is org:<name> (lower-case letters, digits, '-' and '_'): Bad Role",
                        "roles[1].permissions[0]: a permission is org:<feature>:<permission> (lower-case letters, digits, '-' and '_'): billing",
                        "users[0].email: " + emailError("not-an-email"),
                        "users[1].email_verified: must be true or false",
                        "users[1].password: Password is too short: use at least 10 characters.",
                        "users[2].password: environment variable NOPE is not set",
                        "users[2].password: Password is too short: use at least 10 characters.",
                        "users[2].email: A@example.com is listed twice",
                        "organizations[0].slug: " + slugError("Acme!"),
                        "organizations[0].name: is required",
                        "organizations[0].members[0].role: a role is org:<name> (lower-case letters, digits, '-' and '_'): x y",
                        "organizations[0].members[1].email: a@example.com is listed twice",
                        "organizations[1].extra: unknown key",
                        "organizations[2].slug: acme is listed twice"));
    }

    @Test
    void aMemberWhoIsNeitherInTheFileNorInTheStoreIsRefusedBeforeAnythingIsWritten() throws Exception {
        SeedFile seed = SeedFile.parse("organizations: [{slug: acme, name: Acme, members: [{email: ghost@example.com}]}]", ENV::get);

        assertThatThrownBy(() -> seeder().apply(seed)).isInstanceOfSatisfying(SeedException.class, e -> assertThat(e.errors())
                .containsExactly("organizations[acme].members: no user ghost@example.com in the file or the store"));
        assertThat(orgs.findBySlug("acme")).isEmpty();
    }

    @Test
    void generatedPasswordsNeverShowInTheReportsText() throws Exception {
        Seeder.Report report = seeder().apply(SeedFile.parse("users: [{email: c@example.com}]", ENV::get));

        assertThat(report.toString()).doesNotContain(report.generatedPasswords().get("c@example.com"));
    }

    private static String emailError(String email) {
        try {
            dev.gatehouse.identity.users.Emails.requireValid(email);
            throw new AssertionError("accepted " + email);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    private static String slugError(String slug) {
        try {
            Organization.requireValidSlug(slug);
            throw new AssertionError("accepted " + slug);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }
}
