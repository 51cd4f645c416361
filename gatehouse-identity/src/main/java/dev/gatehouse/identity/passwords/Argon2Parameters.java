package dev.gatehouse.identity.passwords;

/**
 * Argon2id cost and sizes. {@link #DEFAULT} is OWASP's recommended minimum (19 MiB, 2 passes, 1 lane); raise it
 * as hardware allows: hashes made with older parameters keep verifying and report {@code needsRehash}.
 */
public record Argon2Parameters(int memoryKiB, int iterations, int parallelism, int hashLength, int saltLength) {
    public static final Argon2Parameters DEFAULT = new Argon2Parameters(19_456, 2, 1, 32, 16);

    public Argon2Parameters {
        if (parallelism < 1 || parallelism > 16) {
            throw new IllegalArgumentException("parallelism must be between 1 and 16: " + parallelism);
        }
        if (memoryKiB < 8 * parallelism) {
            throw new IllegalArgumentException("memoryKiB must be at least 8 per lane: " + memoryKiB);
        }
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be at least 1: " + iterations);
        }
        if (hashLength < 16 || hashLength > 64) {
            throw new IllegalArgumentException("hashLength must be between 16 and 64 bytes: " + hashLength);
        }
        if (saltLength < 16 || saltLength > 64) {
            throw new IllegalArgumentException("saltLength must be between 16 and 64 bytes: " + saltLength);
        }
    }
}
