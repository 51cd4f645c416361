package dev.gatehouse.identity.orgs;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.regex.Pattern;

/** An organization's stable id, {@code org_} and 25 lower-case base-36 characters (128 random bits). */
public record OrganizationId(String value) {
    private static final Pattern FORM = Pattern.compile("org_[0-9a-z]{1,64}");

    public OrganizationId {
        Objects.requireNonNull(value, "value");
        if (!FORM.matcher(value).matches()) {
            throw new IllegalArgumentException("not an organization id: " + value);
        }
    }

    public static OrganizationId random(SecureRandom random) {
        byte[] bits = new byte[16];
        random.nextBytes(bits);
        String digits = new BigInteger(1, bits).toString(36);
        return new OrganizationId("org_" + "0".repeat(25 - digits.length()) + digits);
    }

    @Override
    public String toString() {
        return value;
    }
}
