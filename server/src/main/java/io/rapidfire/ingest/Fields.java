package io.rapidfire.ingest;

import io.rapidfire.http.Answers;
import io.rapidfire.http.BadRequest;

import com.fasterxml.jackson.databind.JsonNode;

/** Reads JSON fields and says precisely which one is wrong and what is accepted. */
final class Fields {
    private Fields() {
    }

    static JsonNode object(JsonNode n, String path, String shape) {
        if (n == null || !n.isObject()) {
            throw new BadRequest((path.isEmpty() ? "the body" : "'" + path + "'") + " must be a JSON object: " + shape);
        }
        return n;
    }

    static JsonNode array(JsonNode parent, String field, String path) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isArray()) {
            throw new BadRequest("field '" + path + field + "' must be an array, got " + kind(n));
        }
        return n;
    }

    /** A string (numbers accepted as their text); null when absent. */
    static String text(JsonNode parent, String field, String path) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual() && !n.isNumber()) {
            throw new BadRequest("field '" + path + field + "' must be a string, got " + kind(n));
        }
        return n.asText();
    }

    static String requiredText(JsonNode parent, String field, String path, String what) {
        String s = text(parent, field, path);
        if (s == null) {
            throw new BadRequest("field '" + path + field + "' is missing: " + what);
        }
        if (s.isBlank()) {
            throw new BadRequest("field '" + path + field + "' is empty: " + what);
        }
        return s;
    }

    static boolean bool(JsonNode parent, String field) {
        JsonNode n = parent.get(field);
        return n != null && (n.asBoolean(false) || "true".equals(n.asText()));
    }

    /**
     * A platform timestamp in ms: numbers or numeric strings; below 10^11 taken as seconds (WhatsApp and
     * Telegram send seconds). Baileys' {low, high} long objects are read too.
     */
    static Long timestamp(JsonNode parent, String field, String path) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        long v;
        if (n.isNumber()) {
            v = n.asLong();
        } else if (n.isTextual() && n.asText().matches("\\d{1,15}")) {
            v = Long.parseLong(n.asText());
        } else if (n.isObject() && n.has("low")) {
            v = (n.path("high").asLong(0) << 32) | (n.path("low").asLong() & 0xffffffffL);
        } else {
            throw new BadRequest("field '" + path + field + "' must be a non-negative number (unix seconds or "
                    + "milliseconds), got " + Answers.clip(n.toString()));
        }
        if (v < 0) {
            throw new BadRequest("field '" + path + field + "' must not be negative, got " + v);
        }
        return v < 100_000_000_000L ? v * 1000 : v;
    }

    static String kind(JsonNode n) {
        return n.getNodeType().toString().toLowerCase();
    }
}
