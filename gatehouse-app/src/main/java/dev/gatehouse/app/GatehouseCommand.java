package dev.gatehouse.app;

import dev.gatehouse.server.Gateway;
import dev.gatehouse.server.config.ConfigException;
import dev.gatehouse.server.config.ConfigLoader;
import dev.gatehouse.server.config.GatewayConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gatehouse serve|check --config FILE}. */
@Command(name = "gatehouse", mixinStandardHelpOptions = true, version = "Gatehouse 0.1.0",
        description = "A self-hosted authentication gateway (Backend-for-Frontend).",
        subcommands = {GatehouseCommand.Serve.class, GatehouseCommand.Check.class, UsersCommand.class, OrgsCommand.class})
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
                out.println(config + ": OK (" + c.routes().size() + (c.routes().size() == 1 ? " route" : " routes")
                        + ", provider " + c.identity().issuer() + ")");
                out.flush();
                return 0;
            } catch (ConfigException e) {
                printErrors(err, config + ": ", e);
                return 1;
            }
        }
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
            Gateway gateway = Gateway.start(c).get(30, TimeUnit.SECONDS);
            PrintWriter out = spec.commandLine().getOut();
            out.println("Gatehouse is serving " + c.publicUrl(gateway.port()) + " on " + c.listen().host() + ":" + gateway.port()
                    + (gateway.adminPort() > 0 ? " (metrics on " + c.adminListen().host() + ":" + gateway.adminPort() + ")" : ""));
            out.flush();
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                gateway.close();
                stopped.countDown();
            }, "gatehouse-shutdown"));
            stopped.await();
            return 0;
        }
    }
}
