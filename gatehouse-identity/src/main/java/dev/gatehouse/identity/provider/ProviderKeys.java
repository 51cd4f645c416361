package dev.gatehouse.identity.provider;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * The provider's ES256 signing keys, newest first: the first signs, all are published in the JWKS so tokens
 * signed before a rotation keep verifying. Kept in one JSON Web Key Set file, written owner-only (rw-------) and
 * replaced atomically; generated when the file does not exist. Each key records when it was made (its JWK
 * {@code iat}), so the age of the signing key survives a restart; a key without it (a file from before) counts as
 * due for rotation. Thread-safe: {@link #rotate} swaps an immutable list.
 */
public final class ProviderKeys {
    /** The newest key and this many older ones stay published after a rotation. */
    static final int KEPT_AFTER_ROTATION = 2;

    private final Path file;
    private final Clock clock;
    private final SecureRandom random;
    private volatile List<ECKey> keys;

    private ProviderKeys(Path file, Clock clock, SecureRandom random, List<ECKey> keys) {
        this.file = file;
        this.clock = clock;
        this.random = random;
        this.keys = List.copyOf(keys);
    }

    /** Reads the key file, or generates a key and writes the file when there is none. Blocking file I/O. */
    public static ProviderKeys loadOrCreate(Path file, Clock clock, SecureRandom random) {
        if (Files.exists(file)) {
            try {
                JWKSet set = JWKSet.parse(Files.readString(file, StandardCharsets.UTF_8));
                List<ECKey> keys = new ArrayList<>();
                for (JWK jwk : set.getKeys()) {
                    if (!(jwk instanceof ECKey ec) || !ec.isPrivate() || !Curve.P_256.equals(ec.getCurve())) {
                        throw new IllegalStateException("the signing key file " + file + " holds a key that is not a "
                                + "private P-256 EC key (kid " + jwk.getKeyID() + ")");
                    }
                    keys.add(ec);
                }
                if (keys.isEmpty()) {
                    throw new IllegalStateException("the signing key file " + file + " holds no key");
                }
                return new ProviderKeys(file, clock, random, keys);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the signing key file " + file, e);
            } catch (ParseException e) {
                throw new IllegalStateException("the signing key file " + file + " is not a JSON Web Key Set", e);
            }
        }
        ProviderKeys created = new ProviderKeys(file, clock, random, List.of());
        created.keys = List.of(created.generate());
        created.save(created.keys);
        return created;
    }

    /** The key that signs now. */
    public ECKey signingKey() {
        return keys.get(0);
    }

    /** When the signing key was made; null for a key written before keys recorded it. */
    public Instant signingKeyCreated() {
        Date issued = signingKey().getIssueTime();
        return issued == null ? null : issued.toInstant();
    }

    /**
     * Rotates when the signing key has signed for {@code period} (by the clock) or its age is unknown; returns
     * whether it did. Blocking file I/O when it rotates; a cheap comparison otherwise.
     */
    public boolean rotateIfOlderThan(Duration period) {
        if (!due(period)) {
            return false;
        }
        synchronized (this) {
            if (!due(period)) {
                return false;
            }
            rotate();
            return true;
        }
    }

    private boolean due(Duration period) {
        Instant created = signingKeyCreated();
        return created == null || !clock.instant().isBefore(created.plus(period));
    }

    /** Every published key (public parts only). */
    public JWKSet publicKeys() {
        return new JWKSet(new ArrayList<JWK>(keys)).toPublicJWKSet();
    }

    /** Private keys, for verifying our own tokens (ID token hints, access tokens at userinfo). */
    List<ECKey> all() {
        return keys;
    }

    /**
     * Adds a new signing key in front and drops keys beyond {@link #KEPT_AFTER_ROTATION} older ones. The file is
     * written first: when that fails nothing changes, so no token is signed with a key a restart would lose.
     */
    public synchronized void rotate() {
        List<ECKey> next = new ArrayList<>();
        next.add(generate());
        next.addAll(keys.subList(0, Math.min(keys.size(), KEPT_AFTER_ROTATION)));
        save(next);
        keys = List.copyOf(next);
    }

    private ECKey generate() {
        byte[] id = new byte[12];
        random.nextBytes(id);
        try {
            return new ECKeyGenerator(Curve.P_256)
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.ES256)
                    .keyID(Base64URL.encode(id).toString())
                    .issueTime(Date.from(clock.instant()))
                    .secureRandom(random)
                    .generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate an ES256 key", e);
        }
    }

    private void save(List<ECKey> toWrite) {
        String json = new JWKSet(new ArrayList<JWK>(toWrite)).toString(false);
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = dir.resolve(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(tmp);
            }
            Files.writeString(tmp, json, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the signing key file " + file, e);
        }
    }
}
