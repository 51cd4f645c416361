package dev.gatehouse.server.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Assumptions;

/**
 * A real edge (nginx or Caddy) started by a test from a config in its own temporary directory, and stopped by
 * its PID (with any children it forked) on {@link #close}, or by a shutdown hook if the JVM exits first. Its
 * stdout and stderr go to a file in that directory, shown when it fails to start.
 *
 * <p>The listening port is chosen before the edge starts (bind port 0, note the port, release it), because an
 * external process cannot report the port it got; the edge is ready when that port accepts a connection.
 */
final class EdgeProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path output;
    private final int port;
    private final Thread shutdownHook;

    private EdgeProcess(String name, Process process, Path output, int port) {
        this.name = name;
        this.process = process;
        this.output = output;
        this.port = port;
        this.shutdownHook = new Thread(this::stop, "stop-" + name);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** A port that was free a moment ago on 127.0.0.1. */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Skips the calling test with a message when {@code binary} is not installed; fails instead when
     * {@code GATEHOUSE_REQUIRE_SERVICES=1} (CI), so a missing edge cannot pass silently there.
     */
    static void assumeInstalled(Path binary, String testName, String debianPackage) {
        if (Files.isExecutable(binary)) {
            return;
        }
        String message = binary + " is not installed (apt-get install " + debianPackage + ")";
        if ("1".equals(System.getenv("GATEHOUSE_REQUIRE_SERVICES"))) {
            fail(message + "; GATEHOUSE_REQUIRE_SERVICES=1 makes a missing edge a failure");
        }
        // Printed as well, because Maven's summary counts skipped tests without saying why.
        System.err.println(testName + " skipped: " + message);
        Assumptions.abort("skipped: " + message);
    }

    /** Starts {@code command} in {@code dir} and waits until it accepts connections on {@code port}. */
    static EdgeProcess start(String name, Path dir, int port, Map<String, String> env, List<String> command) {
        Path output = dir.resolve(name + ".out");
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        pb.environment().putAll(env);
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
        EdgeProcess edge = new EdgeProcess(name, process, output, port);
        try {
            edge.awaitListening(Duration.ofSeconds(30));
        } catch (RuntimeException | Error e) {
            edge.close();
            throw e;
        }
        return edge;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** What the edge printed on stdout and stderr so far. */
    String output() {
        return readQuietly(output);
    }

    static String readQuietly(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    // Polls because an external process has no way to tell us it is listening; bounded, and it fails at once
    // if the process exits (a bad config, or the port taken in between).
    private void awaitListening(Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with status " + process.exitValue() + ":\n" + output());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 250);
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(name + " did not listen on port " + port + " within " + max + ":\n" + output());
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(25));
            }
        }
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or has run; nothing left to do
        }
    }

    // SIGTERM to the PID we started (nginx's master, or caddy), then SIGKILL if it lingers; children it forked
    // (nginx's workers) are ended the same way, by their PIDs, in case the master could not end them.
    private void stop() {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            for (ProcessHandle child : children) {
                if (child.isAlive()) {
                    child.destroy();
                    child.onExit().get(5, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            children.forEach(ProcessHandle::destroyForcibly);
        }
    }
}
