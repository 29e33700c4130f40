package io.rapidfire.ingest;

import io.rapidfire.http.Answers;
import io.rapidfire.http.Tokens;

import com.fasterxml.jackson.databind.JsonNode;
import io.rapidfire.core.MessageCodec;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * The WhatsApp bridge route's token (RAPIDFIRE_BRIDGE_TOKEN), for bridges that sign nothing but send the headers
 * they are told to: Evolution API's webhook {@code headers} ({@code Authorization: Bearer <token>}), or its
 * {@code jwt_key}, with which it sends a fresh HS256 JWT (ten minutes' expiry) on every request. A JWT is checked
 * for its algorithm, its signature (constant time) and its times (±{@link #SKEW_MS}); anything else is compared to
 * the token exactly. A static token has no replay protection (like Z-API's): messages are de-duplicated by id, and a
 * token in a header stays out of access logs, unlike one in a URL.
 */
final class BridgeTokens {
    static final long SKEW_MS = 60_000;

    private BridgeTokens() {
    }

    /** Null when {@code authorization} carries the token (or a valid JWT signed with it), else what is wrong. */
    static String problem(String token, String authorization, long nowMs) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return "Authorization must be \"Bearer <RAPIDFIRE_BRIDGE_TOKEN>\" or \"Bearer <HS256 JWT signed with it>\"";
        }
        String given = authorization.substring(7).trim();
        String[] parts = given.split("\\.", -1);
        if (parts.length != 3) {
            return Tokens.same(token, given) ? null : "the bearer token does not match RAPIDFIRE_BRIDGE_TOKEN";
        }
        return jwtProblem(token, parts, nowMs);
    }

    private static String jwtProblem(String key, String[] parts, long nowMs) {
        try {
            Base64.Decoder b64 = Base64.getUrlDecoder();
            JsonNode header = MessageCodec.JSON.readTree(b64.decode(parts[0]));
            if (!"HS256".equals(header.path("alg").asText())) {
                return "the JWT's alg must be HS256 (signed with RAPIDFIRE_BRIDGE_TOKEN), got \""
                        + Answers.clip(header.path("alg").asText()) + "\"";
            }
            byte[] expected = Signatures.macOf("HmacSHA256", key).doFinal((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!MessageDigest.isEqual(expected, b64.decode(parts[2]))) {
                return "the JWT's signature does not match RAPIDFIRE_BRIDGE_TOKEN (Evolution's jwt_key must be the same)";
            }
            JsonNode claims = MessageCodec.JSON.readTree(b64.decode(parts[1]));
            if (!claims.path("exp").canConvertToLong()) {
                return "the JWT has no exp: a signed token must expire";
            }
            if (claims.get("exp").asLong() * 1000 < nowMs - SKEW_MS) {
                return "the JWT expired " + (nowMs / 1000 - claims.get("exp").asLong()) + " s ago (check the bridge's clock)";
            }
            for (String notBefore : new String[]{"nbf", "iat"}) {
                if (claims.path(notBefore).canConvertToLong() && claims.get(notBefore).asLong() * 1000 > nowMs + SKEW_MS) {
                    return "the JWT's " + notBefore + " is in the future (check the bridge's clock)";
                }
            }
            return null;
        } catch (IllegalArgumentException | java.io.IOException e) {
            return "the bearer token is neither RAPIDFIRE_BRIDGE_TOKEN nor a readable JWT";
        }
    }
}
