package io.rapidfire.ingest;

import io.javalin.http.Context;
import io.rapidfire.http.BadRequest;
import io.rapidfire.http.Refused;
import io.rapidfire.http.Tokens;

/**
 * {@code GET /webhook/whatsapp-cloud}: Meta's subscription handshake. Meta sends the verify token entered in its app
 * dashboard and expects the challenge back, as plain text, only when the token is RAPIDFIRE_META_VERIFY_TOKEN.
 */
final class MetaHandshake {
    private final String verifyToken;

    MetaHandshake(String verifyToken) {
        this.verifyToken = verifyToken;
    }

    void answer(Context ctx) {
        String mode = ctx.queryParam("hub.mode");
        String token = ctx.queryParam("hub.verify_token");
        String challenge = ctx.queryParam("hub.challenge");
        if (verifyToken.isEmpty()) {
            throw new Refused(403, "unauthorized", "RAPIDFIRE_META_VERIFY_TOKEN is not set: set it to the verify token "
                    + "you entered in the Meta app dashboard");
        }
        if (!"subscribe".equals(mode) || token == null || challenge == null) {
            throw new BadRequest("expected hub.mode=subscribe, hub.verify_token and hub.challenge query parameters");
        }
        if (!Tokens.same(verifyToken, token)) {
            throw new Refused(403, "unauthorized", "hub.verify_token does not match RAPIDFIRE_META_VERIFY_TOKEN");
        }
        ctx.contentType("text/plain").result(challenge);
    }
}
