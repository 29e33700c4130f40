package io.rapidfire.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * The benchmark's HTTP load generator: one thread, one selector, N keep-alive HTTP/1.1 connections with one request
 * in flight on each. Why not the JDK HttpClient with a thread per request in flight, as before: on two cores, where
 * a thread wake-up costs about 12 µs of CPU, its 64 threads took about as much CPU as Rapidfire did, so the
 * benchmark measured itself (issue 16). This thread's own CPU is measured ({@link #cpuMicros}) and reported apart.
 */
final class HttpLoad implements AutoCloseable {
    /** One request to send and what to call it when it is answered. */
    record Request(byte[] bytes, long tag) {
    }

    /** What to send, asked whenever a connection is free. Called on the generator's thread only. */
    interface Plan {
        /** The request to send now on connection {@code conn}, or null when none is due yet (or none is left). */
        Request next(int conn, long nowMs);

        /** When to ask again while nothing is due: ms since the run started; Long.MAX_VALUE when nothing is left. */
        long nextDueMs();

        /** A request was answered: HTTP status, or -1 when the connection failed before an answer. */
        void answered(long tag, int status, long latencyNanos);
    }

    private final String host = "127.0.0.1";
    private final int port;
    private final Conn[] conns;
    private final Selector selector;
    private long cpuNanos;

    HttpLoad(int port, int connections) throws IOException {
        this.port = port;
        this.selector = Selector.open();
        this.conns = new Conn[connections];
        for (int i = 0; i < connections; i++) {
            conns[i] = new Conn(i);
            conns[i].open();
        }
    }

    /** A POST of a JSON body, as a platform's webhook sends it. */
    static byte[] post(int port, String path, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    /** Runs the plan until nothing is left to send and every request is answered. */
    void run(Plan plan) throws IOException {
        long cpu0 = threadCpuNanos();
        long t0 = System.currentTimeMillis();
        ArrayDeque<Conn> idle = new ArrayDeque<>(java.util.Arrays.asList(conns));
        int busy = 0;
        while (true) {
            long now = System.currentTimeMillis() - t0;
            for (int n = idle.size(); n > 0; n--) {
                Conn c = idle.poll();
                Request r = plan.next(c.index, now);
                if (r == null) {
                    idle.add(c);
                    continue;
                }
                c.send(r);
                busy++;
            }
            long due = plan.nextDueMs();
            if (busy == 0 && due == Long.MAX_VALUE) {
                break;
            }
            long wait = idle.isEmpty() || due == Long.MAX_VALUE ? 0 : due - (System.currentTimeMillis() - t0);
            if (idle.isEmpty() || due == Long.MAX_VALUE) {
                selector.select(1_000);
            } else if (wait > 0) {
                selector.select(wait);
            } else {
                selector.selectNow();
            }
            for (SelectionKey k : selector.selectedKeys()) {
                Conn c = (Conn) k.attachment();
                int status = c.onReady(k);
                if (status != 0) {
                    plan.answered(c.tag, status, System.nanoTime() - c.startNanos);
                    busy--;
                    idle.add(c);
                }
            }
            selector.selectedKeys().clear();
        }
        cpuNanos += threadCpuNanos() - cpu0;
    }

    /** CPU this generator's thread spent in {@link #run} so far. */
    long cpuMicros() {
        return cpuNanos / 1_000;
    }

    private static long threadCpuNanos() {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    @Override
    public void close() throws IOException {
        for (Conn c : conns) {
            c.channel.close();
        }
        selector.close();
    }

    /** One keep-alive connection and the response being read on it. */
    private final class Conn {
        final int index;
        SocketChannel channel;
        SelectionKey key;
        ByteBuffer out;
        ByteBuffer in = ByteBuffer.allocate(16_384);
        long tag;
        long startNanos;
        boolean busy;

        Conn(int index) {
            this.index = index;
        }

        void open() throws IOException {
            channel = SocketChannel.open(new InetSocketAddress(host, port));
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.configureBlocking(false);
            key = channel.register(selector, SelectionKey.OP_READ, this);
        }

        void send(Request r) throws IOException {
            tag = r.tag();
            busy = true;
            startNanos = System.nanoTime();
            in.clear();
            out = ByteBuffer.wrap(r.bytes());
            channel.write(out);
            key.interestOps(out.hasRemaining() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        }

        /** 0 while the response is incomplete, else its status (-1: the connection broke; it is opened again). */
        int onReady(SelectionKey k) throws IOException {
            if (k.isValid() && k.isWritable()) {
                channel.write(out);
                if (!out.hasRemaining()) {
                    key.interestOps(SelectionKey.OP_READ);
                }
            }
            if (!k.isValid() || !k.isReadable()) {
                return 0;
            }
            if (!in.hasRemaining()) {
                ByteBuffer bigger = ByteBuffer.allocate(in.capacity() * 2);
                in.flip();
                bigger.put(in);
                in = bigger;
            }
            int n;
            try {
                n = channel.read(in);
            } catch (IOException reset) {
                n = -1;
            }
            if (n < 0) {
                // An idle connection the server closed is simply opened again; a busy one lost its answer.
                key.cancel();
                channel.close();
                open();
                return busy ? done(-1) : 0;
            }
            return busy ? done(complete()) : 0;
        }

        private int done(int status) {
            busy = status == 0;
            return status;
        }

        /** The status once the whole response (head and Content-Length body) is in the buffer, else 0. */
        private int complete() {
            byte[] b = in.array();
            int len = in.position();
            int headEnd = -1;
            for (int i = 3; i < len; i++) {
                if (b[i] == '\n' && b[i - 1] == '\r' && b[i - 2] == '\n' && b[i - 3] == '\r') {
                    headEnd = i + 1;
                    break;
                }
            }
            if (headEnd < 0) {
                return 0;
            }
            String head = new String(b, 0, headEnd, StandardCharsets.US_ASCII);
            int status = Integer.parseInt(head.substring(9, 12));
            int at = head.toLowerCase(java.util.Locale.ROOT).indexOf("\r\ncontent-length:");
            if (at < 0) {
                throw new IllegalStateException("the benchmark's generator reads Content-Length answers only; got: " + head);
            }
            int eol = head.indexOf("\r\n", at + 2);
            int bodyLength = Integer.parseInt(head.substring(at + 17, eol).trim());
            return len >= headEnd + bodyLength ? status : 0;
        }
    }
}
