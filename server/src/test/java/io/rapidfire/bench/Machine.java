package io.rapidfire.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** CPU time of processes, from /proc (Linux), and a one-line description of the machine. */
final class Machine {
    private Machine() {
    }

    /** utime + stime of a process, in microseconds. */
    static long cpuMicros(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return ticks * 1_000_000 / 100; // USER_HZ is 100 on Linux
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/" + pid + "/stat", e);
        }
    }

    /** Live threads of a process (the "Threads:" line of /proc/pid/status), or -1. */
    /**
     * CPU per thread group of a process, µs, from /proc/&lt;pid&gt;/task/*&#47;stat (user + system, clock ticks of 10 ms):
     * the kernel's view, which includes what a Java profiler does not sample (system calls, thread wake-ups, the
     * JIT compiler, GC). Threads are grouped by name with digits dropped ("qtp1234-56" and "qtp1234-57" are one);
     * "&lt;name&gt; (kernel)" is the system-time part of a group's figure.
     */
    static java.util.Map<String, Long> cpuByThread(long pid) {
        java.util.Map<String, Long> out = new java.util.TreeMap<>();
        java.io.File[] tasks = new java.io.File("/proc/" + pid + "/task").listFiles();
        for (java.io.File t : tasks == null ? new java.io.File[0] : tasks) {
            try {
                String stat = java.nio.file.Files.readString(t.toPath().resolve("stat"));
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[0-9]+", "#");
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                out.merge(name, (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000, Long::sum);
                out.merge(name + " (kernel)", Long.parseLong(f[12]) * 10_000, Long::sum);
            } catch (java.io.IOException | RuntimeException gone) {
                // the thread ended between listing and reading
            }
        }
        return out;
    }

    /** What each thread group spent between two {@link #cpuByThread} readings, largest first, as "name ms, ...". */
    static String cpuByThreadSince(java.util.Map<String, Long> before, java.util.Map<String, Long> after, int top) {
        return after.entrySet().stream().filter(e -> !e.getKey().endsWith(" (kernel)"))
                .map(e -> java.util.Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 0)
                .sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(top)
                .map(e -> {
                    String k = e.getKey() + " (kernel)";
                    long sys = after.getOrDefault(k, 0L) - before.getOrDefault(k, 0L);
                    return e.getKey() + " " + e.getValue() / 1_000 + " ms (" + Math.round(100.0 * sys / e.getValue()) + " % kernel)";
                })
                .collect(java.util.stream.Collectors.joining(", "));
    }

    static int threads(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream().filter(l -> l.startsWith("Threads:"))
                    .findFirst().map(l -> Integer.parseInt(l.substring(8).trim())).orElse(-1);
        } catch (IOException e) {
            return -1;
        }
    }

    static String describe() {
        String cpu = "?";
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            cpu = lines.stream().filter(l -> l.startsWith("model name")).findFirst().map(l -> l.split(":", 2)[1].trim())
                    .orElse("?");
        } catch (IOException ignored) {
            // not Linux: leave "?"
        }
        long memGiB = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getTotalMemorySize() >> 30;
        return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), " + memGiB + " GiB, "
                + System.getProperty("os.name") + " " + System.getProperty("os.version") + ", Java "
                + System.getProperty("java.version");
    }
}
