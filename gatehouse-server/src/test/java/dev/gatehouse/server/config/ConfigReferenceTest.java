package dev.gatehouse.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code docs/configuration.md} true to the loader: its key tables name exactly the keys the loader reads,
 * and its YAML examples load. The doc's reference tables are those whose header starts with {@code | Key |}.
 */
class ConfigReferenceTest {
    private static final Path DOC = Path.of("..", "docs", "configuration.md");
    private static final Map<String, String> ENV = Map.of("OIDC_CLIENT_SECRET", "example-secret");
    private static final Pattern FIRST_CELL = Pattern.compile("^\\|\\s*`([^`]+)`\\s*\\|");
    private static final Pattern YAML_BLOCK = Pattern.compile("(?m)^## ([^\\n]+)$|^```yaml\\n(.*?)^```$", Pattern.DOTALL);
    /** Keys the complete example leaves out because they contradict a key it uses (client_auth: client_secret_basic). */
    private static final Set<String> NOT_IN_COMPLETE_EXAMPLE = Set.of("identity.private_key_file");

    private static String doc() throws IOException {
        return Files.readString(DOC);
    }

    /** The first-column code spans of every table whose header's first cell is {@code header}, in order. */
    private static List<String> tableKeys(String doc, String header) {
        List<String> keys = new ArrayList<>();
        boolean inTable = false;
        for (String line : doc.split("\n")) {
            if (!line.startsWith("|")) {
                inTable = false;
            } else if (line.matches("^\\|\\s*" + Pattern.quote(header) + "\\s*\\|.*")) {
                inTable = true;
            } else if (inTable) {
                Matcher m = FIRST_CELL.matcher(line);
                if (m.find()) {
                    keys.add(m.group(1));
                }
            }
        }
        return keys;
    }

    /** Each ```yaml block, keyed by the title of the {@code ##} section it is in. */
    private static Map<String, String> examples(String doc) {
        Map<String, String> blocks = new LinkedHashMap<>();
        String section = "(top)";
        Matcher m = YAML_BLOCK.matcher(doc);
        while (m.find()) {
            if (m.group(1) != null) {
                section = m.group(1).trim();
            } else {
                blocks.put(section, m.group(2));
            }
        }
        return blocks;
    }

    private static void collectKeys(JsonNode node, String path, Set<String> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                String p = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                out.add(p);
                if (!p.equals("identity.claims")) {
                    collectKeys(e.getValue(), p, out);
                }
            });
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                collectKeys(item, path + "[]", out);
            }
        }
    }

    @Test
    void everyKnownKeyIsDocumented() throws Exception {
        Set<String> missing = new TreeSet<>(ConfigLoader.knownKeys());
        missing.removeAll(tableKeys(doc(), "Key"));

        assertThat(missing).as("keys the loader reads but docs/configuration.md does not list").isEmpty();
    }

    @Test
    void everyDocumentedKeyIsKnown() throws Exception {
        Set<String> unknown = new TreeSet<>(tableKeys(doc(), "Key"));
        unknown.removeAll(ConfigLoader.knownKeys());

        assertThat(unknown).as("keys docs/configuration.md lists but the loader does not read").isEmpty();
    }

    @Test
    void everyKeyIsDocumentedOnce() throws Exception {
        List<String> keys = tableKeys(doc(), "Key");

        assertThat(keys).doesNotHaveDuplicates();
    }

    @Test
    void claimsMappingTableListsExactlyTheMappingsTheLoaderAccepts() throws Exception {
        List<String> documented = tableKeys(doc(), "Claim mapping");
        List<String> accepted;
        try {
            new ConfigLoader(ENV::get).parse("""
                    identity: { issuer: "https://idp.example.com", client_id: x, client_secret: y, claims: { no_such_mapping: x } }
                    routes: [{ match: /**, upstream: "http://127.0.0.1:1" }]
                    """);
            throw new AssertionError("an unknown claim mapping was accepted");
        } catch (ConfigException e) {
            String message = e.errors().get(0);
            accepted = Arrays.asList(message.substring(message.indexOf("(known: ") + 8, message.length() - 1).split(", "));
        }

        assertThat(documented).containsExactlyInAnyOrderElementsOf(accepted);
    }

    @Test
    void everyYamlExampleLoads() throws Exception {
        Map<String, String> examples = examples(doc());
        assertThat(examples).containsKeys("Complete example", "Minimal example for any OpenID Connect provider");

        examples.forEach((section, yaml) -> {
            try {
                new ConfigLoader(ENV::get).parse(yaml);
            } catch (ConfigException e) {
                fail("the example in \"" + section + "\" does not load:\n" + e.getMessage());
            }
        });
    }

    @Test
    void completeExampleUsesEveryKey() throws Exception {
        String complete = examples(doc()).get("Complete example");
        Set<String> used = new LinkedHashSet<>();
        collectKeys(new ObjectMapper(new YAMLFactory()).readTree(complete), "", used);
        Set<String> unused = new TreeSet<>(ConfigLoader.knownKeys());
        unused.removeAll(used);
        unused.removeAll(NOT_IN_COMPLETE_EXAMPLE);

        assertThat(unused).as("keys missing from the complete example").isEmpty();
    }

    @Test
    void completeExampleMeansWhatItsCommentsSay() throws Exception {
        GatewayConfig c = new ConfigLoader(ENV::get).parse(examples(doc()).get("Complete example"));

        assertThat(c.identity().clientSecret()).isEqualTo("example-secret");
        assertThat(c.identity().claims()).containsOnlyKeys(tableKeys(doc(), "Claim mapping"));
        assertThat(c.routes()).extracting(GatewayConfig.Route::match).containsExactly("/api/billing/**", "/api/admin/**", "/**", "/**");
        assertThat(c.routes().get(2).host()).isEqualTo("status.example.com");
    }
}
