package io.rapidfire.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Command-line tools a test needs (promtool, ...). Found on the PATH; if missing, installed from Debian's
 * packages the way .ci/run does (apt-get as root), so `mvn test` passes on a machine that has only Java, Maven and
 * the package manager. Where that cannot be done the test fails, naming the package to install: never a skip.
 */
public final class Tools {
    private Tools() {
    }

    public static synchronized String require(String binary, String debianPackage) {
        String found = find(binary);
        if (found != null) {
            return found;
        }
        String why;
        if (onPath("apt-get") == null) {
            why = "there is no apt-get here";
        } else if (!"root".equals(System.getProperty("user.name"))) {
            why = "installing needs root (this is " + System.getProperty("user.name") + ")";
        } else {
            why = install(debianPackage);
            found = find(binary);
            if (found != null) {
                return found;
            }
            why += ", but " + binary + " is neither on the PATH nor in " + String.join(", ", DEBIAN_DIRS);
        }
        throw new AssertionError(binary + " is not installed and could not be installed (" + why + "): run "
                + "`apt-get install -y " + debianPackage + "` (.ci/run does this), then run the tests again");
    }

    /** apt-get install; on failure (no package lists yet) apt-get update once and install again. */
    private static String install(String pkg) {
        try {
            Path log = Files.createTempFile("rapidfire-test-apt-", ".log");
            if (run(log, "apt-get", "install", "-y", "-qq", pkg)) {
                return "installed";
            }
            if (run(log, "apt-get", "update", "-qq") && run(log, "apt-get", "install", "-y", "-qq", pkg)) {
                return "installed";
            }
            return "apt-get install " + pkg + " failed, log " + log;
        } catch (Exception e) {
            return "apt-get could not run: " + e;
        }
    }

    private static boolean run(Path log, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
        Process p = pb.start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            return false;
        }
        return p.exitValue() == 0;
    }

    /** Where Debian's packages put their programs: a tool installed there is used even when the PATH is narrower. */
    private static final List<String> DEBIAN_DIRS = List.of("/usr/bin", "/usr/sbin", "/bin", "/sbin");

    private static String find(String binary) {
        String found = onPath(binary);
        if (found != null) {
            return found;
        }
        return DEBIAN_DIRS.stream().map(d -> new File(d, binary)).filter(File::canExecute).map(File::getPath)
                .findFirst().orElse(null);
    }

    private static String onPath(String binary) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            File f = new File(dir, binary);
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        return null;
    }
}
