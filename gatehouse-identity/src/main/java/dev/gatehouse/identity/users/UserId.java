package dev.gatehouse.identity.users;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.regex.Pattern;

/** A user's stable id, {@code user_} and 25 lower-case base-36 characters (128 random bits). */
public record UserId(String value) {
    private static final String PREFIX = "user_";
    private static final Pattern FORM = Pattern.compile("user_[0-9a-z]{1,64}");

    public UserId {
        Objects.requireNonNull(value, "value");
        if (!FORM.matcher(value).matches()) {
            throw new IllegalArgumentException("not a user id: " + value);
        }
    }

    public static UserId random(SecureRandom random) {
        return new UserId(PREFIX + randomPart(random));
    }

    /** 128 bits in base 36, left-padded so every id has the same length. */
    static String randomPart(SecureRandom random) {
        byte[] bits = new byte[16];
        random.nextBytes(bits);
        String digits = new BigInteger(1, bits).toString(36);
        return "0".repeat(25 - digits.length()) + digits;
    }

    @Override
    public String toString() {
        return value;
    }
}
