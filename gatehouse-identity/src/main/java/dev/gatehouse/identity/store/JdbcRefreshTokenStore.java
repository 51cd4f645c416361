package dev.gatehouse.identity.store;

import static dev.gatehouse.identity.store.IdentityDatabase.instant;
import static dev.gatehouse.identity.store.IdentityDatabase.timestamp;

import dev.gatehouse.identity.users.UserId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link RefreshTokenStore} on the {@code refresh_tokens} table. Thread-safe: each call takes its own connection. */
final class JdbcRefreshTokenStore implements RefreshTokenStore {
    private static final String COLUMNS = "token_hash, family_id, client_id, user_id, session_id, organization_id, "
            + "scope, auth_time, issued_at, expires_at, used_at, revoked_at";

    private final IdentityDatabase db;

    JdbcRefreshTokenStore(IdentityDatabase db) {
        this.db = db;
    }

    @Override
    public void issue(RefreshToken token) {
        db.transaction("store refresh token", c -> {
            insert(c, token);
            return null;
        });
    }

    @Override
    public Optional<RefreshToken> find(String tokenHash) {
        return db.transaction("find refresh token", c -> select(c, tokenHash, false));
    }

    @Override
    public RefreshRotation rotate(String tokenHash, String successorHash, Instant at) {
        Instant now = at.truncatedTo(ChronoUnit.MICROS);
        return db.transaction("rotate refresh token", c -> {
            Optional<RefreshToken> found = select(c, tokenHash, true);
            if (found.isEmpty()) {
                return new RefreshRotation.Invalid();
            }
            RefreshToken token = found.get();
            if (token.revokedAt() != null || !token.expiresAt().isAfter(now)) {
                return new RefreshRotation.Invalid();
            }
            if (token.usedAt() != null) {
                revoke(c, "family_id", token.familyId(), now);
                return new RefreshRotation.Reused(token);
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE refresh_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL")) {
                ps.setObject(1, timestamp(now));
                ps.setString(2, tokenHash);
                if (ps.executeUpdate() != 1) {
                    revoke(c, "family_id", token.familyId(), now);
                    return new RefreshRotation.Reused(token);
                }
            }
            RefreshToken successor = token.successor(successorHash, now);
            insert(c, successor);
            return new RefreshRotation.Rotated(token, successor);
        });
    }

    @Override
    public List<RefreshToken> revokeFamily(String familyId, Instant now) {
        return db.transaction("revoke refresh token family", c -> revoke(c, "family_id", familyId, now));
    }

    @Override
    public List<RefreshToken> revokeSession(String sessionId, Instant now) {
        return db.transaction("revoke refresh tokens of a session", c -> revoke(c, "session_id", sessionId, now));
    }

    @Override
    public List<String> clientsOfSession(String sessionId) {
        return db.transaction("clients of a session", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT DISTINCT client_id FROM refresh_tokens WHERE session_id = ? ORDER BY client_id")) {
                ps.setString(1, sessionId);
                List<String> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
                return out;
            }
        });
    }

    /** Marks the live tokens where {@code column = value} revoked and returns them as they were. */
    private static List<RefreshToken> revoke(Connection c, String column, String value, Instant at) throws SQLException {
        Instant now = at.truncatedTo(ChronoUnit.MICROS);
        List<RefreshToken> live = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM refresh_tokens WHERE " + column
                + " = ? AND revoked_at IS NULL FOR UPDATE")) {
            ps.setString(1, value);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    live.add(read(rs));
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE refresh_tokens SET revoked_at = ? WHERE " + column
                + " = ? AND revoked_at IS NULL")) {
            ps.setObject(1, timestamp(now));
            ps.setString(2, value);
            ps.executeUpdate();
        }
        return live;
    }

    private static void insert(Connection c, RefreshToken t) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO refresh_tokens (" + COLUMNS + ") "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, t.tokenHash());
            ps.setString(2, t.familyId());
            ps.setString(3, t.clientId());
            ps.setString(4, t.userId().value());
            ps.setString(5, t.sessionId());
            ps.setString(6, t.organizationId());
            ps.setString(7, t.scope());
            ps.setObject(8, timestamp(t.authTime()));
            ps.setObject(9, timestamp(t.issuedAt()));
            ps.setObject(10, timestamp(t.expiresAt()));
            setTime(ps, 11, t.usedAt());
            setTime(ps, 12, t.revokedAt());
            ps.executeUpdate();
        }
    }

    private static void setTime(PreparedStatement ps, int index, Instant value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setObject(index, timestamp(value));
        }
    }

    private static Optional<RefreshToken> select(Connection c, String tokenHash, boolean forUpdate) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM refresh_tokens WHERE token_hash = ?"
                + (forUpdate ? " FOR UPDATE" : ""))) {
            ps.setString(1, tokenHash);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    private static RefreshToken read(ResultSet rs) throws SQLException {
        return new RefreshToken(rs.getString("token_hash"), rs.getString("family_id"), rs.getString("client_id"),
                new UserId(rs.getString("user_id")), rs.getString("session_id"), rs.getString("organization_id"),
                rs.getString("scope"), instant(rs, "auth_time"), instant(rs, "issued_at"), instant(rs, "expires_at"),
                instant(rs, "used_at"), instant(rs, "revoked_at"));
    }
}
