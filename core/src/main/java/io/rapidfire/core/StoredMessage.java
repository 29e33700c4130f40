package io.rapidfire.core;

/** A message as the store holds it: with the store-clock time it arrived (which the deadlines are based on). */
public record StoredMessage(Message message, long storedAtMs) {
}
