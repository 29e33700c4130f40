package io.rapidfire.processes;

import com.fasterxml.jackson.databind.JsonNode;
import io.rapidfire.core.MessageCodec;
import io.rapidfire.testing.RapidfireProcess;
import io.rapidfire.testing.RedisServer;
import io.rapidfire.testing.Tools;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The example bot of examples/node-bot (Express, from npm) against a real Rapidfire process with
 * RAPIDFIRE_ON_NEW_MESSAGE=supersede: a person writes half a thought, the bot starts thinking, the person writes the
 * rest; the bot answers once, the whole thought.
 */
@Tag("processes")
class ExampleBotTest {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void theExampleBotAnswersAThoughtWrittenWhileItThinksOnceAndWhole() throws Exception {
        Path dir = install();
        int botPort = RedisServer.freePort();
        int port = RedisServer.freePort();
        ProcessBuilder pb = new ProcessBuilder("node", "bot.js").directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("bot.log").toFile());
        pb.environment().putAll(Map.of("PORT", Integer.toString(botPort), "RAPIDFIRE_SINK_SECRET", "example-secret",
                "LLM_MS", "2000"));
        Process bot = pb.start();
        bot.getOutputStream().close();
        try (RapidfireProcess rapidfire = RapidfireProcess.start(Map.of("RAPIDFIRE_PORT", Integer.toString(port),
                "RAPIDFIRE_SINK", "http", "RAPIDFIRE_SINK_URL", "http://127.0.0.1:" + botPort + "/batches",
                "RAPIDFIRE_SINK_SECRET", "example-secret", "RAPIDFIRE_ON_NEW_MESSAGE", "supersede",
                "RAPIDFIRE_QUIET_MS", "300", "RAPIDFIRE_TYPING_GRACE_MS", "300"))) {
            rapidfire.awaitOutput("Rapidfire standalone running", Duration.ofSeconds(30));
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.readString(dir.resolve("bot.log")).contains("listening"));
            say(port, "m1", "I would like to book");
            // The first batch is with the bot (it thinks 2 s); the rest of the thought arrives now.
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                    .until(() -> Files.readString(dir.resolve("bot.log")).contains("thinking"));
            say(port, "m2", "a haircut on Friday");
            await().atMost(Duration.ofSeconds(20)).until(() -> answers(botPort).size() == 1
                    && Files.readString(dir.resolve("bot.log")).contains("superseded while thinking"));
            JsonNode a = answers(botPort).get(0);
            assertThat(a.path("answer").asText()).isEqualTo("You said: I would like to book a haircut on Friday");
            assertThat(a.path("supersedes")).hasSize(1);
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> answers(botPort).size() == 1);
        } finally {
            bot.destroy();
            bot.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private void say(int port, String id, String text) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/webhook/web-chat")).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers
                .ofString("{\"sender\": \"visitor-42\", \"id\": \"" + id + "\", \"text\": \"" + text + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private JsonNode answers(int botPort) throws Exception {
        return MessageCodec.JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + botPort
                + "/answers")).GET().build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    /** examples/node-bot copied to target/example-bot with express installed from npm (once per build). */
    private static Path install() throws Exception {
        String npm = Tools.require("npm", "npm");
        Tools.require("node", "nodejs");
        Path src = Path.of("..", "examples", "node-bot").toAbsolutePath().normalize();
        Path dir = Path.of("target", "example-bot").toAbsolutePath();
        Files.createDirectories(dir);
        for (String f : new String[]{"bot.js", "package.json"}) {
            Files.copy(src.resolve(f), dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.exists(dir.resolve("node_modules/express/package.json"))) {
            File log = dir.resolve("npm-install.log").toFile();
            Process p = new ProcessBuilder(npm, "install", "--no-audit", "--no-fund").directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(log).start();
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new AssertionError("npm install (express) failed in " + dir + " (the npm registry must be "
                        + "reachable): " + Files.readString(log.toPath()));
            }
        }
        return dir;
    }
}
