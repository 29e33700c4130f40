package io.rapidfire.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;

/**
 * A real Rapidfire process (its own JVM, started like the jar would be, from the test class path), for
 * claims about processes: kill -9 is a real SIGKILL of that PID.
 */
public final class RapidfireProcess implements AutoCloseable {
    private final Process process;
    private final Path log;

    private RapidfireProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    public static RapidfireProcess start(Map<String, String> env, String... args) {
        return start(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"), env, args);
    }

    /** With the JVM options given (the benchmark runs Rapidfire with a full JIT, the tests with a quick start). */
    public static RapidfireProcess start(List<String> jvmOptions, Map<String, String> env, String... args) {
        try {
            Path log = Files.createTempFile("rapidfire-" + (args.length > 0 ? args[0] : "standalone") + "-", ".log");
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            cmd.addAll(jvmOptions);
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.rapidfire.cli.RapidfireCommand"));
            cmd.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("RAPIDFIRE_") || k.equals("REDIS_URL"));
            pb.environment().putAll(env);
            return new RapidfireProcess(pb.start(), log);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start a Rapidfire process: " + e, e);
        }
    }

    public long pid() {
        return process.pid();
    }

    public List<String> lines() {
        try {
            return Files.readAllLines(log);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String output() {
        return String.join("\n", lines());
    }

    /** Lines that are batch JSON objects written by the log sink. */
    public List<String> batchLines() {
        return lines().stream().filter(l -> l.startsWith("{\"batchId\"")).collect(Collectors.toList());
    }

    public RapidfireProcess awaitOutput(String text, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(50)).failFast("process " + pid() + " exited:\n"
                + log, () -> !process.isAlive()).until(() -> Files.readString(log).contains(text));
        return this;
    }

    /** SIGKILL: no shutdown hook, no lease release, nothing. */
    public void kill9() {
        try {
            new ProcessBuilder("kill", "-9", Long.toString(pid())).inheritIO().start().waitFor();
            process.waitFor();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SIGTERM, then wait for the graceful shutdown to finish. */
    public int stop() {
        process.destroy();
        try {
            if (!process.waitFor(Duration.ofSeconds(20).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
            return process.waitFor();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits for the process to exit by itself and returns its exit status. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                throw new AssertionError("process " + pid() + " still running after " + timeout + ":\n" + output());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public File logFile() {
        return log.toFile();
    }

    /**
     * Closes every one of {@code processes} (and servers) even when one's close fails (its log scan found a
     * number): nothing is left running; the first failure is thrown with the others suppressed.
     */
    public static void closeAll(List<? extends AutoCloseable> processes) {
        AssertionError first = null;
        for (AutoCloseable p : processes) {
            try {
                p.close();
            } catch (Exception | AssertionError e) {
                if (first == null) {
                    first = e instanceof AssertionError a ? a : new AssertionError(e);
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /**
     * Stops the process if it still runs, then scans its log (every process test does, by closing its
     * processes): a phone number in a log line unmasked fails the test.
     */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
        try {
            process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<String> leaks = LogScan.unmaskedNumbers(lines());
        if (!leaks.isEmpty()) {
            throw new AssertionError("process " + pid() + " logged " + leaks.size() + " line(s) with an unmasked number "
                    + "(log " + log + "), e.g.:\n" + String.join("\n", leaks.subList(0, Math.min(5, leaks.size()))));
        }
    }
}
