package dev.gatehouse.identity.store;

import static dev.gatehouse.identity.store.IdentityDatabase.instant;
import static dev.gatehouse.identity.store.IdentityDatabase.timestamp;

import dev.gatehouse.identity.orgs.NewOrganization;
import dev.gatehouse.identity.orgs.Organization;
import dev.gatehouse.identity.orgs.OrganizationId;
import dev.gatehouse.identity.orgs.OrganizationMembership;
import dev.gatehouse.identity.orgs.Role;
import dev.gatehouse.identity.orgs.RoleCatalog;
import dev.gatehouse.identity.orgs.Roles;
import dev.gatehouse.identity.users.UserId;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@link OrganizationStore} on the {@code organizations}, {@code organization_memberships}, {@code roles} and
 * {@code role_permissions} tables. Membership permissions are resolved from the role catalog read in the same
 * transaction, so a read never mixes two versions of a role. Thread-safe.
 */
final class JdbcOrganizationStore implements OrganizationStore {
    private static final String ORG_COLUMNS = "o.id, o.slug, o.name, o.metadata, o.created_at, o.updated_at";
    private static final String MEMBERSHIP_SELECT = "SELECT " + ORG_COLUMNS + ", m.user_id, m.role_key, "
            + "m.created_at AS m_created_at, m.updated_at AS m_updated_at "
            + "FROM organization_memberships m JOIN organizations o ON o.id = m.organization_id ";

    private final IdentityDatabase db;
    private final Clock clock;
    private final SecureRandom random;

    JdbcOrganizationStore(IdentityDatabase db, Clock clock, SecureRandom random) {
        this.db = db;
        this.clock = clock;
        this.random = random;
    }

