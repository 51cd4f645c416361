package dev.gatehouse.identity.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.identity.store.DatabaseSettings;
import dev.gatehouse.identity.store.IdentityDatabase;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java example of {@code docs/embedded-provider.md} is this test's code, so the page cannot drift from the API. */
class EmbeddedProviderDocIT {
    static final Path SOURCE = Path.of(System.getProperty("basedir", "."))
            .resolve("src/test/java/dev/gatehouse/identity/provider/EmbeddedProviderDocIT.java");
    static final Path DOC = Path.of(System.getProperty("basedir", ".")).resolve("../docs/embedded-provider.md");

    @TempDir
    Path dataDir;

    @Test
    void theDocumentedExampleStartsAProviderAndRegistersTheGateway() throws Exception {
        // doc:start
        try (IdentityDatabase database = IdentityDatabase.open(DatabaseSettings.of("jdbc:h2:file:" + dataDir.resolve("gatehouse")));
             EmbeddedProvider provider = EmbeddedProvider.start(
                     ProviderSettings.defaults(dataDir.resolve("provider-keys.json")), database)) {
            provider.register(ClientRegistration.webClient("gateway", "a-long-random-client-secret",
                    URI.create("http://localhost:8080/auth/callback"),
                    URI.create("http://localhost:8080/"),
                    URI.create("http://localhost:8080/auth/backchannel-logout")));
            URI issuer = provider.issuer(); // http://127.0.0.1:<port> unless a public URL is set
        }
        // doc:end
        assertThat(dataDir.resolve("provider-keys.json")).isRegularFile();
        assertThat(Files.readString(dataDir.resolve("provider-keys.json"))).contains("\"kty\":\"EC\"");
    }

    @Test
    void theDocumentationShowsExactlyThisExample() throws Exception {
        List<String> lines = Files.readAllLines(SOURCE, StandardCharsets.UTF_8);
        List<String> example = new ArrayList<>();
        boolean in = false;
        for (String line : lines) {
            if (line.strip().equals("// doc:end")) {
                break;
            }
            if (in) {
                example.add(line.length() >= 8 ? line.substring(8) : line.strip());
            }
            if (line.strip().equals("// doc:start")) {
                in = true;
            }
        }
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        assertThat(example).hasSizeGreaterThan(5);
        assertThat(doc).contains("```java\n" + String.join("\n", example) + "\n```");
    }
}
