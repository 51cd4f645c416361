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
    private static final Map<String, String> ENV = Map.of("OIDC_CLIENT_SECRET", "example-secret",
            "IDENTITY_DB_PASSWORD", "example-db-password", "REPORTS_JOB_SECRET", "example-reports-job-secret-of-32-chars");
    private static final Pattern FIRST_CELL = Pattern.compile("^\\|\\s*`([^`]+)`\\s*\\|");
    private static final Pattern YAML_BLOCK = Pattern.compile("(?m)^## ([^\\n]+)$|^```yaml\\n(.*?)^```$", Pattern.DOTALL);
    /** Keys the complete example leaves out because they contradict a key it uses (client_auth: client_secret_basic). */
    private static final Set<String> NOT_IN_COMPLETE_EXAMPLE = Set.of("identity.private_key_file");
    /** A template's own name, whatever it is, stands as NAME in the docs ({@code token_templates.NAME.audience}). */
    private static final Pattern TEMPLATE_NAME = Pattern.compile("^token_templates\\.[^.]+");

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

    /** Each ```yaml block with the title of the {@code ##} section it is in; a section may hold several. */
    private static List<Map.Entry<String, String>> examples(String doc) {
        List<Map.Entry<String, String>> blocks = new ArrayList<>();
        String section = "(top)";
        Matcher m = YAML_BLOCK.matcher(doc);
        while (m.find()) {
            if (m.group(1) != null) {
                section = m.group(1).trim();
            } else {
                blocks.add(Map.entry(section, m.group(2)));
            }
        }
        return blocks;
    }

    /** The one ```yaml block of a section. */
    private static String example(String doc, String section) {
        List<String> found = examples(doc).stream().filter(e -> e.getKey().equals(section)).map(Map.Entry::getValue).toList();
        assertThat(found).as("yaml blocks in section " + section).hasSize(1);
        return found.get(0);
    }

    /** The loader's known keys with template names written as NAME, as the docs write them. */
    private static Set<String> knownKeys() {
        return withTemplateNames(ConfigLoader.knownKeys());
    }

    private static Set<String> withTemplateNames(Set<String> keys) {
        Set<String> out = new TreeSet<>();
        for (String k : keys) {
            out.add(TEMPLATE_NAME.matcher(k).replaceFirst("token_templates.NAME"));
        }
        return out;
    }

    /** The list in an error message's "(known: a, b, c)" tail. */
    private static List<String> knownList(String message) {
        int start = message.indexOf("(known: ");
        return Arrays.asList(message.substring(start + 8, message.indexOf(')', start)).split(", "));
    }

    private static void collectKeys(JsonNode node, String path, Set<String> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                String p = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                out.add(p);
                if (!p.equals("identity.claims") && !p.matches("token_templates\\.[^.]+\\.claims")) {
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
        Set<String> missing = knownKeys();
        missing.removeAll(tableKeys(doc(), "Key"));

        assertThat(missing).as("keys the loader reads but docs/configuration.md does not list").isEmpty();
    }

    @Test
    void everyDocumentedKeyIsKnown() throws Exception {
        Set<String> unknown = new TreeSet<>(tableKeys(doc(), "Key"));
        unknown.removeAll(knownKeys());

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
            accepted = knownList(e.errors().get(0));
        }

        assertThat(documented).containsExactlyInAnyOrderElementsOf(accepted);
    }

    @Test
    void placeholderTableListsExactlyThePlaceholdersTemplatesAccept() throws Exception {
        List<String> documented = tableKeys(doc(), "Placeholder");
        List<String> accepted;
        try {
            new ConfigLoader(ENV::get).parse("""
                    identity: { issuer: "https://idp.example.com", client_id: x, client_secret: y }
                    token_templates: { t: { audience: a, claims: { c: "{{no.such.placeholder}}" } } }
                    routes: [{ match: /**, upstream: "http://127.0.0.1:1" }]
                    """);
            throw new AssertionError("an unknown placeholder was accepted");
        } catch (ConfigException e) {
            accepted = knownList(e.errors().get(0));
        }

        assertThat(documented).containsExactlyInAnyOrderElementsOf(accepted);
    }

    @Test
    void everyDocumentedStandardClaimIsRefusedInTemplatesAndEveryReservedOneIsDocumented() throws Exception {
        List<String> documented = tableKeys(doc(), "Standard claim");

        assertThat(documented).containsAll(dev.gatehouse.core.tokens.TokenTemplate.RESERVED);
        for (String claim : documented) {
            try {
                new ConfigLoader(ENV::get).parse("""
                        identity: { issuer: "https://idp.example.com", client_id: x, client_secret: y }
                        token_templates: { t: { audience: a, claims: { %s: x } } }
                        routes: [{ match: /**, upstream: "http://127.0.0.1:1" }]
                        """.formatted(claim));
                fail("a template may set the standard claim " + claim);
            } catch (ConfigException e) {
                assertThat(e.errors()).containsExactly("token_templates.t.claims." + claim + ": is reserved and set by Gatehouse");
            }
        }
    }

    @Test
    void everyYamlExampleLoads() throws Exception {
        List<Map.Entry<String, String>> examples = examples(doc());
        assertThat(examples).extracting(Map.Entry::getKey)
                .contains("Complete example", "Minimal example for any OpenID Connect provider", "`token_templates`");

        for (Map.Entry<String, String> example : examples) {
            try {
                new ConfigLoader(ENV::get).parse(example.getValue());
            } catch (ConfigException e) {
                fail("an example in \"" + example.getKey() + "\" does not load:\n" + e.getMessage());
            }
        }
    }

    @Test
    void completeExampleUsesEveryKey() throws Exception {
        // identity.embedded and identity.issuer exclude each other, so the embedded provider has its own example
        Set<String> used = new LinkedHashSet<>();
        for (String section : List.of("Complete example", "Complete example with the embedded provider")) {
            collectKeys(new ObjectMapper(new YAMLFactory()).readTree(example(doc(), section)), "", used);
        }
        Set<String> unused = knownKeys();
        unused.removeAll(withTemplateNames(used));
        unused.removeAll(NOT_IN_COMPLETE_EXAMPLE);

        assertThat(unused).as("keys missing from the complete example").isEmpty();
    }

    @Test
    void completeExampleMeansWhatItsCommentsSay() throws Exception {
        GatewayConfig c = new ConfigLoader(ENV::get).parse(example(doc(), "Complete example"));

        assertThat(c.identity().clientSecret()).isEqualTo("example-secret");
        assertThat(c.identity().claims()).containsOnlyKeys(tableKeys(doc(), "Claim mapping"));
        assertThat(c.identity().bearerAudiences()).containsExactly("gatehouse", "acme-mobile");
        assertThat(c.routes()).extracting(GatewayConfig.Route::match)
                .containsExactly("/api/billing/**", "/api/reports/**", "/api/admin/**", "/**", "/**");
        assertThat(c.routes()).extracting(GatewayConfig.Route::token).containsExactly(
                new GatewayConfig.TokenSpec.Template("billing"), new GatewayConfig.TokenSpec.Exchange("reports-api", "reports:read"),
                GatewayConfig.TokenSpec.RELAY, GatewayConfig.TokenSpec.NONE, GatewayConfig.TokenSpec.NONE);
        // from the browser or the mobile app: only the billing route accepts Bearer tokens
        assertThat(c.routes()).extracting(GatewayConfig.Route::bearer).containsExactly(true, false, false, false, false);
        assertThat(c.routes().get(3).host()).isEqualTo("status.example.com");
        assertThat(c.forwardAuth().trustedProxies()).contains("10.0.0.5");
        assertThat(c.tokenTemplates().get("billing").audience()).isEqualTo("billing-api");
    }
}
