package dev.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every configuration in the README passes {@code ./gatehouse check}, run as a user runs it, in a directory that
 * holds the README's seed file as {@code seed.yaml} (the configs that name one are checked with it). A block with
 * top-level {@code routes:} is a configuration; a fragment without {@code identity:} (such as the per-service
 * tokens example) is checked added to the README's outside-provider example, which it extends.
 */
class ReadmeConfigIT {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern YAML = Pattern.compile("(?ms)^```yaml\\n(.*?)^```$");
    private static final Map<String, String> ENV = Map.of("OIDC_CLIENT_SECRET", "readme-secret",
            "GATEHOUSE_DATABASE_PASSWORD", "readme-db-password");

    @TempDir
    Path dir;

    @Test
    void everyConfigurationInTheReadmePassesCheck() throws Exception {
        // Readers copy these; a config that `check` refuses would be their first experience of Gatehouse.
        String readme = Files.readString(ROOT.resolve("README.md"));
        List<String> blocks = new ArrayList<>();
        Matcher m = YAML.matcher(readme);
        while (m.find()) {
            blocks.add(m.group(1));
        }
        String seed = blocks.stream().filter(b -> b.startsWith("roles:") || b.startsWith("users:")).findFirst().orElseThrow();
        Files.writeString(dir.resolve("seed.yaml"), seed);
        String outside = blocks.stream().filter(b -> b.contains("\n  issuer:")).findFirst().orElseThrow();
        String outsideIdentity = outside.substring(outside.indexOf("identity:"), outside.indexOf("routes:"));

        List<Path> configs = new ArrayList<>();
        for (String block : blocks) {
            if (!block.contains("\nroutes:") && !block.startsWith("routes:")) {
                continue;
            }
            String text = block.contains("\nidentity:") || block.startsWith("identity:") ? block : outsideIdentity + block;
            Path file = dir.resolve("readme-" + configs.size() + ".yaml");
            Files.writeString(file, text);
            configs.add(file);
        }
        // the two embedded-provider configs, the outside-provider one, the per-service tokens fragment
        assertThat(configs).hasSizeGreaterThanOrEqualTo(4);

        for (Path config : configs) {
            ProcessBuilder check = new ProcessBuilder(ROOT.resolve("gatehouse").toString(), "check", "--config", config.toString())
                    .directory(dir.toFile()).redirectErrorStream(true);
            check.environment().putAll(ENV);
            Process p = check.start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(Files.readString(config) + "\n--> " + output).isZero();
            assertThat(output).contains(": OK (");
        }
    }
}
