package dev.gatehouse.app;

import dev.gatehouse.app.embedded.EmbeddedGatehouse;
import dev.gatehouse.app.seed.SeedException;
import dev.gatehouse.app.seed.SeedFile;
import dev.gatehouse.identity.store.StoreUnavailableException;
import dev.gatehouse.server.Gateway;
import dev.gatehouse.server.config.ConfigException;
import dev.gatehouse.server.config.ConfigLoader;
import dev.gatehouse.server.config.GatewayConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gatehouse demo}, {@code gatehouse serve|check --config FILE}, {@code users}, {@code orgs}. */
@Command(name = "gatehouse", mixinStandardHelpOptions = true, version = "Gatehouse 0.1.0",
        description = "A self-hosted authentication gateway (Backend-for-Frontend).",
        subcommands = {DemoCommand.class, GatehouseCommand.Serve.class, GatehouseCommand.Check.class, UsersCommand.class,
                OrgsCommand.class})
public final class GatehouseCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new GatehouseCommand()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Every configuration error, one per line under a count, so all of them can be fixed in one pass. */
    static void printErrors(PrintWriter err, String prefix, ConfigException e) {
        err.println(prefix + e.errors().size() + (e.errors().size() == 1 ? " error" : " errors"));
        e.errors().forEach(line -> err.println("  " + line));
        err.flush();
    }

    @Command(name = "check", description = "Validate a configuration file and print every error with its location.")
    static final class Check implements java.util.concurrent.Callable<Integer> {
        @Option(names = {"-c", "--config"}, required = true, description = "The YAML configuration file.")
        Path config;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                GatewayConfig c = ConfigLoader.fromEnvironment().load(config);
                if (c.identity().isEmbedded() && c.identity().embedded().seed() != null) {
                    checkSeed(c.identity().embedded().seed());
                }
                out.println(config + ": OK (" + c.routes().size() + (c.routes().size() == 1 ? " route" : " routes")
                        + ", provider " + describeProvider(c) + ")");
                out.flush();
                return 0;
            } catch (ConfigException e) {
                printErrors(err, config + ": ", e);
                return 1;
            } catch (SeedException e) {
                err.println(config + ": identity.embedded.seed: " + e.errors().size() + (e.errors().size() == 1 ? " error" : " errors"));
                e.errors().forEach(line -> err.println("  " + line));
                err.flush();
                return 1;
            }
        }

        private static void checkSeed(Path seed) throws SeedException {
            SeedFile.load(seed, System::getenv);
        }
    }

    static String describeProvider(GatewayConfig c) {
        if (!c.identity().isEmbedded()) {
            return c.identity().issuer().toString();
        }
        GatewayConfig.Embedded e = c.identity().embedded();
        return "embedded at " + (e.publicUrl() != null ? e.publicUrl() : "http://localhost:" + e.listen().port());
    }

    @Command(name = "serve", description = "Run the gateway.")
    static final class Serve implements java.util.concurrent.Callable<Integer> {
        @Option(names = {"-c", "--config"}, required = true, description = "The YAML configuration file.")
        Path config;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            GatewayConfig c;
            try {
                c = ConfigLoader.fromEnvironment().load(config);
            } catch (ConfigException e) {
                printErrors(spec.commandLine().getErr(), config + ": cannot start, ", e);
                return 1;
            }
            PrintWriter out = spec.commandLine().getOut();
            AutoCloseable running;
            if (c.identity().isEmbedded()) {
                EmbeddedGatehouse both;
                try {
                    both = EmbeddedGatehouse.start(c, System::getenv, Clock.systemUTC(), new SecureRandom());
                } catch (SeedException e) {
                    PrintWriter err = spec.commandLine().getErr();
                    err.println(config + ": cannot start, identity.embedded.seed: " + String.join("; ", e.errors()));
                    err.flush();
                    return 1;
                } catch (EmbeddedGatehouse.StartException | StoreUnavailableException e) {
                    PrintWriter err = spec.commandLine().getErr();
                    err.println(config + ": cannot start, " + e.getMessage());
                    err.flush();
                    return 1;
                }
                out.println("Gatehouse is serving " + both.publicUrl() + " on " + c.listen().host() + ":" + both.gatewayPort()
                        + (both.adminPort() > 0 ? " (metrics on " + c.adminListen().host() + ":" + both.adminPort() + ")" : "")
                        + "; embedded identity provider at " + both.issuer() + " on " + c.identity().embedded().listen().host()
                        + ":" + both.providerPort());
                if (both.seedReport() != null) {
                    // The seed's users without a password in the file: shown once on a terminal and kept nowhere. A
                    // service's output usually ends up in a log (journald, docker logs), so there it is not shown.
                    boolean terminal = System.console() != null;
                    both.seedReport().generatedPasswords().forEach((email, password) -> out.println(terminal
                            ? "Created " + email + " with the generated password (shown only now): " + password
                            : "Created " + email + " with a generated password that is not shown (output is not a terminal); "
                                    + "set one with: gatehouse users set-password --email " + email));
                }
                running = both;
            } else {
                Gateway gateway = Gateway.start(c).get(30, TimeUnit.SECONDS);
                out.println("Gatehouse is serving " + c.publicUrl(gateway.port()) + " on " + c.listen().host() + ":" + gateway.port()
                        + (gateway.adminPort() > 0 ? " (metrics on " + c.adminListen().host() + ":" + gateway.adminPort() + ")" : ""));
                running = gateway;
            }
            out.flush();
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    running.close();
                } catch (Exception e) {
                    // stopping anyway
                }
                stopped.countDown();
            }, "gatehouse-shutdown"));
            stopped.await();
            return 0;
        }
    }
}
