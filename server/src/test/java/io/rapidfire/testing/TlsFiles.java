package io.rapidfire.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.Base64;
import java.util.List;

/**
 * A self-signed certificate for 127.0.0.1 and localhost, made with the JDK's own keytool (nothing to install):
 * PEM certificate and key for a TLS-enabled redis-server, and a PKCS12 trust store for the JVM that connects to it
 * ({@code -Djavax.net.ssl.trustStore}).
 */
public record TlsFiles(Path cert, Path key, Path trustStore, String trustStorePassword) {
    private static final String PASSWORD = "changeit";

    public static TlsFiles create() {
        try {
            Path dir = Files.createTempDirectory("rf-tls-");
            Path keyStore = dir.resolve("server.p12");
            keytool("-genkeypair", "-alias", "redis", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                    "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
                    "-keystore", keyStore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
            Path cert = dir.resolve("redis.crt");
            keytool("-exportcert", "-rfc", "-alias", "redis", "-keystore", keyStore.toString(), "-storepass", PASSWORD,
                    "-file", cert.toString());
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keyStore)) {
                ks.load(in, PASSWORD.toCharArray());
            }
            PrivateKey pk = (PrivateKey) ks.getKey("redis", PASSWORD.toCharArray());
            Path key = dir.resolve("redis.key");
            Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pk.getEncoded())
                    + "\n-----END PRIVATE KEY-----\n");
            Path trust = dir.resolve("trust.p12");
            keytool("-importcert", "-noprompt", "-alias", "redis", "-file", cert.toString(), "-storetype", "PKCS12",
                    "-keystore", trust.toString(), "-storepass", PASSWORD);
            return new TlsFiles(cert, key, trust, PASSWORD);
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a test certificate with keytool: " + e, e);
        }
    }

    /** redis-server arguments for a TLS port with this certificate (clients need no certificate of their own). */
    public List<String> redisArgs(int tlsPort) {
        return List.of("--tls-port", Integer.toString(tlsPort), "--tls-cert-file", cert.toString(), "--tls-key-file",
                key.toString(), "--tls-ca-cert-file", cert.toString(), "--tls-auth-clients", "no");
    }

    /** JVM options that make a process trust this certificate. */
    public List<String> jvmTrust() {
        return List.of("-Djavax.net.ssl.trustStore=" + trustStore, "-Djavax.net.ssl.trustStorePassword=" + trustStorePassword,
                "-Djavax.net.ssl.trustStoreType=PKCS12");
    }

    private static void keytool(String... args) throws IOException {
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool")
                .toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        try {
            if (p.waitFor() != 0) {
                throw new IOException("keytool " + args[0] + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
