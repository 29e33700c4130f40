package io.rapidfire;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A newcomer reads a class in one sitting: no main source file above {@value #MAX_LINES} lines (the stores included),
 * and the webhook server, which once did nine jobs, below {@value #MAX_WEBHOOK_SERVER}. Past the limit, split the
 * class by job (docs/design.md, where things live), do not squeeze lines.
 */
@Tag("fast")
class MainFilesStaySmallTest {
    static final int MAX_LINES = 400;
    static final int MAX_WEBHOOK_SERVER = 200;

    @Test
    void noMainSourceFileIsLongerThanTheLimit() throws IOException {
        List<String> over = new ArrayList<>();
        for (String module : List.of("../core", "../redis", ".")) {
            try (Stream<Path> files = Files.walk(Path.of(module, "src/main/java"))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    long lines = Files.readAllLines(f).size();
                    int limit = f.endsWith("WebhookServer.java") ? MAX_WEBHOOK_SERVER : MAX_LINES;
                    if (lines > limit) {
                        over.add(f + ": " + lines + " lines (at most " + limit + ")");
                    }
                }
            }
        }
        assertThat(over).as("main source files over their limit").isEmpty();
    }
}
