package io.rapidfire.processes;

import io.rapidfire.testing.RapidfireProcess;
import io.rapidfire.testing.RedisServer;
import io.rapidfire.testing.TcpProxy;
import io.rapidfire.testing.TlsFiles;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * `rapidfire doctor` against a TLS-enabled redis-server with a password (rediss://): every connection it opens
 * (its checks, --watch's MONITOR, the opt-in --scan-ports) goes over TLS with the configured credentials. The
 * traffic is read on the wire, through a TCP proxy in front of the TLS port: the password never appears in it.
 */
@Tag("processes")
class DoctorOverTlsTest {
    private static final String PASSWORD = "Pa55-in-clear-would-show";

    @Test
    void theDoctorTalksToATlsRedisOnlyOverTlsAndNeverSendsThePasswordInClear() throws Exception {
        TlsFiles tls = TlsFiles.create();
        int tlsPort = RedisServer.freePort();
        List<String> args = new ArrayList<>(tls.redisArgs(tlsPort));
        args.addAll(List.of("--requirepass", PASSWORD));
        List<String> jvm = new ArrayList<>(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        jvm.addAll(tls.jvmTrust());
        try (RedisServer redis = RedisServer.start(args.toArray(String[]::new));
             TcpProxy wire = new TcpProxy(tlsPort);
             TcpProxy otherPort = new TcpProxy(tlsPort)) {
            String url = "rediss://:" + PASSWORD + "@127.0.0.1:" + wire.port() + "/0";
            try (RapidfireProcess worker = RapidfireProcess.start(jvm, Map.of("REDIS_URL", url,
                    "RAPIDFIRE_HEARTBEAT_MS", "200"), "worker")) {
                worker.awaitOutput("Rapidfire worker running", Duration.ofSeconds(30));
                try (RapidfireProcess doctor = RapidfireProcess.start(jvm, Map.of("REDIS_URL", url), "doctor",
                        "--watch", "1", "--probe-ms", "3000", "--scan-ports", Integer.toString(otherPort.port()))) {
                    doctor.awaitExit(Duration.ofSeconds(60));
                    String out = doctor.output();
                    assertThat(out).as("it reached the server over TLS").containsPattern("PASS +redis ")
                            .containsPattern("(PASS|WARN) +watch ").doesNotContain("MONITOR failed")
                            // The scan reached the other port (TLS, AUTH) and listed its clients: it is this server.
                            .contains("uses port " + otherPort.port())
                            .doesNotContain(PASSWORD);
                }
            }
            for (TcpProxy p : List.of(wire, otherPort)) {
                byte[] sent = p.sentByClients();
                assertThat(sent).as("traffic through port " + p.port()).isNotEmpty();
                assertThat(sent[0]).as("it starts with a TLS handshake record").isEqualTo((byte) 0x16);
                String wireText = new String(sent, StandardCharsets.ISO_8859_1);
                assertThat(wireText).as("the password in clear on port " + p.port()).doesNotContain(PASSWORD)
                        .doesNotContain("AUTH");
            }
        }
    }
}
