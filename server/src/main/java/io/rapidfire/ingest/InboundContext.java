package io.rapidfire.ingest;

/** What an adapter needs besides the body: the tenant, the channel, and how to identify senders. */
public record InboundContext(String tenant, String channel, SenderIdentity identity, boolean acceptFromMe) {
}
