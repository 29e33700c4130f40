package io.rapidfire.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on a free loopback port in front of a real server, for network faults between a process and
 * Redis: {@link #stall()} holds every byte in both directions while connections stay open (a hung network or a
 * frozen peer), {@link #reset()} aborts every connection with an RST and refuses new ones until restored,
 * {@link #drop()} closes every connection cleanly (FIN) and refuses new ones, {@link #restore()} lets traffic
 * flow again. {@link #sentByClients()} is every byte clients sent through it, as it went over the wire (a test
 * looks for a password in clear). Two threads per connection; for tests with a handful of connections.
 */
public final class TcpProxy implements AutoCloseable {
    private enum Mode { PASS, STALL, DOWN }

    private final ServerSocket server;
    private final int targetPort;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Object gate = new Object();
    private volatile Mode mode = Mode.PASS;
    private volatile boolean closed;
    private final java.io.ByteArrayOutputStream fromClients = new java.io.ByteArrayOutputStream();

    public TcpProxy(int targetPort) {
        this.targetPort = targetPort;
        try {
            server = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the proxy's port", e);
        }
        Thread t = new Thread(this::accept, "tcp-proxy-" + port());
        t.setDaemon(true);
        t.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    public String redisUrl() {
        return "redis://127.0.0.1:" + port();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                if (mode == Mode.DOWN) {
                    abort(client);
                    continue;
                }
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(client);
                sockets.add(upstream);
                pump(client, upstream, true);
                pump(upstream, client, false);
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    /** Every byte clients have sent through the proxy so far, as on the wire. */
    public byte[] sentByClients() {
        synchronized (fromClients) {
            return fromClients.toByteArray();
        }
    }

    private void pump(Socket from, Socket to, boolean record) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    if (record) {
                        // Recorded as it arrives, even while stalled: a test can see a command reach the proxy.
                        synchronized (fromClients) {
                            fromClients.write(buf, 0, n);
                        }
                    }
                    awaitFlow();
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // the other side went, or the proxy cut it
            } finally {
                close(from);
                close(to);
            }
        }, "tcp-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private void awaitFlow() throws InterruptedException, IOException {
        synchronized (gate) {
            while (mode == Mode.STALL) {
                gate.wait();
            }
        }
        if (mode == Mode.DOWN) {
            throw new IOException("proxy down");
        }
    }

    /** Holds every byte; open connections stay open, new ones are accepted and held too. */
    public void stall() {
        mode = Mode.STALL;
    }

    /** Aborts every connection (RST) and refuses new ones until {@link #restore()}. */
    public void reset() {
        cut(true);
    }

    /** Closes every connection (FIN) and refuses new ones until {@link #restore()}. */
    public void drop() {
        cut(false);
    }

    private void cut(boolean rst) {
        synchronized (gate) {
            mode = Mode.DOWN;
            gate.notifyAll();
        }
        for (Socket s : sockets) {
            if (rst) {
                abort(s);
            } else {
                close(s);
            }
        }
    }

    public void restore() {
        synchronized (gate) {
            mode = Mode.PASS;
            gate.notifyAll();
        }
    }

    private void abort(Socket s) {
        try {
            s.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // already closed
        }
        close(s);
    }

    private void close(Socket s) {
        sockets.remove(s);
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        closed = true;
        cut(false);
        try {
            server.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