    @Override
    public Organization create(NewOrganization n) {
        Instant now = IdentityDatabase.now(clock);
        Organization org = new Organization(OrganizationId.random(random), n.slug(), n.name(), n.metadata(), now, now);
        return db.transaction("create organization", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO organizations "
                    + "(id, slug, name, metadata, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, org.id().value());
                ps.setString(2, org.slug());
                ps.setString(3, org.name());
                ps.setString(4, MetadataJson.write(org.metadata(), "metadata"));
                ps.setObject(5, timestamp(now));
                ps.setObject(6, timestamp(now));
                ps.executeUpdate();
            } catch (SQLException e) {
                if (IdentityDatabase.isUniqueViolation(e)) {
                    throw new SlugTakenException(org.slug());
                }
                throw e;
            }
            return org;
        });
    }

    @Override
    public Optional<Organization> find(OrganizationId id) {
        return db.transaction("find organization", c -> selectOrganization(c, "o.id = ?", id.value()));
    }

    @Override
    public Optional<Organization> findBySlug(String slug) {
        return db.transaction("find organization by slug", c -> selectOrganization(c, "o.slug = ?", slug));
    }

    @Override
    public Organization update(Organization org) {
        Instant now = IdentityDatabase.now(clock);
        return db.transaction("update organization", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE organizations SET slug = ?, name = ?, metadata = ?, updated_at = ? WHERE id = ?")) {
                ps.setString(1, org.slug());
                ps.setString(2, org.name());
                ps.setString(3, MetadataJson.write(org.metadata(), "metadata"));
                ps.setObject(4, timestamp(now));
                ps.setString(5, org.id().value());
                if (ps.executeUpdate() == 0) {
                    throw new NotFoundException("organization " + org.id());
                }
            } catch (SQLException e) {
                if (IdentityDatabase.isUniqueViolation(e)) {
                    throw new SlugTakenException(org.slug());
                }
                throw e;
            }
            return selectOrganization(c, "o.id = ?", org.id().value()).orElseThrow();
        });
    }

    @Override
    public boolean delete(OrganizationId id) {
        return db.transaction("delete organization", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM organizations WHERE id = ?")) {
                ps.setString(1, id.value());
                return ps.executeUpdate() > 0;
            }
        });
    }

    @Override
    public Page<Organization> list(PageRequest page) {
        return db.transaction("list organizations", c -> {
            long total = count(c, "SELECT COUNT(*) FROM organizations", null);
            List<Organization> orgs = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + ORG_COLUMNS + " FROM organizations o "
                    + "ORDER BY o.created_at, o.id LIMIT ? OFFSET ?")) {
                ps.setInt(1, page.limit());
                ps.setInt(2, page.offset());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        orgs.add(readOrganization(rs));
                    }
                }
            }
            return new Page<>(orgs, total, page);
        });
    }

    @Override
    public OrganizationMembership addMember(OrganizationId organization, UserId user, String role) {
        String key = Roles.requireValidRole(role);
        Instant now = IdentityDatabase.now(clock);
        return db.transaction("add member", c -> {
            RoleCatalog catalog = loadCatalog(c);
            requireKnown(catalog, key);
            Organization org = selectOrganization(c, "o.id = ?", organization.value())
                    .orElseThrow(() -> new NotFoundException("organization " + organization));
            if (count(c, "SELECT COUNT(*) FROM users WHERE id = ?", user.value()) == 0) {
                throw new NotFoundException("user " + user);
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO organization_memberships "
                    + "(organization_id, user_id, role_key, created_at, updated_at) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, organization.value());
                ps.setString(2, user.value());
                ps.setString(3, key);
                ps.setObject(4, timestamp(now));
                ps.setObject(5, timestamp(now));
                ps.executeUpdate();
            } catch (SQLException e) {
                if (IdentityDatabase.isUniqueViolation(e)) {
                    throw new AlreadyMemberException(user.value(), org.slug());
                }
                if (IdentityDatabase.isMissingReference(e)) {
                    throw new NotFoundException("user " + user + " or organization " + organization);
                }
                throw e;
            }
            return new OrganizationMembership(org, user, key, catalog.permissionsOf(key), now, now);
        });
    }

    @Override
    public OrganizationMembership changeRole(OrganizationId organization, UserId user, String role) {
        String key = Roles.requireValidRole(role);
        Instant now = IdentityDatabase.now(clock);
        return db.transaction("change role", c -> {
            RoleCatalog catalog = loadCatalog(c);
            requireKnown(catalog, key);
            try (PreparedStatement ps = c.prepareStatement("UPDATE organization_memberships SET role_key = ?, updated_at = ? "
                    + "WHERE organization_id = ? AND user_id = ?")) {
                ps.setString(1, key);
                ps.setObject(2, timestamp(now));
                ps.setString(3, organization.value());
                ps.setString(4, user.value());
                if (ps.executeUpdate() == 0) {
                    throw new NotFoundException("membership of " + user + " in " + organization);
                }
            }
            return selectMemberships(c, catalog, "WHERE m.organization_id = ? AND m.user_id = ?", organization.value(),
                    user.value()).get(0);
        });
    }

    @Override
    public boolean removeMember(OrganizationId organization, UserId user) {
        return db.transaction("remove member", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM organization_memberships WHERE organization_id = ? AND user_id = ?")) {
                ps.setString(1, organization.value());
                ps.setString(2, user.value());
                return ps.executeUpdate() > 0;
            }
        });
    }

    @Override
    public Optional<OrganizationMembership> membership(OrganizationId organization, UserId user) {
        return db.transaction("find membership", c -> selectMemberships(c, loadCatalog(c),
                "WHERE m.organization_id = ? AND m.user_id = ?", organization.value(), user.value()).stream().findFirst());
    }

    @Override
    public Page<OrganizationMembership> members(OrganizationId organization, PageRequest page) {
        return db.transaction("list members", c -> {
            if (selectOrganization(c, "o.id = ?", organization.value()).isEmpty()) {
                throw new NotFoundException("organization " + organization);
            }
            long total = count(c, "SELECT COUNT(*) FROM organization_memberships WHERE organization_id = ?", organization.value());
            List<OrganizationMembership> members = selectMemberships(c, loadCatalog(c),
                    "WHERE m.organization_id = ? ORDER BY m.created_at, m.user_id LIMIT " + page.limit() + " OFFSET " + page.offset(),
                    organization.value());
            return new Page<>(members, total, page);
        });
    }

    @Override
    public List<OrganizationMembership> membershipsOf(UserId user) {
        return db.transaction("list memberships", c -> selectMemberships(c, loadCatalog(c),
                "WHERE m.user_id = ? ORDER BY m.created_at, o.id", user.value()));
    }

    @Override
    public RoleCatalog roles() {
        return db.transaction("read roles", JdbcOrganizationStore::loadCatalog);
    }

    @Override
    public Role defineRole(Role role) {
        if (role.key().equals(Roles.ADMIN)) {
            throw new IllegalArgumentException(Roles.ADMIN + " always holds every permission; it cannot be redefined");
        }
        Instant now = IdentityDatabase.now(clock);
        return db.transaction("define role", c -> {
            boolean exists;
            try (PreparedStatement ps = c.prepareStatement("UPDATE roles SET name = ? WHERE role_key = ?")) {
                ps.setString(1, role.name());
                ps.setString(2, role.key());
                exists = ps.executeUpdate() > 0;
            }
            if (!exists) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO roles (role_key, name, created_at) VALUES (?, ?, ?)")) {
                    ps.setString(1, role.key());
                    ps.setString(2, role.name());
                    ps.setObject(3, timestamp(now));
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM role_permissions WHERE role_key = ?")) {
                ps.setString(1, role.key());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO role_permissions (role_key, permission) VALUES (?, ?)")) {
                for (String permission : role.permissions()) {
                    ps.setString(1, role.key());
                    ps.setString(2, permission);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return loadCatalog(c).role(role.key()).orElseThrow();
        });
    }

    private static RoleCatalog loadCatalog(Connection c) throws SQLException {
        Map<String, String> names = new LinkedHashMap<>();
        Map<String, Set<String>> permissions = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT r.role_key, r.name, p.permission FROM roles r "
                + "LEFT JOIN role_permissions p ON p.role_key = r.role_key ORDER BY r.created_at, r.role_key, p.permission");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String key = rs.getString(1);
                names.putIfAbsent(key, rs.getString(2));
                Set<String> granted = permissions.computeIfAbsent(key, k -> new HashSet<>());
                String permission = rs.getString(3);
                if (permission != null) {
                    granted.add(permission);
                }
            }
        }
        List<Role> defined = new ArrayList<>();
        names.forEach((key, name) -> defined.add(new Role(key, name, permissions.get(key))));
        return new RoleCatalog(defined);
    }

    private static void requireKnown(RoleCatalog catalog, String key) {
        if (!catalog.contains(key)) {
            throw new UnknownRoleException(key, catalog.roles().stream().map(Role::key).toList());
        }
    }

    private static Optional<Organization> selectOrganization(Connection c, String where, String value) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + ORG_COLUMNS + " FROM organizations o WHERE " + where)) {
            ps.setString(1, value);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(readOrganization(rs)) : Optional.empty();
            }
        }
    }

    private static List<OrganizationMembership> selectMemberships(Connection c, RoleCatalog catalog, String rest,
            String... values) throws SQLException {
        List<OrganizationMembership> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(MEMBERSHIP_SELECT + rest)) {
            for (int i = 0; i < values.length; i++) {
                ps.setString(i + 1, values[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String role = rs.getString("role_key");
                    out.add(new OrganizationMembership(readOrganization(rs), new UserId(rs.getString("user_id")), role,
                            catalog.permissionsOf(role), instant(rs, "m_created_at"), instant(rs, "m_updated_at")));
                }
            }
        }
        return out;
    }

    private static long count(Connection c, String sql, String value) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (value != null) {
                ps.setString(1, value);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static Organization readOrganization(ResultSet rs) throws SQLException {
        return new Organization(new OrganizationId(rs.getString("id")), rs.getString("slug"), rs.getString("name"),
                MetadataJson.read(rs.getString("metadata")), instant(rs, "created_at"), instant(rs, "updated_at"));
    }
}
