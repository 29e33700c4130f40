package io.rapidfire.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.rapidfire.core.MessageCodec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;

/**
 * The real BullMQ: the newest bullmq 6.x and ioredis (and BullMQ's telemetry, bullmq-otel, with an OpenTelemetry SDK)
 * installed from npm into server/target/bullmq (once per build;
 * Node and npm installed with apt-get when missing, as .ci/run does), a stock BullMQ {@code Worker} in its own Node
 * process ({@code bullmq/worker.js}), and BullMQ's own Queue API for pause, resume and counts ({@code queue.js}).
 */
public final class Bullmq {
    private static Path home;

    private Bullmq() {
    }

    /** The folder with node_modules/bullmq, installed on first use. */
    public static synchronized Path home() {
        if (home != null) {
            return home;
        }
        String npm = Tools.require("npm", "npm");
        Tools.require("node", "nodejs");
        try {
            Path dir = Path.of("target", "bullmq").toAbsolutePath();
            Files.createDirectories(dir);
            for (String script : List.of("worker.js", "queue.js", "add.js")) {
                try (InputStream in = Bullmq.class.getResourceAsStream("/bullmq/" + script)) {
                    Files.copy(in, dir.resolve(script), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            if (!Files.exists(dir.resolve("node_modules/bullmq-otel/package.json"))) {
                Files.writeString(dir.resolve("package.json"), "{\"name\": \"rapidfire-bullmq-test\", \"private\": true}\n");
                Path log = dir.resolve("npm-install.log");
                Process p = new ProcessBuilder(npm, "install", "--no-audit", "--no-fund", "bullmq@6", "ioredis",
                        // BullMQ's own telemetry and an in-memory OpenTelemetry SDK for worker.js's otel mode
                        "bullmq-otel@2", "@opentelemetry/api@1", "@opentelemetry/core@2", "@opentelemetry/sdk-trace-base@2")
                        .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
                if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                    p.destroyForcibly();
                    throw new AssertionError("npm install bullmq@6 ioredis bullmq-otel failed in " + dir + " (the npm registry must be "
                            + "reachable): " + Files.readString(log));
                }
            }
            home = dir;
            return dir;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The installed bullmq version, e.g. "6.7.0". */
    public static String version() {
        try {
            return MessageCodec.JSON.readTree(home().resolve("node_modules/bullmq/package.json").toFile())
                    .get("version").asText();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** BullMQ's Queue API: pause, resume, counts (getJobCounts) or version; its JSON answer. */
    public static JsonNode queue(int redisPort, String prefix, String queue, String command) {
        try {
            Process p = new ProcessBuilder("node", "queue.js", Integer.toString(redisPort), prefix, queue, command)
                    .directory(home().toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError("node queue.js " + command + " failed: " + out);
            }
            return MessageCodec.JSON.readTree(out.trim().lines().reduce((a, b) -> b).orElse("{}"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * BullMQ's own Queue.add, {@code n} jobs with {@code lanes} in flight (the original's hand-off), each with
     * {@code dataJson} as its data; wall ms.
     */
    public static long addJobs(int redisPort, String prefix, String queue, int n, int lanes, String dataJson) {
        try {
            Path data = Files.createTempFile("bullmq-job-data-", ".json");
            Files.writeString(data, dataJson);
            Process p = new ProcessBuilder("node", "add.js", Integer.toString(redisPort), prefix, queue,
                    Integer.toString(n), Integer.toString(lanes), data.toString()).directory(home().toFile()).redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new AssertionError("node add.js failed: " + out);
            }
            return MessageCodec.JSON.readTree(out.trim().lines().reduce((a, b) -> b).orElse("{}")).get("ms").asLong();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A stock BullMQ Worker on {@code queue}: mode ok (answers), fail (throws), slow (takes two minutes). */
    public static WorkerProcess worker(int redisPort, String prefix, String queue, String mode) {
        try {
            Path log = Files.createTempFile("bullmq-worker-", ".log");
            Process p = new ProcessBuilder("node", "worker.js", Integer.toString(redisPort), prefix, queue, mode)
                    .directory(home().toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            WorkerProcess w = new WorkerProcess(p, log);
            w.awaitEvent(e -> e.path("event").asText().equals("ready"), Duration.ofSeconds(30));
            return w;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A Node process running a BullMQ Worker; its events as JSON lines. */
    public static final class WorkerProcess implements AutoCloseable {
        private final Process process;
        private final Path log;

        WorkerProcess(Process process, Path log) {
            this.process = process;
            this.log = log;
        }

        public List<JsonNode> events() {
            List<JsonNode> out = new ArrayList<>();
            try {
                for (String line : Files.readAllLines(log)) {
                    if (line.startsWith("{")) {
                        out.add(MessageCodec.JSON.readTree(line));
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return out;
        }

        public List<JsonNode> events(String kind) {
            return events().stream().filter(e -> e.path("event").asText().equals(kind)).toList();
        }

        /** Waits for an event, failing with the worker's output if it does not come or the worker exits. */
        public JsonNode awaitEvent(Predicate<JsonNode> event, Duration timeout) {
            await().atMost(timeout).pollInterval(Duration.ofMillis(50))
                    .failFast("BullMQ worker exited:\n" + output(), () -> !process.isAlive())
                    .until(() -> events().stream().anyMatch(event));
            return events().stream().filter(event).findFirst().orElseThrow();
        }

        public String output() {
            try {
                return Files.readString(log);
            } catch (IOException e) {
                return "(no output: " + e + ")";
            }
        }

        /** SIGKILL: the job it holds stays active until BullMQ's stall check gives it to another worker. */
        public void kill9() {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
