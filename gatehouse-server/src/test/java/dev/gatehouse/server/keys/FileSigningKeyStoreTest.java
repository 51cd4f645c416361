package dev.gatehouse.server.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.ECKey;
import dev.gatehouse.server.config.GatewayConfig.Algorithm;
import dev.gatehouse.server.e2e.MutableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSigningKeyStoreTest {
    @TempDir
    Path dir;

    private Path file;
    private String original;
    private String privatePart;

    @BeforeEach
    void writeAValidKeyFile() throws Exception {
        file = dir.resolve("signing-keys.json");
        new SigningKeys(new FileSigningKeyStore(file), Algorithm.ES256, Duration.ofHours(1), Duration.ofMinutes(1),
                new MutableClock(Instant.parse("2026-01-01T00:00:00Z"))).start();
        original = Files.readString(file);
        privatePart = ((ECKey) new FileSigningKeyStore(file).load().get(0).key()).getD().toString();
    }

    /** Loading must fail with a message that names the file and holds nothing of the key. */
    private void assertUnreadable(String content) throws IOException {
        Files.writeString(file, content);
        assertThatThrownBy(() -> new FileSigningKeyStore(file).load())
                .isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString())
                .satisfies(e -> assertThat(messages(e)).doesNotContain(privatePart)
                        .doesNotContain(privatePart.substring(0, 12)));
        // And the gateway does not quietly replace a key file it cannot read.
        assertThatThrownBy(() -> new SigningKeys(new FileSigningKeyStore(file), Algorithm.ES256, Duration.ofHours(1),
                Duration.ofMinutes(1), new MutableClock(Instant.parse("2026-01-01T00:00:00Z"))).start())
                .isInstanceOf(IOException.class);
        assertThat(Files.readString(file)).isEqualTo(content);
    }

    private static String messages(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }

    @Test
    void missingFileIsAFirstStart() throws Exception {
        assertThat(new FileSigningKeyStore(dir.resolve("none.json")).load()).isEmpty();
    }

    @Test
    void savedKeysLoadBackWithTheirLife() throws Exception {
        List<StoredKey> keys = new FileSigningKeyStore(file).load();
        assertThat(keys).hasSize(1);
        assertThat(keys.get(0).activatedAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(keys.get(0).publishUntil()).isNull();
        assertThat(keys.get(0).key().isPrivate()).isTrue();
    }

    @Test
    void truncatedFileIsRefusedWithoutKeyMaterialInTheMessage() throws Exception {
        int d = original.indexOf(privatePart);
        assertUnreadable(original.substring(0, d + 20));
    }

    @Test
    void brokenJsonAroundThePrivateKeyIsRefusedWithoutEchoingIt() throws Exception {
        // An unquoted value makes a JSON parser quote the offending token in its message.
        assertUnreadable(original.replace("\"" + privatePart + "\"", privatePart));
    }

    @Test
    void keyThatIsNotAValidJwkIsRefusedWithoutKeyMaterialInTheMessage() throws Exception {
        String broken = original.replace("\"crv\" : \"P-256\"", "\"crv\" : \"P-999\"");
        assertThat(broken).isNotEqualTo(original);
        assertUnreadable(broken);
    }

    @Test
    void entryWithoutActivationTimeIsRefused() throws Exception {
        String broken = original.replaceAll("\"activatedAt\" : \"[^\"]+\",?", "");
        assertThat(broken).isNotEqualTo(original);
        assertUnreadable(broken);
    }

    @Test
    void fileThatIsNotAKeyFileIsRefusedRatherThanOverwritten() throws Exception {
        assertUnreadable("not json at all");
        assertUnreadable("{\"something\": \"else\"}");
        assertUnreadable("[1, 2, 3]");
    }
}
