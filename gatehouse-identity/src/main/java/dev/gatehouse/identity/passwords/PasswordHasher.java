package dev.gatehouse.identity.passwords;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Base64;
import java.util.Objects;

/**
 * Argon2id password hashes as PHC strings ({@code $argon2id$v=19$m=19456,t=2,p=1$salt$hash}): each hash carries
 * the parameters it was made with, so {@link #verify} works across parameter changes and {@link #needsRehash}
 * tells when to store a fresh one. Salts come from the injected {@link SecureRandom}. Passwords are NFKC-normalised
 * first, so the same password typed on two keyboards verifies. Thread-safe; blocking and deliberately slow
 * (tens of milliseconds): never call on an event loop.
 */
public final class PasswordHasher {
    private static final int VERSION = Argon2Function.ARGON2_VERSION_13;

    private final Argon2Parameters parameters;
    private final Argon2Function function;
    private final SecureRandom random;

    public PasswordHasher(Argon2Parameters parameters, SecureRandom random) {
        this.parameters = Objects.requireNonNull(parameters, "parameters");
        this.random = Objects.requireNonNull(random, "random");
        this.function = Argon2Function.getInstance(parameters.memoryKiB(), parameters.iterations(),
                parameters.parallelism(), parameters.hashLength(), Argon2.ID, VERSION);
    }

    public Argon2Parameters parameters() {
        return parameters;
    }

    /** A PHC string for {@code password} with a fresh salt and the current parameters. */
    public String hash(CharSequence password) {
        Objects.requireNonNull(password, "password");
        byte[] salt = new byte[parameters.saltLength()];
        random.nextBytes(salt);
        return Password.hash(normalize(password)).addSalt(salt).with(function).getResult();
    }

    /**
     * True when {@code password} matches {@code storedHash} (compared in constant time). A missing or unreadable
     * hash gives false after the same amount of work as a real check, so the answer's timing does not tell
     * whether an account (or its password) exists.
     */
    public boolean verify(CharSequence password, String storedHash) {
        Objects.requireNonNull(password, "password");
        Argon2Function stored = storedHash == null ? null : argon2id(storedHash);
        if (stored == null) {
            hash(password);
            return false;
        }
        return Password.check(normalize(password), storedHash).with(stored);
    }

    /**
     * True when {@code storedHash} was not made with the current parameters (or is not an Argon2id hash at
     * all): after a successful sign-in, hash the password again and store that.
     */
    public boolean needsRehash(String storedHash) {
        Argon2Function stored = storedHash == null ? null : argon2id(storedHash);
        return stored == null
                || stored.getMemory() != parameters.memoryKiB()
                || stored.getIterations() != parameters.iterations()
                || stored.getParallelism() != parameters.parallelism()
                || stored.getOutputLength() != parameters.hashLength()
                || stored.getVersion() != VERSION
                || saltLength(storedHash) != parameters.saltLength();
    }

    /** The parameters of an Argon2id PHC string, or null when it is not one. */
    private static Argon2Function argon2id(String phc) {
        if (!phc.startsWith("$argon2id$")) {
            return null;
        }
        try {
            Argon2Function f = Argon2Function.getInstanceFromHash(phc);
            return f.getVariant() == Argon2.ID && saltLength(phc) > 0 ? f : null;
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    private static int saltLength(String phc) {
        String[] parts = phc.split("\\$");
        if (parts.length != 6) {
            return -1;
        }
        try {
            return Base64.getDecoder().decode(pad(parts[4])).length;
        } catch (IllegalArgumentException notBase64) {
            return -1;
        }
    }

    /** PHC strings drop base64 padding; the JDK decoder wants it back. */
    private static String pad(String unpadded) {
        return unpadded + "=".repeat((4 - unpadded.length() % 4) % 4);
    }

    private static String normalize(CharSequence password) {
        return Normalizer.normalize(password, Normalizer.Form.NFKC);
    }
}
