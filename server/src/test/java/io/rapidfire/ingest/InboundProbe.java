package io.rapidfire.ingest;

import com.fasterxml.jackson.databind.JsonNode;

/** Opens the package-private adapters to the JMH benchmarks (same inputs as the webhook routes). */
public final class InboundProbe {
    private static final InboundContext CTX = new InboundContext("default", "whatsapp",
            new SenderIdentity("RU", false, false), false);
    private static final InboundContext TG = new InboundContext("default", "telegram",
            new SenderIdentity("RU", false, false), false);

    private InboundProbe() {
    }

    public static Inbound original(JsonNode b) {
        return OriginalFormat.parse(b, CTX);
    }

    public static Inbound whatsapp(JsonNode b) {
        return BaileysFormat.matches(b) ? BaileysFormat.parse(b, CTX) : VenomFormat.parse(b, CTX);
    }

    public static Inbound cloud(JsonNode b) {
        return CloudApiFormat.parse(b, CTX);
    }

    public static Inbound telegram(JsonNode b) {
        return TelegramFormat.parse(b, TG, false);
    }
}
