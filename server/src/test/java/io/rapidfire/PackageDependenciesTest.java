package io.rapidfire;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dependencies point one way. The modules enforce core ← redis ← server at compile time; this checks the
 * packages inside them: no two packages depend on each other, directly or around a loop.
 */
@Tag("fast")
class PackageDependenciesTest {
    private static final Pattern USE = Pattern.compile("\\b(io\\.rapidfire(?:\\.[a-z]+)+)\\.[A-Z]");

    static Map<String, Set<String>> graph() throws IOException {
        Map<String, Set<String>> deps = new TreeMap<>();
        for (String module : List.of("../core", "../redis", ".")) {
            Path root = Path.of(module, "src/main/java");
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    String pkg = root.relativize(f.getParent()).toString().replace('/', '.');
                    Set<String> out = deps.computeIfAbsent(pkg, k -> new TreeSet<>());
                    Matcher m = USE.matcher(Files.readString(f));
                    while (m.find()) {
                        if (!m.group(1).equals(pkg)) {
                            out.add(m.group(1));
                        }
                    }
                }
            }
        }
        return deps;
    }

    @Test
    void noPackageDependsOnItselfThroughOthers() throws IOException {
        Map<String, Set<String>> deps = graph();
        assertThat(deps).containsKeys("io.rapidfire.core", "io.rapidfire.worker", "io.rapidfire.store.redis",
                "io.rapidfire.ingest", "io.rapidfire.cli");
        List<String> cycles = new ArrayList<>();
        for (String start : deps.keySet()) {
            walk(deps, start, new ArrayList<>(List.of(start)), cycles);
        }
        assertThat(cycles).as("package cycles").isEmpty();
    }

    @Test
    void theEngineDependsOnNothingAboveIt() throws IOException {
        Map<String, Set<String>> deps = graph();
        for (String engine : List.of("io.rapidfire.core", "io.rapidfire.worker", "io.rapidfire.delivery",
                "io.rapidfire.store.memory", "io.rapidfire.store.redis", "io.rapidfire.trace")) {
            assertThat(deps.get(engine)).as(engine).noneMatch(d -> d.startsWith("io.rapidfire.ingest")
                    || d.startsWith("io.rapidfire.ops") || d.startsWith("io.rapidfire.cli")
                    || d.startsWith("io.rapidfire.config"));
        }
    }

    /**
     * Inside the server, from the top: cli, web, admin, ingest, http, ops (with ops.doctor above ops, ops.logging
     * below it), config. A package
     * imports only layers below it; admin and ingest never import each other (both stand on http).
     */
    private static final List<String> SERVER_LAYERS = List.of("io.rapidfire.cli", "io.rapidfire.web",
            "io.rapidfire.admin", "io.rapidfire.ingest", "io.rapidfire.http", "io.rapidfire.ops.doctor",
            "io.rapidfire.ops", "io.rapidfire.ops.logging", "io.rapidfire.config");

    @Test
    void theServersLayersImportOnlyDownwardAndAdminAndIngestStayApart() throws IOException {
        Map<String, Set<String>> deps = graph();
        List<String> upward = new ArrayList<>();
        for (String from : SERVER_LAYERS) {
            for (String to : deps.getOrDefault(from, Set.of())) {
                int a = SERVER_LAYERS.indexOf(from);
                int b = SERVER_LAYERS.indexOf(to);
                if (b >= 0 && b <= a) {
                    upward.add(from + " -> " + to);
                }
            }
        }
        assertThat(upward).as("imports from a lower layer to a higher one").isEmpty();
        assertThat(deps.get("io.rapidfire.admin")).doesNotContain("io.rapidfire.ingest");
    }

    private static void walk(Map<String, Set<String>> deps, String at, List<String> path, List<String> cycles) {
        for (String next : deps.getOrDefault(at, Set.of())) {
            if (next.equals(path.get(0))) {
                cycles.add(String.join(" -> ", path) + " -> " + next);
            } else if (!path.contains(next) && next.compareTo(path.get(0)) > 0) {
                path.add(next);
                walk(deps, next, path, cycles);
                path.remove(path.size() - 1);
            }
        }
    }
}
