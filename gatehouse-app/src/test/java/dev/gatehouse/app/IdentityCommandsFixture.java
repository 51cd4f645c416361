package dev.gatehouse.app;

import dev.gatehouse.identity.store.DatabaseSettings;
import dev.gatehouse.identity.store.IdentityDatabase;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * Runs {@code gatehouse users|orgs ...} in this JVM against an H2 file of the test's own, with a given standard
 * input, and opens that file afterwards to check what the command stored.
 */
final class IdentityCommandsFixture {
    final String url;
    String out = "";
    String err = "";

    IdentityCommandsFixture(Path dir) {
        this.url = "jdbc:h2:file:" + dir.resolve("data/gatehouse").toAbsolutePath();
    }

    /** Runs the command with {@code --database} pointing at the test's file and nothing on standard input. */
    int run(String... args) {
        return runWithStdin("", args);
    }

    int runWithStdin(String stdin, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--database");
        all.add(url);
        return runRaw(stdin, all.toArray(String[]::new));
    }

    /** Runs exactly {@code args}, with no {@code --database} added. */
    int runRaw(String stdin, String... args) {
        StringWriter outText = new StringWriter();
        StringWriter errText = new StringWriter();
        CommandLine cli = new CommandLine(new GatehouseCommand());
        cli.setOut(new PrintWriter(outText, true));
        cli.setErr(new PrintWriter(errText, true));
        InputStream stdinBefore = System.in;
        try {
            System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            return cli.execute(args);
        } finally {
            System.setIn(stdinBefore);
            out = outText.toString();
            err = errText.toString();
        }
    }

    IdentityDatabase open() {
        return IdentityDatabase.open(DatabaseSettings.of(url));
    }
}
