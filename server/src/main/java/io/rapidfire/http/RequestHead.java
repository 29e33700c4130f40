package io.rapidfire.http;

import java.util.List;

/**
 * What the request rules ({@link EdgeRules}) read of a request: method, path, the socket's peer and the headers.
 * Nothing of Javalin's or Jetty's, so the rules move with the webhook path if it moves to another HTTP server.
 */
public interface RequestHead {
    String method();

    String path();

    /** The socket's remote address, before any proxy header is believed. */
    String peer();

    /** The first value of a header (names are case-insensitive), or null. */
    String header(String name);

    /** Every value of a header in the order received (a proxy chain may send several X-Forwarded-For lines). */
    List<String> headers(String name);
}
