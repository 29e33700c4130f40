package io.rapidfire.processes;

import io.rapidfire.testing.RapidfireProcess;
import io.rapidfire.testing.RawHttp;
import io.rapidfire.testing.RedisServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real Rapidfire process with a 256 MB heap against bodies of 300 MB sent chunked (no Content-Length to refuse
 * them by), four at once, to an open route and to a closed one. Before the bound, the body was read whole into
 * memory: OutOfMemoryError on a Jetty thread. Now the closed route refuses on its headers and the open one stops
 * reading at the limit: no OutOfMemoryError, the process keeps answering, and its heap after a full GC is within
 * 32 MiB of what it was before. The heap is read with jcmd (GC.run, GC.heap_info), from the JDK running the tests.
 */
@Tag("processes")
class HugeBodiesTest {
    private static final long HUGE = 300L * 1024 * 1024;

    /** Sends a chunked body of up to {@code total} bytes while reading the answer; returns the status line's code. */
    private static int chunked(int port, String path, long total) throws Exception {
        return chunked(port, path, "", total);
    }

    /** As above, the body starting with {@code prefix}: the rest is 'a's. */
    private static int chunked(int port, String path, String prefix, long total) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            CompletableFuture<RawHttp.Response> answer = CompletableFuture.supplyAsync(() -> {
                try {
                    return RawHttp.read(in);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[64 * 1024];
            Arrays.fill(chunk, (byte) 'a');
            byte[] head = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            long sent = 0;
            if (!prefix.isEmpty()) {
                byte[] p = prefix.getBytes(StandardCharsets.US_ASCII);
                out.write((Integer.toHexString(p.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(p);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            try {
                while (sent < total && !answer.isDone()) {
                    out.write(head);
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    sent += chunk.length;
                }
            } catch (IOException closedByServer) {
                // the server answered and closed while we were still sending: what a bound does
            }
            return answer.get(30, TimeUnit.SECONDS).status();
        }
    }

    private static long heapUsedAfterFullGcKb(long pid) throws Exception {
        run("jcmd", Long.toString(pid), "GC.run");
        String info = run("jcmd", Long.toString(pid), "GC.heap_info");
        Matcher m = Pattern.compile("generation\\s+total \\d+K, used (\\d+)K").matcher(info);
        long used = 0;
        int found = 0;
        while (m.find()) {
            used += Long.parseLong(m.group(1));
            found++;
        }
        assertThat(found).as("jcmd GC.heap_info of the serial collector: " + info).isEqualTo(2);
        return used;
    }

    private static String run(String tool, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(java.nio.file.Path.of(System.getProperty("java.home"), "bin", tool).toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    @Test
    void chunkedBodiesOf300MegabytesToAnOpenAndAClosedRouteLeaveA256MegabyteHeapAsItWas() throws Exception {
        int port = RedisServer.freePort();
        // whatsapp open to anyone, telegram closed (no secret, not declared open): the in-memory store, a 256 MB heap.
        try (RapidfireProcess rf = RapidfireProcess.start(Map.of("RAPIDFIRE_PORT", Integer.toString(port),
                "RAPIDFIRE_OPEN_ROUTES", "whatsapp"))) {
            rf.awaitOutput("Rapidfire standalone running", Duration.ofSeconds(30));
            String ok = "{\"from\": \"79001234567@c.us\", \"message\": \"warm\", \"messageId\": \"w-0\"}";
            assertThat(RawHttp.send(null, port, "POST", "/webhook/whatsapp/batched", ok, "Content-Type", "application/json")
                    .status()).isEqualTo(200);
            long before = heapUsedAfterFullGcKb(rf.pid());

            List<CompletableFuture<Integer>> attacks = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                attacks.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        // Media inline as base64 is read as a stream on this route (BridgeBody): the string is skipped
                        // unread, up to RAPIDFIRE_BRIDGE_MAX_BODY_BYTES.
                        return chunked(port, "/webhook/whatsapp/batched", "{\"event\": \"messages.upsert\", \"data\": "
                                + "{\"message\": {\"base64\": \"", HUGE);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            int closed = chunked(port, "/webhook/telegram", HUGE);
            for (CompletableFuture<Integer> a : attacks) {
                assertThat(a.get(120, TimeUnit.SECONDS)).as("the open route stops reading at the limit").isEqualTo(413);
            }
            assertThat(closed).as("the closed route refuses on its headers, before the body").isEqualTo(401);

            String next = "{\"from\": \"79001234567@c.us\", \"message\": \"still here\", \"messageId\": \"w-1\"}";
            assertThat(RawHttp.send(null, port, "POST", "/webhook/whatsapp/batched", next, "Content-Type", "application/json")
                    .status()).as("the process keeps answering").isEqualTo(200);
            long after = heapUsedAfterFullGcKb(rf.pid());
            System.out.printf("huge bodies: heap after full GC %d KiB before, %d KiB after (4 x 300 MB chunked + 1 to a "
                    + "closed route)%n", before, after);
            assertThat(after - before).as("heap growth in KiB").isLessThan(32 * 1024);
            assertThat(rf.isAlive()).isTrue();
            assertThat(rf.output()).doesNotContain("OutOfMemoryError");
        }
    }
}
