package io.rapidfire.ingest;

import io.rapidfire.http.WebhookRequest;

import io.rapidfire.core.SharedState;
import io.rapidfire.http.FailedAttempts;
import io.rapidfire.http.Tokens;

import java.util.function.Function;

/**
 * One {@link Verifier} per platform scheme, each given its secret. The checks themselves are in {@link Signatures};
 * this says which headers each platform sends and which signatures carry a time (docs/security.md).
 */
final class Verifiers {
    private Verifiers() {
    }

    /** The bridge scheme (ours): HMAC-SHA256 of method, URL, timestamp and body; a timestamp window and replay marks. */
    static Verifier bridge(String secret, SharedState store) {
        return new Verifier() {
            public String describe() {
                return "bridge signature (x-signature, x-timestamp)";
            }

            public boolean readsStore() {
                return true;
            }

            public String headers(WebhookRequest req) {
                return Signatures.bridgeHeaderProblem(req.header("x-timestamp"), req.header("x-signature"),
                        System.currentTimeMillis());
            }

            public Checked body(WebhookRequest req, BridgeBody.Body body, String tenant) {
                String problem = body.digest() != null
                        ? Signatures.bridgeDigest(req.method(), req.signedUrl(), req.header("x-timestamp"),
                        req.header("x-signature"), body.digest(), System.currentTimeMillis(), store)
                        : Signatures.bridge(secret, req.method(), req.signedUrl(), req.header("x-timestamp"),
                        req.header("x-signature"), body.json(), System.currentTimeMillis(), store);
                return Checked.of(problem, Signatures.bridgeReplay(req.header("x-signature")));
            }

            public boolean timeless() {
                return false;
            }

            public javax.crypto.Mac streamingMac(WebhookRequest req) {
                return Signatures.bridgeMac(secret, req.method(), req.signedUrl(), req.header("x-timestamp"));
            }
        };
    }

    /** Meta's X-Hub-Signature-256 over the body (no time: replays are caught by marks and the age of messages). */
    static Verifier meta(String appSecret, SharedState store, long rememberMs) {
        return new Verifier() {
            public String describe() {
                return "Meta's X-Hub-Signature-256";
            }

            public boolean readsStore() {
                return true;
            }

            public String headers(WebhookRequest req) {
                return Signatures.metaHeaderProblem(req.header("X-Hub-Signature-256"));
            }

            public Checked body(WebhookRequest req, BridgeBody.Body body, String tenant) {
                String header = req.header("X-Hub-Signature-256");
                String problem = Signatures.meta(appSecret, header, body.json());
                if (problem == null) {
                    problem = Signatures.metaTenant(header, tenant, store);
                }
                return Checked.of(problem, Signatures.metaReplay(header, tenant, rememberMs));
            }

            public boolean timeless() {
                return true;
            }
        };
    }

    /** Telegram's secret token: one fixed header on every request, so wrong guesses are throttled per client. */
    static Verifier telegram(String token) {
        return fixedToken("X-Telegram-Bot-Api-Secret-Token", "X-Telegram-Bot-Api-Secret-Token attempts", true,
                req -> req.header("X-Telegram-Bot-Api-Secret-Token"), given -> Signatures.telegram(token, given));
    }

    /**
     * WAHA's X-Webhook-Hmac over the body only: a captured request could be posted again, so its messages are
     * de-duplicated by id and old ones ignored, like Meta's.
     */
    static Verifier waha(String key) {
        return new Verifier() {
            public String describe() {
                return "WAHA's X-Webhook-Hmac (HMAC-SHA512 of the body)";
            }

            public String headers(WebhookRequest req) {
                return Signatures.wahaHeaderProblem(req.header("X-Webhook-Hmac"), req.header("X-Webhook-Hmac-Algorithm"));
            }

            public Checked body(WebhookRequest req, BridgeBody.Body body, String tenant) {
                return Checked.of(Signatures.waha(key, req.header("X-Webhook-Hmac"), req.header("X-Webhook-Hmac-Algorithm"),
                        body.json()), null);
            }

            public boolean timeless() {
                return true;
            }
        };
    }

    /** Chatwoot's X-Chatwoot-Signature over timestamp.body, with a timestamp window and replay marks. */
    static Verifier chatwoot(String secret, SharedState store) {
        return new Verifier() {
            public String describe() {
                return "Chatwoot's X-Chatwoot-Signature (HMAC-SHA256 of timestamp.body)";
            }

            public boolean readsStore() {
                return true;
            }

            public String headers(WebhookRequest req) {
                return Signatures.chatwootHeaderProblem(req.header("X-Chatwoot-Timestamp"),
                        req.header("X-Chatwoot-Signature"), System.currentTimeMillis());
            }

            public Checked body(WebhookRequest req, BridgeBody.Body body, String tenant) {
                return Checked.of(Signatures.chatwoot(secret, req.header("X-Chatwoot-Timestamp"),
                                req.header("X-Chatwoot-Signature"), body.json(), System.currentTimeMillis(), store),
                        Signatures.bridgeReplay(req.header("X-Chatwoot-Signature")));
            }

            public boolean timeless() {
                return false;
            }
        };
    }

    /** Z-API signs nothing: a fixed ?token= in the webhook URL, throttled per client like Telegram's token. */
    static Verifier zapi(String token) {
        return fixedToken("?token= in the webhook URL (Z-API signs nothing)", "Z-API ?token= attempts", false,
                req -> req.query("token"), given -> given == null ? "missing ?token= in the URL (RAPIDFIRE_ZAPI_TOKEN "
                        + "is set: give Z-API the webhook URL .../webhook/z-api?token=<RAPIDFIRE_ZAPI_TOKEN>)"
                        : Tokens.same(token, given) ? null : "?token= does not match RAPIDFIRE_ZAPI_TOKEN");
    }

    /**
     * A fixed string on every request, unlike an HMAC over each body: it could be guessed, so an address's wrong
     * guesses are throttled ({@link FailedAttempts}) before the next is even compared. A request without one is not
     * a guess.
     */
    private static Verifier fixedToken(String describe, String attempts, boolean timeless,
                                       Function<WebhookRequest, String> read, Function<String, String> problemOf) {
        FailedAttempts failures = new FailedAttempts("signature_rate_limited", attempts);
        return new Verifier() {
            public String describe() {
                return describe;
            }

            public String headers(WebhookRequest req) {
                failures.checkAllowed(req.client());
                String given = read.apply(req);
                String p = problemOf.apply(given);
                if (p != null && given != null) {
                    failures.failed(req.client());
                }
                return p;
            }

            public Checked body(WebhookRequest req, BridgeBody.Body body, String tenant) {
                return Checked.FINE;
            }

            public boolean timeless() {
                return timeless;
            }
        };
    }
}
