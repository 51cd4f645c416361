package dev.gatehouse.identity.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.identity.metadata.Metadata;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UserTest {

    @Test
    void idsArePrefixedFixedLengthAndRandom() {
        SecureRandom random = new SecureRandom();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            UserId id = UserId.random(random);
            assertThat(id.value()).matches("user_[0-9a-z]{25}");
            ids.add(id.value());
        }
        assertThat(ids).hasSize(1000);
        assertThatThrownBy(() -> new UserId("org_abc")).hasMessage("not a user id: org_abc");
    }

    @Test
    void emailsAreTrimmedCheckedAndKeyedInLowerCase() {
        assertThat(Emails.requireValid("  Alice@Example.COM ")).isEqualTo("Alice@Example.COM");
        assertThat(Emails.key("Alice@Example.COM")).isEqualTo("alice@example.com");
        assertThatThrownBy(() -> Emails.requireValid("alice")).hasMessage("not an email address: alice");
        assertThatThrownBy(() -> Emails.requireValid("a b@example.com")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Emails.requireValid("a@b@example.com")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Emails.requireValid(" ")).hasMessage("email is required");
    }

    @Test
    void toStringLeavesOutThePasswordHashAndPrivateMetadata() {
        User user = new User(new UserId("user_abc"), "alice@example.com", true, "Alice", null,
                "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g", Metadata.EMPTY,
                Metadata.of(Map.of("ssn", "078-05-1120")), Metadata.EMPTY, Instant.EPOCH, Instant.EPOCH, null);

        assertThat(user.toString()).contains("alice@example.com", "hasPassword=true")
                .doesNotContain("argon2id", "078-05-1120");
        assertThat(NewUser.withEmail("alice@example.com").passwordHash("$argon2id$secret").toString())
                .doesNotContain("argon2id");
    }
}
