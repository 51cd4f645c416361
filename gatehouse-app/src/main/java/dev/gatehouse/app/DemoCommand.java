package dev.gatehouse.app;

import dev.gatehouse.app.demo.Demo;
import dev.gatehouse.app.embedded.EmbeddedGatehouse;
import dev.gatehouse.app.seed.SeedException;
import dev.gatehouse.identity.store.StoreUnavailableException;
import dev.gatehouse.server.config.ConfigException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gatehouse demo}: everything needed to try Gatehouse, in this process, until Ctrl-C. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Start a complete demo: the gateway on http://localhost:8080, the embedded identity provider",
                "with a seeded user, a demo single-page app and two demo APIs that check their tokens with the SDK."})
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "8080", description = "The gateway's port on 127.0.0.1 (default ${DEFAULT-VALUE}; 0 for any free port).")
    int port;

    @Option(names = "--provider-port", defaultValue = "8081",
            description = "The embedded identity provider's port on 127.0.0.1 (default ${DEFAULT-VALUE}; 0 for any free port).")
    int providerPort;

    @Option(names = "--data-dir", defaultValue = "./data", description = "Where the demo keeps its state (default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        // database pool and migration chatter would bury the banner; GATEHOUSE_LOG_LEVEL brings it back
        IdentityCommand.quietLibraryLogs();
        Demo demo;
        try {
            demo = Demo.start(new Demo.Options(port, providerPort, dataDir), Clock.systemUTC(), new SecureRandom());
        } catch (EmbeddedGatehouse.StartException | StoreUnavailableException e) {
            err.println("error: the demo could not start: " + e.getMessage());
            err.println("(Is another demo or program using port " + port + " or " + providerPort + ", or " + dataDir
                    + "? Try --port, --provider-port or --data-dir.)");
            err.flush();
            return 1;
        } catch (SeedException | ConfigException e) {
            err.println("error: the demo's own setup was refused (a bug): " + e.getMessage());
            err.flush();
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            demo.close();
            stopped.countDown();
        }, "gatehouse-demo-shutdown"));
        out.println(demo.banner());
        out.flush();
        stopped.await();
        return 0;
    }
}
