package dev.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class GatehouseCommandTest {
    private static final String VALID = """
            public_url: https://app.example.com
            identity:
              issuer: https://idp.example.com
              client_id: gatehouse
              client_secret: ${GATEHOUSE_COMMAND_TEST_SECRET:-s3cret}
            routes:
              - match: /api/**
                upstream: http://127.0.0.1:9001
              - match: /**
                upstream: http://127.0.0.1:5173
                access: public
            """;

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = new CommandLine(new GatehouseCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void checkAcceptsAValidFile() throws Exception {
        Path file = Files.writeString(dir.resolve("gatehouse.yaml"), VALID);

        int status = run("check", "--config", file.toString());

        assertThat(status).isZero();
        assertThat(out.toString()).isEqualTo(file + ": OK (2 routes, provider https://idp.example.com)" + System.lineSeparator());
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void checkAcceptsTheEmbeddedProviderAndReadsItsSeedFile() throws Exception {
        Files.writeString(dir.resolve("seed.yaml"), "users: [{email: alice@example.com}]\n");
        Path file = Files.writeString(dir.resolve("gatehouse.yaml"), """
                identity:
                  provider: embedded
                  embedded: {seed: '%s'}
                routes: [{match: /**, upstream: 'http://127.0.0.1:5173', access: public}]
                """.formatted(dir.resolve("seed.yaml")));

        assertThat(run("check", "--config", file.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).isEqualTo(file + ": OK (1 route, provider embedded at http://localhost:8081)" + System.lineSeparator());
    }

    @Test
    void checkReportsEveryErrorOfTheSeedFile() throws Exception {
        // the seed is applied at start; check must find its mistakes before a deploy does
        Files.writeString(dir.resolve("seed.yaml"), "users: [{email: nope}, {email: b@example.com, password: short}]\n");
        Path file = Files.writeString(dir.resolve("gatehouse.yaml"), """
                identity:
                  provider: embedded
                  embedded: {seed: '%s'}
                routes: [{match: /**, upstream: 'http://127.0.0.1:5173', access: public}]
                """.formatted(dir.resolve("seed.yaml")));

        assertThat(run("check", "--config", file.toString())).isEqualTo(1);
        assertThat(err.toString().lines()).hasSize(3).first().isEqualTo(file + ": identity.embedded.seed: 2 errors");
        assertThat(err.toString()).contains("users[0].email: ", "users[1].password: Password is too short");
    }

    @Test
    void checkListsEveryErrorWithItsPath() throws Exception {
        Path file = Files.writeString(dir.resolve("gatehouse.yaml"), """
                session:
                  idle_timeout: soon
                identity:
                  issuer: https://idp.example.com
                  client_id: gatehouse
                  client_secret: s3cret
                routes:
                  - match: /api/**
                    upstream: not-a-url
                    acess: public
                """);

        int status = run("check", "-c", file.toString());

        assertThat(status).isEqualTo(1);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString().lines()).containsExactly(
                file + ": 3 errors",
                "  session.idle_timeout: not a duration (use e.g. 500ms, 30s, 30m, 12h)",
                "  routes[0].upstream: not a URL (expected http:// or https:// with a host)",
                "  routes[0].acess: unknown key");
    }

    @Test
    void checkReportsAMissingFile() {
        Path missing = dir.resolve("nowhere.yaml");

        int status = run("check", "--config", missing.toString());

        assertThat(status).isEqualTo(1);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString().lines()).containsExactly(
                missing + ": 1 error",
                "  " + missing + ": cannot read (NoSuchFileException)");
    }

    @Test
    void checkWithoutConfigIsAUsageError() {
        int status = run("check");

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required option: '--config=<config>'");
    }

    @Test
    void serveRefusesAnInvalidFileWithoutStarting() throws Exception {
        Path file = Files.writeString(dir.resolve("gatehouse.yaml"), VALID.replace("http://127.0.0.1:9001", "not-a-url"));

        int status = run("serve", "--config", file.toString());

        assertThat(status).isEqualTo(1);
        assertThat(err.toString().lines()).containsExactly(
                file + ": cannot start, 1 error",
                "  routes[0].upstream: not a URL (expected http:// or https:// with a host)");
    }

    @Test
    void withoutASubcommandPrintsUsage() {
        int status = run();

        assertThat(status).isZero();
        assertThat(out.toString()).contains("Usage: gatehouse", "serve", "check");
    }
}
