package io.rapidfire.ingest;

import io.rapidfire.http.EdgeRules;
import io.rapidfire.http.EdgeSettings;
import io.rapidfire.http.Refused;
import io.rapidfire.http.RequestHead;

import io.rapidfire.config.Addresses;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The edge rules on their own, as a table of requests: who the client is, which writes are cross-site, which Host trusts. */
@Tag("fast")
class EdgeRulesTest {
    /** A request head from a peer with headers given as "Name: value" lines. */
    private static RequestHead head(String peer, String... lines) {
        Map<String, List<String>> h = new LinkedHashMap<>();
        for (String l : lines) {
            int colon = l.indexOf(':');
            h.computeIfAbsent(l.substring(0, colon).trim().toLowerCase(), k -> new ArrayList<>()).add(l.substring(colon + 1).trim());
        }
        return new RequestHead() {
            public String method() {
                return "POST";
            }

            public String path() {
                return "/";
            }

            public String peer() {
                return peer;
            }

            public String header(String name) {
                List<String> v = h.get(name.toLowerCase());
                return v == null ? null : v.get(0);
            }

            public List<String> headers(String name) {
                return h.getOrDefault(name.toLowerCase(), List.of());
            }
        };
    }

    private static EdgeRules proxies(String header, String... proxies) {
        return new EdgeRules(EdgeSettings.defaults().withProxies(List.of(proxies), header));
    }

