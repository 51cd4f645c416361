package dev.gatehouse.identity.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.identity.metadata.Metadata;
import dev.gatehouse.identity.orgs.NewOrganization;
import dev.gatehouse.identity.orgs.Organization;
import dev.gatehouse.identity.orgs.OrganizationMembership;
import dev.gatehouse.identity.orgs.Role;
import dev.gatehouse.identity.orgs.Roles;
import dev.gatehouse.identity.users.NewUser;
import dev.gatehouse.identity.users.User;
import dev.gatehouse.identity.users.UserId;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The one behaviour every identity database must show. Each implementation extends this class and gives
 * {@link #newStore()}: settings for a fresh, empty database (a new H2 file, a new PostgreSQL schema).
 */
abstract class IdentityStoreContract {
    /** Nanoseconds on purpose: the store keeps microseconds and must return what it will read back. */
    private static final Instant START = Instant.parse("2026-03-01T09:00:00.123456789Z");

    protected final MutableClock clock = new MutableClock(START);
    private final SecureRandom random = new SecureRandom();
    private final List<IdentityDatabase> opened = new ArrayList<>();

    private DatabaseSettings settings;
    private UserStore users;
    private OrganizationStore orgs;

    /** Settings for a database that no other test uses, with nothing in it yet. */
    protected abstract DatabaseSettings newStore() throws Exception;

    @BeforeEach
    void openFreshStore() throws Exception {
        settings = newStore();
        IdentityDatabase db = open();
        users = db.users(clock, random);
        orgs = db.organizations(clock, random);
    }

    @AfterEach
    void closeDatabases() {
        opened.forEach(IdentityDatabase::close);
    }

    private IdentityDatabase open() {
        IdentityDatabase db = IdentityDatabase.open(settings);
        opened.add(db);
        return db;
    }

    private Instant micros(Instant instant) {
        return instant.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }

    private User alice() {
        return users.create(NewUser.withEmail("Alice@Example.com").name("Alice").picture("https://img.example.com/a.png"));
    }

    // ---- users ----

    @Test
    void createdUserIsFoundByIdAndByEmailInAnyCase() {
        User created = alice();

        assertThat(created.id().value()).matches("user_[0-9a-z]{25}");
        assertThat(created.email()).isEqualTo("Alice@Example.com");
        assertThat(created.createdAt()).isEqualTo(micros(START)).isEqualTo(created.updatedAt());
        assertThat(created.lastSignInAt()).isNull();
        assertThat(users.find(created.id())).contains(created);
        assertThat(users.findByEmail("alice@example.com")).contains(created);
        assertThat(users.findByEmail("ALICE@EXAMPLE.COM")).contains(created);
        assertThat(users.findByEmail("bob@example.com")).isEmpty();
        assertThat(users.find(new UserId("user_nosuchuser"))).isEmpty();
    }

    @Test
    void emailIsUniqueWithoutRegardToCase() {
        User alice = alice();
        User bob = users.create(NewUser.withEmail("bob@example.com"));

        assertThatThrownBy(() -> users.create(NewUser.withEmail("alice@EXAMPLE.com")))
                .isInstanceOf(EmailTakenException.class)
                .hasMessage("the email address alice@EXAMPLE.com is already in use");
        assertThatThrownBy(() -> users.update(bob.withEmail("ALICE@example.com")))
                .isInstanceOf(EmailTakenException.class);
        assertThat(users.find(bob.id()).orElseThrow().email()).isEqualTo("bob@example.com");
        // Changing the case of one's own address is not a conflict.
        assertThat(users.update(alice.withEmail("alice@example.com")).email()).isEqualTo("alice@example.com");
    }

    @Test
    void sameEmailCreatedConcurrentlyGivesOneUserAndTypedConflictsForTheRest() throws Exception {
        int callers = 6;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<User>> results = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                String email = i % 2 == 0 ? "race@example.com" : "RACE@example.com";
                Callable<User> create = () -> {
                    go.await();
                    return users.create(NewUser.withEmail(email));
                };
                results.add(pool.submit(create));
            }
            go.countDown();
            int created = 0;
            for (Future<User> result : results) {
                try {
                    result.get(30, TimeUnit.SECONDS);
                    created++;
                } catch (java.util.concurrent.ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(EmailTakenException.class);
                }
            }
            assertThat(created).isEqualTo(1);
            assertThat(users.list(PageRequest.first(10)).totalCount()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void metadataRoundTripsNestedJsonValues() {
        Map<String, Object> plan = new LinkedHashMap<>();
        plan.put("name", "pro");
        plan.put("seats", 25);
        plan.put("price", 19.5);
        plan.put("trial", false);
        plan.put("cancelledAt", null);
        plan.put("features", List.of("sso", "audit", List.of(1, 2L, 3_000_000_000L)));
        plan.put("big", new BigInteger("123456789012345678901234567890"));
        Metadata publicMetadata = Metadata.of(Map.of("plan", plan, "greeting", "Grüße, 世界 \"quoted\" \\ </script>"));
        Metadata privateMetadata = Metadata.of(Map.of("stripeCustomer", "cus_123", "flags", Map.of("beta", true)));
        Metadata unsafeMetadata = Metadata.of(Map.of("theme", "dark"));

        User created = users.create(NewUser.withEmail("meta@example.com")
                .publicMetadata(publicMetadata).privateMetadata(privateMetadata).unsafeMetadata(unsafeMetadata));
        User read = users.find(created.id()).orElseThrow();

        assertThat(read.publicMetadata()).isEqualTo(publicMetadata);
        assertThat(read.privateMetadata()).isEqualTo(privateMetadata);
        assertThat(read.unsafeMetadata()).isEqualTo(unsafeMetadata);
        // Whole numbers come back as the smallest fitting type (2L reads as 2), which Metadata.of already applies.
        assertThat(read.publicMetadata().asMap().get("plan")).isEqualTo(Metadata.of(plan).asMap());
        assertThat(read.publicMetadata().asMap().get("plan")).isNotEqualTo(plan);

        Metadata changed = Metadata.of(Map.of("plan", "free"));
        users.update(read.withPublicMetadata(changed).withUnsafeMetadata(Metadata.EMPTY));
        User again = users.find(created.id()).orElseThrow();
        assertThat(again.publicMetadata()).isEqualTo(changed);
        assertThat(again.privateMetadata()).isEqualTo(privateMetadata);
        assertThat(again.unsafeMetadata().isEmpty()).isTrue();

        // Oversized metadata is the caller's mistake, refused before the database sees it.
        Metadata huge = Metadata.of(Map.of("blob", "x".repeat(70_000)));
        assertThatThrownBy(() -> users.update(again.withUnsafeMetadata(huge)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unsafeMetadata is larger than 65536 characters as JSON");
        assertThatThrownBy(() -> users.create(NewUser.withEmail("huge@example.com").publicMetadata(huge)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(users.findByEmail("huge@example.com")).isEmpty();
    }

    @Test
    void updateWritesTheProfileAndStampsUpdatedAtButLeavesPasswordAndSignInAlone() {
        User alice = users.create(NewUser.withEmail("alice@example.com").name("Alice").passwordHash("$argon2id$first"));
        clock.advance(Duration.ofMinutes(5));
        users.setPasswordHash(alice.id(), "$argon2id$second");
        users.recordSignIn(alice.id());
        clock.advance(Duration.ofMinutes(5));

        // `alice` is the stale copy from before the password change and the sign-in.
        User updated = users.update(alice.withName("Alice Liddell").withPicture("https://img.example.com/new.png")
                .withEmailVerified(true));

        assertThat(updated.name()).isEqualTo("Alice Liddell");
        assertThat(updated.picture()).isEqualTo("https://img.example.com/new.png");
        assertThat(updated.emailVerified()).isTrue();
        assertThat(updated.createdAt()).isEqualTo(micros(START));
        assertThat(updated.updatedAt()).isEqualTo(micros(START.plus(Duration.ofMinutes(10))));
        assertThat(updated.passwordHash()).isEqualTo("$argon2id$second");
        assertThat(updated.lastSignInAt()).isEqualTo(micros(START.plus(Duration.ofMinutes(5))));
        assertThat(users.find(alice.id())).contains(updated);
    }

    @Test
    void setPasswordHashReplacesTheHashAndCanRemoveIt() {
        User alice = alice();
        assertThat(alice.hasPassword()).isFalse();
        clock.advance(Duration.ofSeconds(30));

        User withPassword = users.setPasswordHash(alice.id(), "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA");

        assertThat(withPassword.passwordHash()).isEqualTo("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA");
        assertThat(withPassword.updatedAt()).isEqualTo(micros(START.plus(Duration.ofSeconds(30))));
        assertThat(withPassword.name()).isEqualTo("Alice");
        assertThat(users.setPasswordHash(alice.id(), null).hasPassword()).isFalse();
    }

    @Test
    void recordSignInStampsLastSignInFromTheClock() {
        User alice = alice();
        clock.advance(Duration.ofHours(2));

        User signedIn = users.recordSignIn(alice.id());

        Instant expected = micros(START.plus(Duration.ofHours(2)));
        assertThat(signedIn.lastSignInAt()).isEqualTo(expected);
        assertThat(signedIn.lastSignIn()).contains(expected);
        assertThat(users.find(alice.id()).orElseThrow().lastSignInAt()).isEqualTo(expected);
        assertThat(signedIn.updatedAt()).isEqualTo(micros(START));
    }

    @Test
    void deleteRemovesTheUserAndChangesOnAMissingUserAreNotFound() {
        User alice = alice();

        assertThat(users.delete(alice.id())).isTrue();
        assertThat(users.delete(alice.id())).isFalse();
        assertThat(users.find(alice.id())).isEmpty();
        assertThat(users.findByEmail(alice.email())).isEmpty();
        assertThatThrownBy(() -> users.update(alice.withName("Ghost")))
                .isInstanceOf(NotFoundException.class).hasMessage("user " + alice.id() + " does not exist");
        assertThatThrownBy(() -> users.setPasswordHash(alice.id(), "$argon2id$x")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> users.recordSignIn(alice.id())).isInstanceOf(NotFoundException.class);
        // The address is free again.
        assertThat(users.create(NewUser.withEmail("alice@example.com")).email()).isEqualTo("alice@example.com");
    }

    @Test
    void listPagesUsersOldestFirstWithTheTotalCount() {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            created.add(users.create(NewUser.withEmail("user" + i + "@example.com")).email());
            clock.advance(Duration.ofSeconds(1));
        }

        List<String> seen = new ArrayList<>();
        Page<User> page = users.list(PageRequest.first(3));
        int pages = 1;
        assertThat(page.totalCount()).isEqualTo(7);
        page.items().forEach(u -> seen.add(u.email()));
        while (page.next().isPresent()) {
            page = users.list(page.next().get());
            page.items().forEach(u -> seen.add(u.email()));
            pages++;
        }

        assertThat(pages).isEqualTo(3);
        assertThat(page.items()).hasSize(1);
        assertThat(page.hasMore()).isFalse();
        assertThat(seen).containsExactlyElementsOf(created);
        assertThat(users.list(new PageRequest(10, 5)).items()).isEmpty();
        assertThat(users.list(new PageRequest(10, 5)).totalCount()).isEqualTo(7);
    }

    // ---- organizations ----

    @Test
    void organizationsAreCreatedFoundUpdatedAndDeleted() {
        Organization acme = orgs.create(new NewOrganization("acme", "Acme Inc", Metadata.of(Map.of("tier", "gold"))));

        assertThat(acme.id().value()).matches("org_[0-9a-z]{25}");
        assertThat(acme.createdAt()).isEqualTo(micros(START));
        assertThat(orgs.find(acme.id())).contains(acme);
        assertThat(orgs.findBySlug("acme")).contains(acme);
        assertThat(orgs.findBySlug("nope")).isEmpty();

        clock.advance(Duration.ofMinutes(1));
        Organization renamed = orgs.update(acme.withName("Acme Corporation").withSlug("acme-corp")
                .withMetadata(Metadata.of(Map.of("tier", "platinum", "seats", 10))));
        assertThat(renamed.name()).isEqualTo("Acme Corporation");
        assertThat(renamed.updatedAt()).isEqualTo(micros(START.plus(Duration.ofMinutes(1))));
        assertThat(orgs.findBySlug("acme")).isEmpty();
        assertThat(orgs.findBySlug("acme-corp")).contains(renamed);
        assertThat(renamed.metadata().get("seats")).isEqualTo(10);

        assertThat(orgs.delete(acme.id())).isTrue();
        assertThat(orgs.delete(acme.id())).isFalse();
        assertThat(orgs.find(acme.id())).isEmpty();
        assertThatThrownBy(() -> orgs.update(renamed)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void slugIsUnique() {
        orgs.create(new NewOrganization("acme", "Acme"));
        Organization globex = orgs.create(new NewOrganization("globex", "Globex"));

        assertThatThrownBy(() -> orgs.create(new NewOrganization("acme", "Another Acme")))
                .isInstanceOf(SlugTakenException.class).hasMessage("the slug acme is already in use");
        assertThatThrownBy(() -> orgs.update(globex.withSlug("acme"))).isInstanceOf(SlugTakenException.class);
        assertThat(orgs.list(PageRequest.first(10)).totalCount()).isEqualTo(2);
    }

    @Test
    void listPagesOrganizationsOldestFirst() {
        for (String slug : List.of("a", "b", "c", "d", "e")) {
            orgs.create(new NewOrganization(slug, slug.toUpperCase()));
            clock.advance(Duration.ofSeconds(1));
        }

        Page<Organization> first = orgs.list(PageRequest.first(2));
        Page<Organization> last = orgs.list(new PageRequest(4, 2));

        assertThat(first.items()).extracting(Organization::slug).containsExactly("a", "b");
        assertThat(first.totalCount()).isEqualTo(5);
        assertThat(first.hasMore()).isTrue();
        assertThat(last.items()).extracting(Organization::slug).containsExactly("e");
        assertThat(last.next()).isEmpty();
    }

    // ---- memberships, roles and permissions ----

    @Test
    void membershipsCarryTheirRoleAndItsPermissions() {
        Organization acme = orgs.create(new NewOrganization("acme", "Acme"));
        User alice = alice();
        User bob = users.create(NewUser.withEmail("bob@example.com"));

        OrganizationMembership admin = orgs.addMember(acme.id(), alice.id(), "org:admin");
        OrganizationMembership member = orgs.addMember(acme.id(), bob.id(), "member");

        assertThat(admin.role()).isEqualTo(Roles.ADMIN);
        assertThat(admin.permissions()).containsExactlyInAnyOrderElementsOf(Roles.SYSTEM_PERMISSIONS);
        assertThat(member.role()).isEqualTo(Roles.MEMBER);
        assertThat(member.permissions()).containsExactly(Roles.READ_MEMBERSHIPS);
        assertThat(orgs.membership(acme.id(), alice.id())).contains(admin);
        assertThat(orgs.membershipsOf(bob.id())).containsExactly(member);
        assertThat(member.organization()).isEqualTo(acme);
        assertThat(member.toAccessMembership().permissions()).containsExactly(Roles.READ_MEMBERSHIPS);
        assertThat(member.toAccessMembership().slug()).isEqualTo("acme");
    }

    @Test
    void customRolesGrantTheirPermissionsAndAdminsGainEveryPermission() {
        Organization acme = orgs.create(new NewOrganization("acme", "Acme"));
        User alice = alice();
        User carol = users.create(NewUser.withEmail("carol@example.com"));
        User dave = users.create(NewUser.withEmail("dave@example.com"));
        orgs.addMember(acme.id(), alice.id(), Roles.ADMIN);

        Role billing = orgs.defineRole(new Role("org:billing_manager", "Billing manager",
                Set.of("org:billing:read", "org:billing:manage")));
        orgs.defineRole(new Role("org:member", "Member", Set.of(Roles.READ_MEMBERSHIPS, "org:reports:read")));
        orgs.addMember(acme.id(), carol.id(), "billing_manager");
        orgs.addMember(acme.id(), dave.id(), Roles.MEMBER);

        assertThat(billing.permissions()).containsExactlyInAnyOrder("org:billing:read", "org:billing:manage");
        assertThat(orgs.membership(acme.id(), carol.id()).orElseThrow().permissions())
                .containsExactlyInAnyOrder("org:billing:read", "org:billing:manage");
        assertThat(orgs.membership(acme.id(), dave.id()).orElseThrow().permissions())
                .containsExactlyInAnyOrder(Roles.READ_MEMBERSHIPS, "org:reports:read");
        // Nobody granted the new permissions to org:admin: it holds them because it holds everything.
        assertThat(orgs.membership(acme.id(), alice.id()).orElseThrow().permissions())
                .containsAll(Roles.SYSTEM_PERMISSIONS)
                .contains("org:billing:read", "org:billing:manage", "org:reports:read");
        assertThat(orgs.roles().roles()).extracting(Role::key)
                .containsExactly(Roles.ADMIN, Roles.MEMBER, "org:billing_manager");

        // Redefining a role changes what its existing members hold.
        orgs.defineRole(new Role("org:billing_manager", "Billing viewer", Set.of("org:billing:read")));
        assertThat(orgs.membership(acme.id(), carol.id()).orElseThrow().permissions()).containsExactly("org:billing:read");
        assertThat(orgs.roles().role("billing_manager").orElseThrow().name()).isEqualTo("Billing viewer");
    }

    @Test
    void adminCannotBeRedefined() {
        assertThatThrownBy(() -> orgs.defineRole(new Role(Roles.ADMIN, "Admin", Set.of("org:billing:read"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("org:admin always holds every permission");
    }

    @Test
    void addMemberRefusesUnknownRolesMissingPartiesAndDuplicates() {
        Organization acme = orgs.create(new NewOrganization("acme", "Acme"));
        User alice = alice();
        orgs.addMember(acme.id(), alice.id(), Roles.MEMBER);
        User bob = users.create(NewUser.withEmail("bob@example.com"));

        assertThatThrownBy(() -> orgs.addMember(acme.id(), bob.id(), "org:owner"))
                .isInstanceOf(UnknownRoleException.class)
                .hasMessage("unknown role org:owner (roles: org:admin, org:member)");
        assertThatThrownBy(() -> orgs.addMember(acme.id(), alice.id(), Roles.ADMIN))
                .isInstanceOf(AlreadyMemberException.class);
        assertThatThrownBy(() -> orgs.addMember(acme.id(), new UserId("user_gone"), Roles.MEMBER))
                .isInstanceOf(NotFoundException.class).hasMessage("user user_gone does not exist");
        assertThatThrownBy(() -> orgs.addMember(new dev.gatehouse.identity.orgs.OrganizationId("org_gone"), bob.id(), Roles.MEMBER))
                .isInstanceOf(NotFoundException.class).hasMessage("organization org_gone does not exist");
        // The refused duplicate left the first role in place.
        assertThat(orgs.membership(acme.id(), alice.id()).orElseThrow().role()).isEqualTo(Roles.MEMBER);
        assertThat(orgs.membership(acme.id(), bob.id())).isEmpty();
    }

    @Test
    void changeRoleAndRemoveMember() {
        Organization acme = orgs.create(new NewOrganization("acme", "Acme"));
        User alice = alice();
        orgs.addMember(acme.id(), alice.id(), Roles.MEMBER);
        clock.advance(Duration.ofMinutes(1));

        OrganizationMembership promoted = orgs.changeRole(acme.id(), alice.id(), "admin");

        assertThat(promoted.role()).isEqualTo(Roles.ADMIN);
        assertThat(promoted.permissions()).contains(Roles.MANAGE_MEMBERSHIPS);
        assertThat(promoted.createdAt()).isEqualTo(micros(START));
        assertThat(promoted.updatedAt()).isEqualTo(micros(START.plus(Duration.ofMinutes(1))));
        assertThatThrownBy(() -> orgs.changeRole(acme.id(), alice.id(), "org:nobody")).isInstanceOf(UnknownRoleException.class);
        assertThat(orgs.removeMember(acme.id(), alice.id())).isTrue();
        assertThat(orgs.removeMember(acme.id(), alice.id())).isFalse();
        assertThat(orgs.membershipsOf(alice.id())).isEmpty();
        assertThatThrownBy(() -> orgs.changeRole(acme.id(), alice.id(), Roles.ADMIN)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void deletingAUserRemovesItsMemberships() {
        Organization acme = orgs.create(new NewOrganization("acme", "Acme"));
        Organization globex = orgs.create(new NewOrganization("globex", "Globex"));
        User alice = alice();
        User bob = users.create(NewUser.withEmail("bob@example.com"));
        orgs.addMember(acme.id(), alice.id(), Roles.ADMIN);
        orgs.addMember(globex.id(), alice.id(), Roles.MEMBER);
        orgs.addMember(acme.id(), bob.id(), Roles.MEMBER);

        users.delete(alice.id());

        assertThat(orgs.membershipsOf(alice.id())).isEmpty();
        assertThat(orgs.members(acme.id(), PageRequest.first(10)).items()).extracting(OrganizationMembership::userId)
                .containsExactly(bob.id());
        assertThat(orgs.members(globex.id(), PageRequest.first(10)).totalCount()).isZero();
        // A new account with the same email starts with no memberships.
        User again = users.create(NewUser.withEmail("alice@example.com"));
        assertThat(orgs.membershipsOf(again.id())).isEmpty();
    }

    @Test
    void deletingAnOrganizationRemovesItsMembershipsButNotTheUsers() {
        Organization acme = orgs.create(new NewOrganization("acme", "Acme"));
        User alice = alice();
        orgs.addMember(acme.id(), alice.id(), Roles.ADMIN);

        orgs.delete(acme.id());

        assertThat(orgs.membershipsOf(alice.id())).isEmpty();
        assertThat(users.find(alice.id())).isPresent();
        assertThatThrownBy(() -> orgs.members(acme.id(), PageRequest.first(10))).isInstanceOf(NotFoundException.class);
    }

    @Test
    void membersAndMembershipsArePagedOldestFirst() {
        Organization acme = orgs.create(new NewOrganization("acme", "Acme"));
        Organization globex = orgs.create(new NewOrganization("globex", "Globex"));
        List<UserId> joined = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            User u = users.create(NewUser.withEmail("m" + i + "@example.com"));
            orgs.addMember(acme.id(), u.id(), i == 0 ? Roles.ADMIN : Roles.MEMBER);
            joined.add(u.id());
            clock.advance(Duration.ofSeconds(1));
        }
        orgs.addMember(globex.id(), joined.get(3), Roles.ADMIN);

        Page<OrganizationMembership> first = orgs.members(acme.id(), PageRequest.first(2));
        Page<OrganizationMembership> second = orgs.members(acme.id(), first.next().orElseThrow());
        Page<OrganizationMembership> third = orgs.members(acme.id(), second.next().orElseThrow());

        assertThat(first.totalCount()).isEqualTo(5);
        List<UserId> seen = new ArrayList<>();
        for (Page<OrganizationMembership> p : Arrays.asList(first, second, third)) {
            p.items().forEach(m -> seen.add(m.userId()));
        }
        assertThat(seen).containsExactlyElementsOf(joined);
        assertThat(third.hasMore()).isFalse();
        assertThat(orgs.membershipsOf(joined.get(3))).extracting(m -> m.organization().slug()).containsExactly("acme", "globex");
    }

    // ---- migrations ----

    @Test
    void migrationsApplyOnceAndReopeningChangesNothing() throws Exception {
        IdentityDatabase first = opened.get(0);
        assertThat(first.migrationsAppliedAtOpen()).isPositive();
        String version = first.schemaVersion();
        User alice = alice();
        Organization acme = orgs.create(new NewOrganization("acme", "Acme"));
        orgs.addMember(acme.id(), alice.id(), Roles.ADMIN);
        first.close();

        IdentityDatabase reopened = open();
        IdentityDatabase third = open();

        assertThat(reopened.migrationsAppliedAtOpen()).isZero();
        assertThat(third.migrationsAppliedAtOpen()).isZero();
        assertThat(reopened.schemaVersion()).isEqualTo(version);
        assertThat(reopened.users(clock, random).find(alice.id())).contains(alice);
        assertThat(reopened.organizations(clock, random).membershipsOf(alice.id())).hasSize(1);
        // The built-in roles were seeded once, not once per start.
        assertThat(reopened.organizations(clock, random).roles().roles()).extracting(Role::key)
                .containsExactly(Roles.ADMIN, Roles.MEMBER);
        try (Connection c = DriverManager.getConnection(settings.url(), settings.user(), settings.password());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM \"flyway_schema_history\" WHERE \"version\" IS NOT NULL")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(first.migrationsAppliedAtOpen());
        }
    }
    // ---- refresh tokens of the embedded provider ----

    private RefreshToken firstToken(User user, String hash, String family, String session) {
        Instant now = micros(clock.instant());
        return new RefreshToken(hash, family, "gateway", user.id(), session, null, "openid email", now, now,
                now.plus(Duration.ofDays(30)), null, null);
    }

    @Test
    void refreshTokenRotatesOnceAndPresentingItAgainRevokesItsFamily() {
        RefreshTokenStore tokens = opened.get(0).refreshTokens();
        User alice = alice();
        tokens.issue(firstToken(alice, "hash-1", "family-a", "sid-1"));
        tokens.issue(firstToken(alice, "other-1", "family-b", "sid-1"));

        RefreshRotation first = tokens.rotate("hash-1", "hash-2", clock.instant());
        assertThat(first).isInstanceOf(RefreshRotation.Rotated.class);
        RefreshToken successor = ((RefreshRotation.Rotated) first).successor();
        assertThat(successor.familyId()).isEqualTo("family-a");
        assertThat(successor.expiresAt()).as("rotation keeps the absolute expiry")
                .isEqualTo(((RefreshRotation.Rotated) first).previous().expiresAt());
        assertThat(tokens.find("hash-2")).contains(successor);

        assertThat(tokens.rotate("hash-1", "hash-3", clock.instant())).isInstanceOf(RefreshRotation.Reused.class);
        assertThat(tokens.find("hash-2").orElseThrow().revokedAt()).isNotNull();
        assertThat(tokens.rotate("hash-2", "hash-4", clock.instant())).isInstanceOf(RefreshRotation.Invalid.class);
        assertThat(tokens.find("other-1").orElseThrow().revokedAt()).as("another family is untouched").isNull();
        assertThat(tokens.find("hash-3")).isEmpty();
        assertThat(tokens.rotate("unknown", "x", clock.instant())).isInstanceOf(RefreshRotation.Invalid.class);
    }

    @Test
    void expiredRefreshTokenDoesNotRotate() {
        RefreshTokenStore tokens = opened.get(0).refreshTokens();
        tokens.issue(firstToken(alice(), "hash-1", "family-a", "sid-1"));
        assertThat(tokens.rotate("hash-1", "hash-2", clock.instant().plus(Duration.ofDays(30))))
                .isInstanceOf(RefreshRotation.Invalid.class);
    }

    @Test
    void concurrentPresentationsOfOneRefreshTokenRotateItExactlyOnce() throws Exception {
        RefreshTokenStore tokens = opened.get(0).refreshTokens();
        tokens.issue(firstToken(alice(), "hash-1", "family-a", "sid-1"));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<RefreshRotation>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String next = "next-" + i;
                results.add(pool.submit(() -> {
                    go.await();
                    return tokens.rotate("hash-1", next, clock.instant());
                }));
            }
            go.countDown();
            int rotated = 0;
            for (Future<RefreshRotation> f : results) {
                if (f.get(30, TimeUnit.SECONDS) instanceof RefreshRotation.Rotated) {
                    rotated++;
                }
            }
            assertThat(rotated).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void endingASessionRevokesItsTokensAndNamesItsClients() {
        RefreshTokenStore tokens = opened.get(0).refreshTokens();
        User alice = alice();
        tokens.issue(firstToken(alice, "hash-1", "family-a", "sid-1"));
        tokens.issue(firstToken(alice, "hash-9", "family-z", "sid-2"));

        assertThat(tokens.revokeSession("sid-1", clock.instant())).extracting(RefreshToken::tokenHash).containsExactly("hash-1");
        assertThat(tokens.revokeSession("sid-1", clock.instant())).as("nothing left to revoke").isEmpty();
        assertThat(tokens.clientsOfSession("sid-1")).containsExactly("gateway");
        assertThat(tokens.find("hash-9").orElseThrow().revokedAt()).isNull();
        assertThat(users.delete(alice.id())).isTrue();
        assertThat(tokens.find("hash-9")).as("a deleted user's tokens go with the user").isEmpty();
    }
}
