package dev.gatehouse.server.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The configs printed in {@code docs/forwardauth.md}, as the edge tests run them: each fenced block is found by
 * its info string (```nginx, ```caddyfile, ```yaml gatehouse) and its placeholders are filled in, so a config
 * in the docs that stops working fails a test instead of a reader.
 */
final class ForwardAuthDoc {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\b[A-Z]+_PORT\\b");

    private ForwardAuthDoc() {
    }

    /** The one fenced block whose opening line is exactly ``` + {@code infoString}. */
    static String block(String infoString) {
        List<String> found = new ArrayList<>();
        StringBuilder current = null;
        for (String line : read().split("\n", -1)) {
            if (current == null) {
                if (line.equals("```" + infoString)) {
                    current = new StringBuilder();
                }
            } else if (line.equals("```")) {
                found.add(current.toString());
                current = null;
            } else {
                current.append(line).append('\n');
            }
        }
        if (found.size() != 1) {
            throw new AssertionError("docs/forwardauth.md must hold exactly one ```" + infoString + " block, found " + found.size());
        }
        return found.get(0);
    }

    /** {@code block} with every {@code NAME_PORT} placeholder replaced; a placeholder left unfilled fails. */
    static String render(String block, Map<String, Integer> ports) {
        String out = block;
        for (Map.Entry<String, Integer> e : ports.entrySet()) {
            if (!out.contains(e.getKey())) {
                throw new AssertionError("the documented config no longer uses " + e.getKey());
            }
            out = out.replaceAll("\\b" + e.getKey() + "\\b", String.valueOf(e.getValue()));
        }
        Matcher left = PLACEHOLDER.matcher(out);
        if (left.find()) {
            throw new AssertionError("the documented config has a placeholder the test does not fill: " + left.group());
        }
        return out;
    }

    private static String read() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path doc = dir.resolve("docs").resolve("forwardauth.md");
            if (Files.isRegularFile(doc)) {
                try {
                    return Files.readString(doc);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            dir = dir.getParent();
        }
        throw new AssertionError("docs/forwardauth.md not found above " + Path.of("").toAbsolutePath());
    }
}
