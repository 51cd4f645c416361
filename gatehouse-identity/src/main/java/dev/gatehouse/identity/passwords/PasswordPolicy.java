package dev.gatehouse.identity.passwords;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a new password must be (NIST SP 800-63B style: length and a block-list, no composition rules): at least
 * {@value #MIN_LENGTH} characters, at most {@value #MAX_LENGTH}, and not one of the common passwords shipped in
 * {@code common-passwords.txt} (compared without regard to case). Immutable and thread-safe.
 */
public final class PasswordPolicy {
    public static final int MIN_LENGTH = 10;
    public static final int MAX_LENGTH = 256;

    private static final PasswordPolicy STANDARD = new PasswordPolicy(loadCommonPasswords());

    private final Set<String> common;

    private PasswordPolicy(Set<String> common) {
        this.common = Set.copyOf(common);
    }

    public static PasswordPolicy standard() {
        return STANDARD;
    }

    /** How many common passwords the policy refuses. */
    public int commonPasswordCount() {
        return common.size();
    }

    /** The first problem with {@code password}, or empty when it is acceptable. */
    public Optional<PasswordProblem> problem(CharSequence password) {
        int length = password.toString().codePointCount(0, password.length());
        if (length < MIN_LENGTH) {
            return Optional.of(new PasswordProblem(PasswordProblem.Reason.TOO_SHORT,
                    "Password is too short: use at least " + MIN_LENGTH + " characters."));
        }
        if (length > MAX_LENGTH) {
            return Optional.of(new PasswordProblem(PasswordProblem.Reason.TOO_LONG,
                    "Password is too long: use at most " + MAX_LENGTH + " characters."));
        }
        if (common.contains(password.toString().toLowerCase(Locale.ROOT))) {
            return Optional.of(new PasswordProblem(PasswordProblem.Reason.COMMON,
                    "Password is too common: it is on a list of passwords that attackers try first. Choose another."));
        }
        return Optional.empty();
    }

    /** Throws {@link WeakPasswordException} with the problem's message when {@code password} is refused. */
    public void requireAcceptable(CharSequence password) {
        Optional<PasswordProblem> problem = problem(password);
        if (problem.isPresent()) {
            throw new WeakPasswordException(problem.get());
        }
    }

    private static Set<String> loadCommonPasswords() {
        Set<String> out = new HashSet<>();
        try (InputStream in = PasswordPolicy.class.getResourceAsStream("common-passwords.txt")) {
            if (in == null) {
                throw new IllegalStateException("common-passwords.txt is missing from the classpath");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                String entry = line.strip();
                if (!entry.isEmpty() && !entry.startsWith("#")) {
                    out.add(entry.toLowerCase(Locale.ROOT));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
