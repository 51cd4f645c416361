package dev.gatehouse.identity.users;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Email addresses as the identity provider compares them: kept as typed (trimmed), compared and made unique by
 * their lower-case form, so {@code Alice@Example.com} and {@code alice@example.com} are one account.
 */
public final class Emails {
    private static final Pattern FORM = Pattern.compile("[^\\s@\\p{Cntrl}]+@[^\\s@\\p{Cntrl}]+");
    private static final int MAX_LENGTH = 320;

    private Emails() {
    }

    /** The address trimmed, or an {@link IllegalArgumentException} naming what is wrong with it. */
    public static String requireValid(String email) {
        if (email == null || email.isBlank()) {
            throw new IllegalArgumentException("email is required");
        }
        String trimmed = email.strip();
        if (trimmed.length() > MAX_LENGTH || !FORM.matcher(trimmed).matches()) {
            throw new IllegalArgumentException("not an email address: " + trimmed);
        }
        return trimmed;
    }

    /** The form under which an address is unique and looked up. */
    public static String key(String email) {
        return email.strip().toLowerCase(Locale.ROOT);
    }
}
