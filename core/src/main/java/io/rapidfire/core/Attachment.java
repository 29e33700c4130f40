package io.rapidfire.core;

/** A non-text part of a message (image, voice note, document...). The caption is user text and is never dropped. */
public record Attachment(String type, String mediaId, String mimeType, String caption, String url) {
}