    @ParameterizedTest(name = "peer {0}, {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            // no forwarding header: the peer
            "10.0.0.9 | | 10.0.0.9",
            // the proxy appended the client it saw
            "10.0.0.9 | X-Forwarded-For: 203.0.113.7 | 203.0.113.7",
            // a client's own (spoofed) entry sits left of what the proxy appended: never reached
            "10.0.0.9 | X-Forwarded-For: 127.0.0.1, 203.0.113.7 | 203.0.113.7",
            // a chain of listed proxies is skipped from the right
            "10.0.0.9 | X-Forwarded-For: 203.0.113.7, 10.0.0.8 | 203.0.113.7",
            // every hop a proxy: the first the chain knows of
            "10.0.0.9 | X-Forwarded-For: 10.0.0.7, 10.0.0.8 | 10.0.0.7",
            // an address with a port, and IPv6
            "10.0.0.9 | X-Forwarded-For: 203.0.113.7:5544 | 203.0.113.7",
            "10.0.0.9 | X-Forwarded-For: 2001:db8::1 | 2001:db8:0:0:0:0:0:1",
            // from a peer that is not a listed proxy the header is ignored
            "198.51.100.2 | X-Forwarded-For: 127.0.0.1 | 198.51.100.2",
            "127.0.0.1 | X-Forwarded-For: 10.0.0.1 | 127.0.0.1"})
    void theClientIsTheRightmostForwardedAddressThatIsNotAListedProxy(String peer, String header, String client) {
        EdgeRules rules = proxies(EdgeSettings.X_FORWARDED_FOR, "10.0.0.0/24");
        RequestHead h = header == null ? head(peer) : head(peer, header);
        assertThat(rules.client(h)).isEqualTo(client);
    }

    @Test
    void severalHeaderLinesAreOneListAndForwardedIsReadOnlyWhenNamed() {
        EdgeRules xff = proxies(EdgeSettings.X_FORWARDED_FOR, "loopback");
        assertThat(xff.client(head("127.0.0.1", "X-Forwarded-For: 203.0.113.1", "X-Forwarded-For: 203.0.113.2")))
                .isEqualTo("203.0.113.2");
        assertThat(xff.client(head("127.0.0.1", "Forwarded: for=198.51.100.1"))).as("Forwarded not named: ignored")
                .isEqualTo("127.0.0.1");
        EdgeRules fwd = proxies(EdgeSettings.FORWARDED, "loopback");
        assertThat(fwd.client(head("127.0.0.1", "Forwarded: for=198.51.100.1;proto=https, for=\"[2001:db8::2]:4711\"")))
                .isEqualTo("2001:db8:0:0:0:0:0:2");
        assertThat(fwd.client(head("127.0.0.1", "X-Forwarded-For: 203.0.113.1"))).isEqualTo("127.0.0.1");
        EdgeRules realIp = proxies(EdgeSettings.X_REAL_IP, "loopback");
        assertThat(realIp.client(head("127.0.0.1", "X-Real-IP: 198.51.100.4", "X-Forwarded-For: 203.0.113.1")))
                .isEqualTo("198.51.100.4");
        assertThat(new EdgeRules(EdgeSettings.defaults()).client(head("127.0.0.1", "X-Forwarded-For: 203.0.113.1")))
                .as("no proxy listed: the header means nothing").isEqualTo("127.0.0.1");
    }

    @ParameterizedTest(name = "{0} / {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "                    |                        | allowed",
            "same-origin         |                        | allowed",
            "none                |                        | allowed",
            "cross-site          |                        | refused",
            "same-site           |                        | refused",
            "                    | http://127.0.0.1:8080  | allowed",
            "                    | http://evil.example    | refused",
            "                    | null                   | refused",
            "                    | http://127.0.0.1:9999  | refused",
            "                    | https://rf.example.com | allowed",
            "same-origin         | https://rf.example.com | allowed"})
    void aWriteIsRefusedWhenTheBrowserSaysItCameFromAnotherSite(String fetchSite, String origin, String verdict) {
        EdgeRules rules = new EdgeRules(EdgeSettings.defaults().withAllowedHosts(List.of("rf.example.com")));
        List<String> lines = new ArrayList<>(List.of("Host: 127.0.0.1:8080"));
        if (fetchSite != null) {
            lines.add("Sec-Fetch-Site: " + fetchSite);
        }
        if (origin != null) {
            lines.add("Origin: " + origin);
        }
        RequestHead h = head("127.0.0.1", lines.toArray(String[]::new));
        if (verdict.equals("allowed")) {
            rules.refuseCrossSite(h);
        } else {
            assertThatThrownBy(() -> rules.refuseCrossSite(h)).isInstanceOf(Refused.class)
                    .satisfies(e -> assertThat(((Refused) e).status).isEqualTo(403));
        }
    }

    @ParameterizedTest(name = "Host {0} -> {1}")
    @CsvSource({"127.0.0.1:8080,true", "localhost:8080,true", "app.localhost,true", "[::1]:8080,true", "10.1.2.3,true",
            "rapidfire.internal:8080,true", "rebind.evil.example:8080,false", "127.0.0.1.evil.example,false"})
    void addressTrustHoldsOnlyUnderAHostThatNamesThisServer(String host, boolean trusted) {
        EdgeRules rules = new EdgeRules(EdgeSettings.defaults().withAllowedHosts(List.of("rapidfire.internal")));
        assertThat(rules.trusted(head("127.0.0.1", "Host: " + host), "127.0.0.1", List.of("loopback"))).isEqualTo(trusted);
    }

    @Test
    void loopbackTrustIsNeverGivenToARequestThatCameThroughAProxy() {
        EdgeRules behindNginx = proxies(EdgeSettings.X_FORWARDED_FOR, "127.0.0.1", "10.0.0.0/8");
        RequestHead viaProxy = head("127.0.0.1", "Host: 127.0.0.1:8080", "X-Forwarded-For: 127.0.0.1");
        assertThat(behindNginx.trusted(viaProxy, behindNginx.client(viaProxy), List.of("loopback"))).isFalse();
        RequestHead claimed = head("10.1.2.3", "Host: 127.0.0.1:8080", "X-Forwarded-For: 127.0.0.1");
        assertThat(behindNginx.client(claimed)).isEqualTo("127.0.0.1");
        assertThat(behindNginx.trusted(claimed, "127.0.0.1", List.of("loopback")))
                .as("a host in a wide proxy range claiming loopback").isFalse();
        assertThat(behindNginx.trusted(head("10.1.2.3", "X-Forwarded-For: 192.168.7.7"), "192.168.7.7",
                List.of("192.168.7.0/24"))).as("a listed address behind a listed proxy is itself").isTrue();
        EdgeRules none = new EdgeRules(EdgeSettings.defaults());
        assertThat(none.trusted(head("127.0.0.1", "X-Forwarded-For: 203.0.113.9"), "127.0.0.1", List.of("loopback")))
                .as("an undeclared same-host proxy: its callers are not loopback").isFalse();
        assertThat(none.whyNotTrusted(head("127.0.0.1", "X-Real-IP: 203.0.113.9"), "127.0.0.1", List.of("loopback")))
                .contains("RAPIDFIRE_TRUSTED_PROXIES");
        assertThat(none.trusted(head("127.0.0.1", "Host: localhost"), "127.0.0.1", List.of("loopback"))).isTrue();
    }

    @Test
    void listsTakeLoopbackAddressesAndCidrBlocksAndNothingElse() {
        assertThat(Addresses.listed("10.1.2.3", List.of("10.0.0.0/8"))).isTrue();
        assertThat(Addresses.listed("11.1.2.3", List.of("10.0.0.0/8"))).isFalse();
        assertThat(Addresses.listed("2001:db8::5", List.of("2001:db8::/32"))).isTrue();
        assertThat(Addresses.listed("127.0.0.2", List.of("loopback"))).isTrue();
        assertThat(Addresses.listed("127.evil.example", List.of("loopback"))).as("names are never looked up").isFalse();
        assertThat(Addresses.problem(List.of("loopback", "10.0.0.0/8", "::1"))).isNull();
        assertThat(Addresses.problem(List.of("nginx.local"))).contains("nginx.local");
        assertThat(Addresses.problem(List.of("10.0.0.0/33"))).contains("10.0.0.0/33");
        assertThat(Addresses.literal("999.1.1.1")).as("not an address, and never looked up as a name").isNull();
    }

    @Test
    void aBodyIsReadUpToTheLimitAndRefusedOneBytePastIt() {
        byte[] exactly = new byte[1_024];
        assertThat(EdgeRules.readBody(new ByteArrayInputStream(exactly), -1, 1_024, "RAPIDFIRE_MAX_BODY_BYTES")).hasSize(1_024);
        InputStream endless = new InputStream() {
            long served;

            @Override
            public int read() {
                served++;
                return 'a';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                served += len;
                java.util.Arrays.fill(b, off, off + len, (byte) 'a');
                return len;
            }
        };
        assertThatThrownBy(() -> EdgeRules.readBody(endless, -1, 1_024, "RAPIDFIRE_MAX_BODY_BYTES"))
                .isInstanceOf(Refused.class).hasMessageContaining("more than 1024 bytes")
                .hasMessageContaining("RAPIDFIRE_MAX_BODY_BYTES");
        assertThatThrownBy(() -> EdgeRules.readBody(new ByteArrayInputStream(new byte[0]), 5_000_000, 1_024, "X"))
                .as("a declared length past the limit is refused before reading").hasMessageContaining("5000000");
    }
}
