package io.rapidfire.ingest;

import io.rapidfire.http.Names;

import io.rapidfire.http.BadRequest;

import com.fasterxml.jackson.databind.JsonNode;
import io.rapidfire.core.Attachment;
import io.rapidfire.core.Message;
import io.rapidfire.core.MessageCodec;
import io.rapidfire.core.MessageType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The documented shape for any other channel ({@code POST /webhook/{channel}}):
 * <pre>
 * {"tenant": "acme", "sender": "user-42", "id": "m1", "text": "Hi", "timestamp": 1700000000, "type": "text",
 *  "attachments": [{"type": "image", "mediaId": "abc", "mimeType": "image/jpeg", "caption": "my cat", "url": "https://…"}],
 *  "metadata": {"any": "thing"}}
 * </pre>
 * or {@code {"tenant": "acme", "messages": [ …the same without tenant… ]}}. {@code sender} is taken as is (it is
 * your system's id for the person); {@code tenant} defaults to RAPIDFIRE_DEFAULT_TENANT.
 */
final class GenericFormat {
    static final String SHAPE = "{\"sender\": \"user-42\", \"text\": \"Hi\", \"id\": \"m1\", \"timestamp\": 1700000000, "
            + "\"attachments\": [{\"type\": \"image\", \"mediaId\": \"…\", \"caption\": \"…\"}]} or {\"messages\": [...]}";

    private GenericFormat() {
    }

    static Inbound parse(JsonNode b, InboundContext ctx) {
        Fields.object(b, "", SHAPE);
        InboundContext c = ctx;
        String tenant = Fields.text(b, "tenant", "");
        if (tenant != null) {
            c = new InboundContext(Names.tenant(tenant, "field 'tenant'"), ctx.channel(), ctx.identity(), ctx.acceptFromMe());
        }
        List<Message> out = new ArrayList<>();
        if (b.has("messages")) {
            JsonNode arr = Fields.array(b, "messages", "");
            if (arr == null || arr.isEmpty()) {
                throw new BadRequest("'messages' must be a non-empty array: " + SHAPE);
            }
            OriginalFormat.checkCount(arr.size());
            for (int i = 0; i < arr.size(); i++) {
                out.add(one(Fields.object(arr.get(i), "messages[" + i + "]", SHAPE), "messages[" + i + "].", c));
            }
        } else {
            out.add(one(b, "", c));
        }
        return new Inbound("generic", out, List.of());
    }

    @SuppressWarnings("unchecked")
    private static Message one(JsonNode m, String at, InboundContext ctx) {
        String sender = Fields.requiredText(m, "sender", at, "who wrote it, your id for the person (e.g. \"user-42\")");
        String text = Fields.text(m, "text", at);
        List<Attachment> attachments = new ArrayList<>();
        JsonNode arr = Fields.array(m, "attachments", at);
        if (arr != null) {
            for (int i = 0; i < arr.size(); i++) {
                String aat = at + "attachments[" + i + "].";
                JsonNode a = Fields.object(arr.get(i), aat.substring(0, aat.length() - 1), SHAPE);
                attachments.add(new Attachment(Fields.requiredText(a, "type", aat, "image, audio, voice, video, "
                        + "document, sticker, location or contact"), Fields.text(a, "mediaId", aat),
                        Fields.text(a, "mimeType", aat), Fields.text(a, "caption", aat), Fields.text(a, "url", aat)));
            }
        }
        if (text == null && attachments.isEmpty()) {
            throw new BadRequest("field '" + at + "text' is missing and there are no attachments: a message needs one");
        }
        String type = Fields.text(m, "type", at);
        MessageType t = type != null ? MessageType.fromPlatform(type)
                : attachments.isEmpty() ? MessageType.TEXT : MessageType.fromPlatform(attachments.get(0).type());
        String caption = text != null ? text : attachments.stream().map(Attachment::caption)
                .filter(x -> x != null && !x.isEmpty()).findFirst().orElse("");
        Map<String, Object> meta = Map.of();
        JsonNode md = m.get("metadata");
        if (md != null && !md.isNull()) {
            if (!md.isObject()) {
                throw new BadRequest("field '" + at + "metadata' must be an object, got " + Fields.kind(md));
            }
            meta = MessageCodec.JSON.convertValue(md, Map.class);
        }
        return OriginalFormat.build(ctx, sender.strip(), Fields.text(m, "id", at), t, caption,
                Fields.timestamp(m, "timestamp", at), attachments, meta, at);
    }
}
