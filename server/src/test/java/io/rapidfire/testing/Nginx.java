package io.rapidfire.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real nginx reverse proxy in front of a port, configured the way docs/security.md tells operators to: it passes
 * the Host and appends the address it sees to X-Forwarded-For ({@code $proxy_add_x_forwarded_for}). Installed
 * with apt-get when missing, as .ci/run does; its files live in a temporary folder; stopped by PID.
 */
public final class Nginx implements AutoCloseable {
    private final Process process;
    private final Path dir;
    public final int port;

    private Nginx(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    public static Nginx proxyTo(int upstreamPort) {
        String nginx = Tools.require("nginx", "nginx");
        try {
            Path dir = Files.createTempDirectory("rapidfire-nginx-");
            int port = RedisServer.freePort();
            String conf = """
                    daemon off;
                    master_process off;
                    worker_processes 1;
                    pid %1$s/nginx.pid;
                    error_log %1$s/error.log warn;
                    events { worker_connections 256; }
                    http {
                      access_log off;
                      client_body_temp_path %1$s/body;
                      proxy_temp_path %1$s/proxy;
                      fastcgi_temp_path %1$s/fastcgi;
                      uwsgi_temp_path %1$s/uwsgi;
                      scgi_temp_path %1$s/scgi;
                      server {
                        listen 127.0.0.1:%2$d;
                        location / {
                          proxy_pass http://127.0.0.1:%3$d;
                          proxy_http_version 1.1;
                          proxy_set_header Host $host;
                          proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                          proxy_set_header X-Forwarded-Proto $scheme;
                        }
                      }
                    }
                    """.formatted(dir, port, upstreamPort);
            Files.writeString(dir.resolve("nginx.conf"), conf);
            Process p = new ProcessBuilder(nginx, "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString(),
                    "-e", dir.resolve("error.log").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("out.log").toFile()).start();
            Nginx n = new Nginx(p, dir, port);
            try {
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                        .failFast("nginx exited (see " + dir + "/error.log)", () -> !p.isAlive())
                        .ignoreExceptions().until(() -> {
                            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                                return true;
                            }
                        });
            } catch (RuntimeException e) {
                n.close();
                throw new IllegalStateException("nginx did not listen on " + port + " within 10 s: " + e.getMessage()
                        + "; " + Files.readString(dir.resolve("error.log")), e);
            }
            return n;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start nginx: " + e, e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
