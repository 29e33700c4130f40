package io.rapidfire.testing;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real redis-server process on a free port: the one on the PATH (CI installs Debian's redis-server), or
 * else the Linux binary shipped inside the embedded-redis test jar. No mocks. Fails loudly, saying what to
 * install, when neither can start.
 */
public final class RedisServer implements AutoCloseable {
    private Process process;
    private final int port;
    private final Path dir;
    private final List<String> cmd;

    private RedisServer(Process process, int port, Path dir, List<String> cmd) {
        this.process = process;
        this.port = port;
        this.dir = dir;
        this.cmd = cmd;
    }

    public static RedisServer start(String... extraArgs) {
        try {
            int port = freePort();
            Path dir = Files.createTempDirectory("rf-redis-");
            List<String> cmd = new ArrayList<>(List.of(binary(), "--port", Integer.toString(port),
                    "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString()));
            cmd.addAll(List.of(extraArgs));
            return new RedisServer(launch(cmd, port, dir), port, dir, cmd);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start redis-server: " + e.getMessage()
                    + ". Install it (apt-get install -y redis-server) or keep the embedded-redis test jar.", e);
        }
    }

    /**
     * A Sentinel (redis-server --sentinel) on a free port watching {@code masterPort} as {@code masterName}, with a
     * quorum of 1 and a 1 s down-after period so that tests fail over quickly.
     */
    public static RedisServer startSentinel(String masterName, int masterPort) {
        try {
            int port = freePort();
            Path dir = Files.createTempDirectory("rf-sentinel-");
            Path conf = dir.resolve("sentinel.conf");
            Files.writeString(conf, "port " + port + "\nbind 127.0.0.1\ndir " + dir + "\n"
                    + "sentinel monitor " + masterName + " 127.0.0.1 " + masterPort + " 1\n"
                    + "sentinel down-after-milliseconds " + masterName + " 1000\n"
                    + "sentinel failover-timeout " + masterName + " 10000\n");
            List<String> cmd = List.of(binary(), conf.toString(), "--sentinel");
            return new RedisServer(launch(cmd, port, dir), port, dir, cmd);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start redis-server --sentinel: " + e.getMessage(), e);
        }
    }

    /** SIGKILL and start again on the same port and data directory (what survives depends on persistence). */
    public void crashAndRestart() {
        close();
        restart();
    }

    /** Start again (after {@link #close()}) on the same port and data directory. */
    public void restart() {
        try {
            process = launch(cmd, port, dir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot restart redis-server: " + e.getMessage(), e);
        }
    }

    private static Process launch(List<String> cmd, int port, Path dir) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile())).start();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < deadline) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("redis-server exited at start: "
                            + Files.readString(dir.resolve("redis.log")));
                }
                try (Socket s = new Socket("127.0.0.1", port)) {
                    return p;
                } catch (IOException notYet) {
                    Thread.onSpinWait();
                }
            }
            p.destroyForcibly();
            throw new IllegalStateException("redis-server did not listen on port " + port + " within 10 s");
    }

    private static String binary() throws IOException {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File f = new File(dir, "redis-server");
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        String resource = "/redis-server-6.2.6-v5-linux-amd64";
        Path target = Path.of(System.getProperty("java.io.tmpdir"), "rapidfire-test-redis-server-6.2.6");
        if (!Files.isExecutable(target)) {
            try (InputStream in = RedisServer.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IOException("no redis-server on the PATH and no " + resource + " in the embedded-redis jar");
                }
                Path tmp = Files.createTempFile("redis-server", ".tmp");
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                tmp.toFile().setExecutable(true);
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        }
        return target.toString();
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Its data directory (--dir). */
    public Path dir() {
        return dir;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    /** Sends a signal by name (STOP, CONT, KILL) to the server process, as an operator's `kill -NAME` would. */
    public void signal(String name) {
        try {
            int rc = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).inheritIO().start().waitFor();
            if (rc != 0) {
                throw new IllegalStateException("kill -" + name + " " + pid() + " exited " + rc);
            }
            if (name.equals("KILL")) {
                process.waitFor();
            }
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    public String url() {
        return "redis://127.0.0.1:" + port + "/0";
    }

    public String url(int db) {
        return "redis://127.0.0.1:" + port + "/" + db;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
