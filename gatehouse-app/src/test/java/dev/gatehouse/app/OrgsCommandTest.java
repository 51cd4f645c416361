package dev.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.identity.orgs.Organization;
import dev.gatehouse.identity.orgs.OrganizationMembership;
import dev.gatehouse.identity.orgs.Role;
import dev.gatehouse.identity.orgs.Roles;
import dev.gatehouse.identity.store.IdentityDatabase;
import dev.gatehouse.identity.store.OrganizationStore;
import dev.gatehouse.identity.users.User;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrgsCommandTest {
    @TempDir
    Path dir;

    private IdentityCommandsFixture cli;

    @BeforeEach
    void setUp() {
        cli = new IdentityCommandsFixture(dir);
    }

    private <T> T withOrgs(java.util.function.BiFunction<OrganizationStore, IdentityDatabase, T> read) {
        try (IdentityDatabase db = cli.open()) {
            return read.apply(db.organizations(Clock.systemUTC(), new SecureRandom()), db);
        }
    }

    @Test
    void addCreatesAnOrganization() {
        int status = cli.run("orgs", "add", "--slug", "acme", "--name", "Acme Inc");

        assertThat(status).as(cli.err).isZero();
        assertThat(cli.out).matches("Created organization org_[0-9a-z]{25} acme \\(Acme Inc\\)\\R");
        Organization acme = withOrgs((orgs, db) -> orgs.findBySlug("acme").orElseThrow());
        assertThat(acme.name()).isEqualTo("Acme Inc");
    }

    @Test
    void addRefusesATakenOrMalformedSlug() {
        cli.run("orgs", "add", "--slug", "acme", "--name", "Acme");

        assertThat(cli.run("orgs", "add", "--slug", "acme", "--name", "Acme again")).isEqualTo(1);
        assertThat(cli.err).isEqualTo("error: the slug acme is already in use" + System.lineSeparator());
        assertThat(cli.run("orgs", "add", "--slug", "Acme Inc", "--name", "Acme")).isEqualTo(1);
        assertThat(cli.err).isEqualTo("error: slug must be 1-64 lower-case letters, digits and hyphens, starting and ending "
                + "with a letter or digit: Acme Inc" + System.lineSeparator());
    }

    @Test
    void addMemberGivesTheRoleAndItsPermissions() {
        cli.run("users", "add", "--email", "alice@example.com");
        cli.run("users", "add", "--email", "bob@example.com");
        cli.run("orgs", "add", "--slug", "acme", "--name", "Acme");

        assertThat(cli.run("orgs", "add-member", "--slug", "acme", "--email", "Alice@Example.com", "--role", "org:admin")).isZero();
        assertThat(cli.out).isEqualTo("alice@example.com is now org:admin of acme (permissions: org:sys_memberships:manage, "
                + "org:sys_memberships:read, org:sys_profile:delete, org:sys_profile:manage)" + System.lineSeparator());
        assertThat(cli.run("orgs", "add-member", "--slug", "acme", "--email", "bob@example.com")).isZero();
        assertThat(cli.out).startsWith("bob@example.com is now org:member of acme");

        withOrgs((orgs, db) -> {
            Organization acme = orgs.findBySlug("acme").orElseThrow();
            User alice = db.users(Clock.systemUTC(), new SecureRandom()).findByEmail("alice@example.com").orElseThrow();
            User bob = db.users(Clock.systemUTC(), new SecureRandom()).findByEmail("bob@example.com").orElseThrow();
            OrganizationMembership admin = orgs.membership(acme.id(), alice.id()).orElseThrow();
            assertThat(admin.role()).isEqualTo(Roles.ADMIN);
            assertThat(admin.permissions()).containsAll(Roles.SYSTEM_PERMISSIONS);
            assertThat(orgs.membership(acme.id(), bob.id()).orElseThrow().permissions()).containsExactly(Roles.READ_MEMBERSHIPS);
            return null;
        });
    }

    @Test
    void addMemberAcceptsACustomRoleDefinedInTheStore() {
        cli.run("users", "add", "--email", "carol@example.com");
        cli.run("orgs", "add", "--slug", "acme", "--name", "Acme");
        withOrgs((orgs, db) -> orgs.defineRole(new Role("org:billing", "Billing", Set.of("org:billing:read"))));

        assertThat(cli.run("orgs", "add-member", "--slug", "acme", "--email", "carol@example.com", "--role", "billing")).isZero();

        assertThat(cli.out).isEqualTo("carol@example.com is now org:billing of acme (permissions: org:billing:read)"
                + System.lineSeparator());
    }

    @Test
    void addMemberExplainsWhatIsWrong() {
        cli.run("users", "add", "--email", "alice@example.com");
        cli.run("orgs", "add", "--slug", "acme", "--name", "Acme");

        assertThat(cli.run("orgs", "add-member", "--slug", "acme", "--email", "alice@example.com", "--role", "org:owner")).isEqualTo(1);
        assertThat(cli.err).isEqualTo("error: unknown role org:owner (roles: org:admin, org:member)" + System.lineSeparator());
        assertThat(cli.run("orgs", "add-member", "--slug", "nope", "--email", "alice@example.com")).isEqualTo(1);
        assertThat(cli.err).isEqualTo("error: no organization with slug nope" + System.lineSeparator());
        assertThat(cli.run("orgs", "add-member", "--slug", "acme", "--email", "nobody@example.com")).isEqualTo(1);
        assertThat(cli.err).isEqualTo("error: no user with email nobody@example.com" + System.lineSeparator());
        cli.run("orgs", "add-member", "--slug", "acme", "--email", "alice@example.com", "--role", "admin");
        assertThat(cli.run("orgs", "add-member", "--slug", "acme", "--email", "alice@example.com")).isEqualTo(1);
        assertThat(cli.err).isEqualTo("error: alice@example.com is already a member of acme (org:admin)" + System.lineSeparator());
    }

    @Test
    void listShowsOrganizationsWithTheirMembers() {
        assertThat(cli.run("orgs", "list")).isZero();
        assertThat(cli.out).isEqualTo("No organizations yet." + System.lineSeparator());
        cli.run("users", "add", "--email", "alice@example.com");
        cli.run("users", "add", "--email", "bob@example.com");
        cli.run("orgs", "add", "--slug", "acme", "--name", "Acme Inc");
        cli.run("orgs", "add", "--slug", "globex", "--name", "Globex");
        cli.run("orgs", "add-member", "--slug", "acme", "--email", "alice@example.com", "--role", "org:admin");
        cli.run("orgs", "add-member", "--slug", "acme", "--email", "bob@example.com");

        assertThat(cli.run("orgs", "list")).isZero();

        String[] lines = cli.out.split("\\R");
        assertThat(lines).hasSize(4);
        assertThat(lines[0]).startsWith("ID").contains("SLUG", "NAME", "MEMBERS");
        assertThat(lines[1]).matches("org_[0-9a-z]{25}  acme +Acme Inc  alice@example.com \\(org:admin\\), bob@example.com \\(org:member\\)");
        assertThat(lines[2]).matches("org_[0-9a-z]{25}  globex +Globex +-");
        assertThat(lines[3]).isEqualTo("2 organizations");
    }
}
