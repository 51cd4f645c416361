package dev.gatehouse.app.seed;

import dev.gatehouse.identity.orgs.NewOrganization;
import dev.gatehouse.identity.orgs.Organization;
import dev.gatehouse.identity.orgs.Role;
import dev.gatehouse.identity.passwords.PasswordGenerator;
import dev.gatehouse.identity.passwords.PasswordHasher;
import dev.gatehouse.identity.store.IdentityDatabase;
import dev.gatehouse.identity.store.OrganizationStore;
import dev.gatehouse.identity.store.UserStore;
import dev.gatehouse.identity.users.NewUser;
import dev.gatehouse.identity.users.User;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Applies a {@link SeedFile}: creates the roles, users, organizations and memberships it lists that do not exist
 * yet, in that order, and nothing else. Whatever exists is left as it is (a user's password, a member's role, a
 * role's permissions), so applying a seed twice changes nothing and never undoes an operator's change.
 * Blocking (JDBC, Argon2): run it before serving, or on a worker thread.
 */
public final class Seeder {
    private final UserStore users;
    private final OrganizationStore organizations;
    private final PasswordHasher hasher;
    private final PasswordGenerator generator;

    public Seeder(IdentityDatabase database, PasswordHasher hasher, Clock clock, SecureRandom random) {
        this.users = database.users(clock, random);
        this.organizations = database.organizations(clock, random);
        this.hasher = hasher;
        this.generator = new PasswordGenerator(random);
    }

    /**
     * What one application of a seed created. {@code generatedPasswords} holds, by email, the passwords made for
     * users created now without one in the file: the caller shows them once; they are kept nowhere else.
     */
    public record Report(List<String> rolesDefined, List<String> usersCreated, List<String> organizationsCreated,
                         List<String> membershipsAdded, Map<String, String> generatedPasswords) {
        public boolean changedNothing() {
            return rolesDefined.isEmpty() && usersCreated.isEmpty() && organizationsCreated.isEmpty() && membershipsAdded.isEmpty();
        }

        @Override
        public String toString() {
            return "Report[roles=" + rolesDefined + ", users=" + usersCreated + ", organizations=" + organizationsCreated
                    + ", memberships=" + membershipsAdded + ", generatedPasswords=" + generatedPasswords.keySet() + "]";
        }
    }

    /** Applies the seed; a member whose email is neither in the file nor in the store is a {@link SeedException}. */
    public Report apply(SeedFile seed) throws SeedException {
        List<String> problems = new ArrayList<>();
        for (SeedFile.Organization org : seed.organizations()) {
            for (SeedFile.Member m : org.members()) {
                boolean listed = seed.users().stream().anyMatch(u -> u.email().equalsIgnoreCase(m.email()));
                if (!listed && users.findByEmail(m.email()).isEmpty()) {
                    problems.add("organizations[" + org.slug() + "].members: no user " + m.email() + " in the file or the store");
                }
                boolean defined = seed.roles().stream().anyMatch(r -> r.key().equals(m.role()));
                if (!defined && !organizations.roles().contains(m.role())) {
                    problems.add("organizations[" + org.slug() + "].members: no role " + m.role() + " in the file or the store");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new SeedException(problems);
        }

        List<String> roles = new ArrayList<>();
        for (SeedFile.Role role : seed.roles()) {
            if (!organizations.roles().contains(role.key())) {
                organizations.defineRole(new Role(role.key(), role.name(), role.permissions()));
                roles.add(role.key());
            }
        }
        List<String> created = new ArrayList<>();
        Map<String, String> generated = new LinkedHashMap<>();
        for (SeedFile.User u : seed.users()) {
            if (users.findByEmail(u.email()).isPresent()) {
                continue;
            }
            String password = u.password() != null ? u.password() : generator.generate();
            users.create(NewUser.withEmail(u.email()).name(u.name()).emailVerified(u.emailVerified()).passwordHash(hasher.hash(password)));
            created.add(u.email());
            if (u.password() == null) {
                generated.put(u.email(), password);
            }
        }
        List<String> orgs = new ArrayList<>();
        List<String> memberships = new ArrayList<>();
        for (SeedFile.Organization o : seed.organizations()) {
            Optional<Organization> existing = organizations.findBySlug(o.slug());
            Organization org = existing.orElseGet(() -> organizations.create(new NewOrganization(o.slug(), o.name())));
            if (existing.isEmpty()) {
                orgs.add(o.slug());
            }
            for (SeedFile.Member m : o.members()) {
                User user = users.findByEmail(m.email()).orElseThrow();
                if (organizations.membership(org.id(), user.id()).isEmpty()) {
                    organizations.addMember(org.id(), user.id(), m.role());
                    memberships.add(user.email() + " " + m.role() + " of " + org.slug());
                }
            }
        }
        return new Report(List.copyOf(roles), List.copyOf(created), List.copyOf(orgs), List.copyOf(memberships), java.util.Collections.unmodifiableMap(generated));
    }
}
