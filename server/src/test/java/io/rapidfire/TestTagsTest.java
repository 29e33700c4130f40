package io.rapidfire;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fast loop (`mvn test -Dgroups=fast`) is only honest if every test class says what it needs: fast (this
 * JVM only), redis (a redis-server), processes (other JVMs or tools), cluster (a Redis Cluster or Sentinel).
 */
@Tag("fast")
class TestTagsTest {
    private static final Set<String> TAGS = Set.of("fast", "redis", "processes", "cluster");
    private static final Pattern TAG = Pattern.compile("@Tag\\(\"([a-z]+)\"\\)");

    @Test
    void everyTestClassCarriesOneOfTheFourTags() throws IOException {
        List<Path> tests = new java.util.ArrayList<>();
        for (String module : List.of("../core", "../redis", ".")) {
            try (Stream<Path> files = Files.walk(Path.of(module, "src/test/java"))) {
                files.filter(p -> p.getFileName().toString().endsWith("Test.java")).forEach(tests::add);
            }
        }
        assertThat(tests).hasSizeGreaterThan(30);
        for (Path p : tests) {
            String src = Files.readString(p);
            if (src.contains("abstract class")) {
                continue;
            }
            Matcher m = TAG.matcher(src);
            boolean tagged = false;
            while (m.find()) {
                assertThat(TAGS).as(p + " uses tag " + m.group(1)).contains(m.group(1));
                tagged = true;
            }
            assertThat(tagged).as(p + " has no @Tag (fast, redis, processes or cluster)").isTrue();
        }
    }
}
