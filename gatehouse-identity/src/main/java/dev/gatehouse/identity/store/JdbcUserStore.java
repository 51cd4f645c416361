package dev.gatehouse.identity.store;

import static dev.gatehouse.identity.store.IdentityDatabase.instant;
import static dev.gatehouse.identity.store.IdentityDatabase.timestamp;

import dev.gatehouse.identity.users.Emails;
import dev.gatehouse.identity.users.NewUser;
import dev.gatehouse.identity.users.User;
import dev.gatehouse.identity.users.UserId;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link UserStore} on the {@code users} table. Thread-safe: each call takes its own pooled connection. */
final class JdbcUserStore implements UserStore {
    private static final String COLUMNS = "id, email, email_verified, name, picture, password_hash, public_metadata, "
            + "private_metadata, unsafe_metadata, created_at, updated_at, last_sign_in_at";

    private final IdentityDatabase db;
    private final Clock clock;
    private final SecureRandom random;

    JdbcUserStore(IdentityDatabase db, Clock clock, SecureRandom random) {
        this.db = db;
        this.clock = clock;
        this.random = random;
    }

    @Override
    public User create(NewUser n) {
        Instant now = IdentityDatabase.now(clock);
        User user = new User(UserId.random(random), n.email(), n.emailVerified(), n.name(), n.picture(), n.passwordHash(),
                n.publicMetadata(), n.privateMetadata(), n.unsafeMetadata(), now, now, null);
        return db.transaction("create user", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO users (" + COLUMNS + ", email_key) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, user.id().value());
                ps.setString(2, user.email());
                ps.setBoolean(3, user.emailVerified());
                ps.setString(4, user.name());
                ps.setString(5, user.picture());
                ps.setString(6, user.passwordHash());
                ps.setString(7, MetadataJson.write(user.publicMetadata(), "publicMetadata"));
                ps.setString(8, MetadataJson.write(user.privateMetadata(), "privateMetadata"));
                ps.setString(9, MetadataJson.write(user.unsafeMetadata(), "unsafeMetadata"));
                ps.setObject(10, timestamp(now));
                ps.setObject(11, timestamp(now));
                ps.setNull(12, Types.TIMESTAMP_WITH_TIMEZONE);
                ps.setString(13, Emails.key(user.email()));
                ps.executeUpdate();
            } catch (SQLException e) {
                if (IdentityDatabase.isUniqueViolation(e)) {
                    throw new EmailTakenException(user.email());
                }
                throw e;
            }
            return user;
        });
    }

    @Override
    public Optional<User> find(UserId id) {
        return db.transaction("find user", c -> select(c, id));
    }

    @Override
    public Optional<User> findByEmail(String email) {
        String key = Emails.key(email);
        return db.transaction("find user by email", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM users WHERE email_key = ?")) {
                ps.setString(1, key);
                return one(ps);
            }
        });
    }

    @Override
    public User update(User user) {
        Instant now = IdentityDatabase.now(clock);
        return db.transaction("update user", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE users SET email = ?, email_key = ?, email_verified = ?, "
                    + "name = ?, picture = ?, public_metadata = ?, private_metadata = ?, unsafe_metadata = ?, updated_at = ? "
                    + "WHERE id = ?")) {
                ps.setString(1, user.email());
                ps.setString(2, Emails.key(user.email()));
                ps.setBoolean(3, user.emailVerified());
                ps.setString(4, user.name());
                ps.setString(5, user.picture());
                ps.setString(6, MetadataJson.write(user.publicMetadata(), "publicMetadata"));
                ps.setString(7, MetadataJson.write(user.privateMetadata(), "privateMetadata"));
                ps.setString(8, MetadataJson.write(user.unsafeMetadata(), "unsafeMetadata"));
                ps.setObject(9, timestamp(now));
                ps.setString(10, user.id().value());
                requireOne(ps.executeUpdate(), user.id());
            } catch (SQLException e) {
                if (IdentityDatabase.isUniqueViolation(e)) {
                    throw new EmailTakenException(user.email());
                }
                throw e;
            }
            return select(c, user.id()).orElseThrow();
        });
    }

    @Override
    public User setPasswordHash(UserId id, String passwordHash) {
        if (passwordHash != null && passwordHash.length() > 1024) {
            throw new IllegalArgumentException("passwordHash is longer than 1024 characters");
        }
        Instant now = IdentityDatabase.now(clock);
        return db.transaction("set password", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?")) {
                ps.setString(1, passwordHash);
                ps.setObject(2, timestamp(now));
                ps.setString(3, id.value());
                requireOne(ps.executeUpdate(), id);
            }
            return select(c, id).orElseThrow();
        });
    }

    @Override
    public User recordSignIn(UserId id) {
        Instant now = IdentityDatabase.now(clock);
        return db.transaction("record sign-in", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE users SET last_sign_in_at = ? WHERE id = ?")) {
                ps.setObject(1, timestamp(now));
                ps.setString(2, id.value());
                requireOne(ps.executeUpdate(), id);
            }
            return select(c, id).orElseThrow();
        });
    }

    @Override
    public boolean delete(UserId id) {
        return db.transaction("delete user", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM users WHERE id = ?")) {
                ps.setString(1, id.value());
                return ps.executeUpdate() > 0;
            }
        });
    }

    @Override
    public Page<User> list(PageRequest page) {
        return db.transaction("list users", c -> {
            long total;
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM users");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                total = rs.getLong(1);
            }
            List<User> users = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM users "
                    + "ORDER BY created_at, id LIMIT ? OFFSET ?")) {
                ps.setInt(1, page.limit());
                ps.setInt(2, page.offset());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        users.add(read(rs));
                    }
                }
            }
            return new Page<>(users, total, page);
        });
    }

    private static Optional<User> select(Connection c, UserId id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM users WHERE id = ?")) {
            ps.setString(1, id.value());
            return one(ps);
        }
    }

    private static Optional<User> one(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(read(rs)) : Optional.empty();
        }
    }

    private static void requireOne(int rows, UserId id) {
        if (rows == 0) {
            throw new NotFoundException("user " + id);
        }
    }

    private static User read(ResultSet rs) throws SQLException {
        return new User(new UserId(rs.getString("id")), rs.getString("email"), rs.getBoolean("email_verified"),
                rs.getString("name"), rs.getString("picture"), rs.getString("password_hash"),
                MetadataJson.read(rs.getString("public_metadata")), MetadataJson.read(rs.getString("private_metadata")),
                MetadataJson.read(rs.getString("unsafe_metadata")), instant(rs, "created_at"), instant(rs, "updated_at"),
                instant(rs, "last_sign_in_at"));
    }
}
