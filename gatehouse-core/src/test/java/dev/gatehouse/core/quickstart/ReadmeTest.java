package dev.gatehouse.core.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's code blocks are the compiled (and run) quick-start sources, line for line, so they cannot rot. */
class ReadmeTest {
    static final Pattern SNIPPET = Pattern.compile("<!-- snippet: (\\S+) -->\\n```java\\n(.*?)```\\n<!-- /snippet -->", Pattern.DOTALL);

    @Test
    void everyReadmeSnippetIsTheMarkedRegionOfACompiledSource() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        Matcher m = SNIPPET.matcher(readme);
        int count = 0;
        while (m.find()) {
            count++;
            assertThat(m.group(2)).as(m.group(1)).isEqualTo(region(Path.of(m.group(1))));
        }
        assertThat(count).as("snippets in README.md").isPositive();
    }

    /** The lines between {@code // README:begin} and {@code // README:end}, each ending with a newline. */
    static String region(Path source) throws Exception {
        List<String> lines = Files.readAllLines(source);
        int begin = lines.indexOf("// README:begin");
        int end = lines.indexOf("// README:end");
        assertThat(begin).as("README:begin in %s", source).isNotNegative();
        assertThat(end).as("README:end in %s", source).isGreaterThan(begin);
        List<String> region = new ArrayList<>(lines.subList(begin + 1, end));
        return String.join("\n", region) + "\n";
    }
}
