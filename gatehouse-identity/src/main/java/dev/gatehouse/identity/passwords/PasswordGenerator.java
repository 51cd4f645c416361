package dev.gatehouse.identity.passwords;

import java.security.SecureRandom;
import java.util.Objects;

/**
 * Passwords for people to copy once: four groups of five characters from an alphabet without look-alikes
 * (no 0/O, 1/l/I), more than 110 bits from the injected {@link SecureRandom}. Always passes {@link PasswordPolicy}.
 */
public final class PasswordGenerator {
    private static final String ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    private final SecureRandom random;

    public PasswordGenerator(SecureRandom random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    public String generate() {
        StringBuilder out = new StringBuilder(23);
        for (int i = 0; i < 20; i++) {
            if (i > 0 && i % 5 == 0) {
                out.append('-');
            }
            out.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return out.toString();
    }
}
