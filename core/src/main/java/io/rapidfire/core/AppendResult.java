package io.rapidfire.core;

/**
 * @param duplicate   the message id was seen before in this conversation: nothing was stored
 * @param dueAtMs     the open batch's deadline (store clock), or -1 when it waits behind an in-flight batch
 * @param openMessages messages now waiting in the conversation (not counting an in-flight batch)
 */
public record AppendResult(boolean duplicate, long dueAtMs, long openMessages) {
}
