package dev.gatehouse.identity.passwords;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.identity.passwords.PasswordProblem.Reason;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PasswordPolicyTest {
    private final PasswordPolicy policy = PasswordPolicy.standard();

    @Test
    void refusesPasswordsShorterThanTenCharactersWithAMessageThatSaysSo() {
        assertThat(policy.problem("xK9#mQ2$v")).contains(new PasswordProblem(Reason.TOO_SHORT,
                "Password is too short: use at least 10 characters."));
        assertThat(policy.problem("")).map(PasswordProblem::reason).contains(Reason.TOO_SHORT);
        assertThat(policy.problem("xK9#mQ2$vL")).isEmpty();
    }

    @Test
    void countsCharactersNotCodeUnits() {
        // Nine emoji are eighteen UTF-16 code units but nine characters: still too short.
        assertThat(policy.problem("\uD83D\uDD11".repeat(9))).map(PasswordProblem::reason).contains(Reason.TOO_SHORT);
        assertThat(policy.problem("\uD83D\uDD11\uD83C\uDF35".repeat(5))).isEmpty();
    }

    @Test
    void refusesCommonPasswordsWhateverTheirCase() {
        for (String common : new String[] {"1234567890", "qwertyuiop", "Password123", "PASSWORD1234", "iloveyou12", "Welcome2025"}) {
            assertThat(policy.problem(common)).as(common).contains(new PasswordProblem(Reason.COMMON,
                    "Password is too common: it is on a list of passwords that attackers try first. Choose another."));
        }
    }

    @Test
    void refusesOverlongPasswords() {
        assertThat(policy.problem("a1".repeat(129))).map(PasswordProblem::reason).contains(Reason.TOO_LONG);
        assertThat(policy.problem("a1".repeat(128))).isEmpty();
    }

    @Test
    void acceptsALongUncommonPassphrase() {
        assertThat(policy.problem("correct horse battery staple")).isEmpty();
        policy.requireAcceptable("correct horse battery staple");
    }

    @Test
    void requireAcceptableThrowsTheProblemWithoutThePassword() {
        assertThatThrownBy(() -> policy.requireAcceptable("qwerty123456"))
                .isInstanceOf(WeakPasswordException.class)
                .hasMessage("Password is too common: it is on a list of passwords that attackers try first. Choose another.")
                .satisfies(e -> assertThat(((WeakPasswordException) e).problem().reason()).isEqualTo(Reason.COMMON))
                .extracting(Throwable::getMessage).asString().doesNotContain("qwerty123456");
    }

    @Test
    void shipsAtLeastTwoHundredCommonPasswords() {
        assertThat(policy.commonPasswordCount()).isGreaterThanOrEqualTo(200);
    }

    @Test
    void generatedPasswordsAreDistinctReadableAndPassThePolicy() {
        PasswordGenerator generator = new PasswordGenerator(new SecureRandom());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String password = generator.generate();
            assertThat(password).matches("[a-km-zA-HJ-NP-Z2-9]{5}(-[a-km-zA-HJ-NP-Z2-9]{5}){3}");
            assertThat(policy.problem(password)).isEmpty();
            seen.add(password);
        }
        assertThat(seen).hasSize(200);
    }
}
