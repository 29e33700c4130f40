package io.rapidfire.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.rapidfire.config.WebhookRoute;

/**
 * One webhook route, everything about it in one place: where it is served, the name and secret the operator gives
 * it ({@link WebhookRoute}), how its requests are verified, how its body is read and parsed. The server, the
 * protection checks and the startup protection table are all built from the list in {@link WebhookRoutes}; adding a
 * platform is one entry there and one format adapter.
 *
 * @param path        served at {@code POST path}
 * @param named       the operator's name for it (RAPIDFIRE_OPEN_ROUTES) and the setting holding its secret
 * @param channel     the channel its messages are batched under; null: the path's {channel}
 * @param verifier    how a request is proved to be the platform's, when the secret is set
 * @param format      the body, parsed into messages and events (400 naming the field when it cannot be)
 * @param streamed    the body may carry inline media and is read as a stream within RAPIDFIRE_BRIDGE_MAX_BODY_BYTES
 * @param passthrough its messages are released at once (the original's /webhook/whatsapp)
 * @param byEvent     also served at {@code path/{event}} (Evolution API's "webhook by events")
 */
record Route(String path, WebhookRoute named, String channel, Verifier verifier, Format format, boolean streamed,
             boolean passthrough, boolean byEvent) {

    /** A platform's body as messages and events. */
    interface Format {
        Inbound parse(JsonNode body, InboundContext ctx);
    }
}
