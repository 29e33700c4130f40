package io.rapidfire.ops.doctor;

import io.lettuce.core.RedisURI;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The guide's "redis-cli MONITOR | grep rapid-fire", done for a bounded time over a RESP socket, with TLS when
 * REDIS_URL is rediss:// (peer verified as the processes verify it: the JVM's trust store, host name checked unless
 * verifyPeer says otherwise), so AUTH never goes out in clear when the processes' own connections would not:
 * returns the commands that touched keys under the namespace, with the client address that sent them.
 * Commands run inside Lua scripts show as client "lua" and are Rapidfire's own.
 */
final class Monitor {
    record Seen(String addr, int db, String command, String key) {
    }

    private static final Pattern LINE = Pattern.compile("^\\+[0-9.]+ \\[(\\d+) ([^\\]]+)] \"([^\"]+)\"(?: \"([^\"]*)\")?.*");

    private Monitor() {
    }

    static List<Seen> watch(RedisURI uri, String namespace, long millis) throws IOException {
        List<Seen> out = new ArrayList<>();
        try (Socket s = open(uri)) {
            s.setSoTimeout(200);
            OutputStream o = s.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            if (uri.getPassword() != null && uri.getPassword().length > 0) {
                String user = uri.getUsername();
                o.write(resp(user == null ? new String[]{"AUTH", new String(uri.getPassword())}
                        : new String[]{"AUTH", user, new String(uri.getPassword())}));
                expectOk(in, "AUTH");
            }
            o.write(resp(new String[]{"CLIENT", "SETNAME", "rapidfire:doctor-monitor:" + ProcessHandle.current().pid()
                    + "@doctor"}));
            expectOk(in, "CLIENT SETNAME");
            o.write(resp(new String[]{"MONITOR"}));
            expectOk(in, "MONITOR");
            long end = System.nanoTime() + millis * 1_000_000;
            while (System.nanoTime() < end) {
                String line;
                try {
                    line = in.readLine();
                } catch (SocketTimeoutException idle) {
                    continue;
                }
                if (line == null) {
                    break;
                }
                Matcher m = LINE.matcher(line);
                if (m.matches() && m.group(4) != null && m.group(4).startsWith(namespace + ":")) {
                    out.add(new Seen(m.group(2), Integer.parseInt(m.group(1)), m.group(3).toUpperCase(), m.group(4)));
                }
            }
        }
        return out;
    }

    private static Socket open(RedisURI uri) throws IOException {
        if (!uri.isSsl()) {
            return new Socket(uri.getHost(), uri.getPort());
        }
        try {
            javax.net.ssl.SSLContext tls = uri.getVerifyMode() == io.lettuce.core.SslVerifyMode.NONE ? trustingAll()
                    : javax.net.ssl.SSLContext.getDefault();
            javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) tls.getSocketFactory().createSocket(uri.getHost(),
                    uri.getPort());
            if (uri.getVerifyMode() == io.lettuce.core.SslVerifyMode.FULL) {
                javax.net.ssl.SSLParameters p = s.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS");
                s.setSSLParameters(p);
            }
            s.startHandshake();
            return s;
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** verifyPeer=NONE in REDIS_URL: encrypted, peer not checked, as the processes' own connections do then. */
    private static javax.net.ssl.SSLContext trustingAll() throws java.security.GeneralSecurityException {
        javax.net.ssl.TrustManager any = new javax.net.ssl.X509TrustManager() {
            @Override
            public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {
            }

            @Override
            public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                return new java.security.cert.X509Certificate[0];
            }
        };
        javax.net.ssl.SSLContext c = javax.net.ssl.SSLContext.getInstance("TLS");
        c.init(null, new javax.net.ssl.TrustManager[]{any}, null);
        return c;
    }

    private static void expectOk(BufferedReader in, String what) throws IOException {
        String r = in.readLine();
        if (r == null || !r.startsWith("+")) {
            throw new IOException(what + " refused: " + r);
        }
    }

    private static byte[] resp(String[] args) {
        StringBuilder b = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            b.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }
}
