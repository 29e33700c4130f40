package io.rapidfire.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * One client connection of the event loop's server, request by request: a webhook ({@link FastRoutes}) is read
 * whole within its route's limit, handled and answered on this connection's event loop; any other request is
 * relayed to Javalin ({@link JettyRelay}). One request at a time: reading stops while a request is answered and
 * what a pipelining client sent meanwhile waits its turn, so answers go out in order and a client that stops
 * reading its answers stops being read (it costs its socket buffers, never the event loop).
 */
final class FrontHandler extends ChannelInboundHandlerAdapter {
    private enum Mode { IDLE, FAST, RELAY, DISCARD }

    /** How long a closing connection's remaining request bytes are read and dropped ({@link #closeAfterAnswer}). */
    static final long LINGER_MS = 2_000;

    private final EventLoopServer server;
    private final RequestDeadline deadline;
    private final ArrayDeque<Object> queued = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private Mode mode = Mode.IDLE;
    /** A whole request is in and its answer not yet written. */
    private boolean answering;
    private HttpRequest head;
    private FastRoutes.Match route;
    /** The body read so far (grown as bytes arrive, never reserved from what a header claims) and its length. */
    private byte[] body;
    private int bodyLength;
    private int limit;
    /** The request's Content-Length, -1 when chunked. */
    private long declared;
    /** The connection closes after this answer (the client asked, or the rest of a body was not read). */
    private boolean closeAfter;
    private JettyRelay relay;
    /** Answered and half-closed: what the client still sends is read and dropped until it closes. */
    private boolean lingering;

    FrontHandler(EventLoopServer server, RequestDeadline deadline) {
        this.server = server;
        this.deadline = deadline;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (lingering) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (answering) {
            queued.add(msg);
            return;
        }
        dispatch(msg);
    }

    private void dispatch(Object msg) {
        if (msg instanceof HttpRequest r) {
            start(r);
        }
        if (msg instanceof HttpContent c) {
            content(c);
        } else if (!(msg instanceof HttpRequest)) {
            ReferenceCountUtil.release(msg);
        }
    }

    private void start(HttpRequest r) {
        closeAfter = !HttpUtil.isKeepAlive(r);
        if (r.decoderResult().isFailure()) {
            malformed(r.decoderResult().cause());
            return;
        }
        declared = HttpUtil.getContentLength(r, -1L);
        FastRoutes.Match fast = server.routes() == null ? null
                : server.routes().match(r.method().name(), pathOf(r.uri()), declared);
        if (fast == null) {
            mode = Mode.RELAY;
            // Answered "100 Continue" already (HttpServerExpectContinueHandler): Jetty must not answer it again.
            r.headers().remove(io.netty.handler.codec.http.HttpHeaderNames.EXPECT);
            relay().forward(r);
            return;
        }
        mode = Mode.FAST;
        head = r;
        route = fast;
        limit = fast.maxBodyBytes();
        body = new byte[(int) Math.min(declared >= 0 ? declared : 8_192, Math.min(16_384, limit + 1L))];
        bodyLength = 0;
    }

    private void content(HttpContent c) {
        boolean last = c instanceof LastHttpContent;
        switch (mode) {
            case RELAY -> {
                relay().forward(c);
                if (last) {
                    received();
                }
                return;
            }
            case FAST -> {
                ByteBuf b = c.content();
                int n = Math.min(limit + 1 - bodyLength, b.readableBytes());
                if (n > 0) {
                    if (bodyLength + n > body.length) {
                        body = java.util.Arrays.copyOf(body, Math.min(limit + 1, Math.max(2 * body.length, bodyLength + n)));
                    }
                    b.getBytes(b.readerIndex(), body, bodyLength, n);
                    bodyLength += n;
                }
                c.release();
                if (last) {
                    received();
                    serve();
                } else if (bodyLength > limit) {
                    // Over the limit: answered now (the route says 413), the rest is not read, the connection closes.
                    closeAfter = true;
                    received();
                    serve();
                    mode = Mode.DISCARD;
                }
                return;
            }
            default -> c.release();
        }
        if (last && mode == Mode.DISCARD) {
            mode = Mode.IDLE;
        }
    }

    /** A whole request is in: reading pauses until it is answered. */
    private void received() {
        answering = true;
        deadline.received();
        ctx.channel().config().setAutoRead(false);
    }

    private void serve() {
        byte[] bytes = bodyLength == body.length ? body : java.util.Arrays.copyOf(body, bodyLength);
        body = null;
        HttpRequest r = head;
        String path = pathOf(r.uri());
        FastRequest req = new FastRequest(r.method().name(), r.uri(), r.headers(), peer(), server.edge(), bytes, declared);
        CompletableFuture<JsonNode> answer;
        if (!server.admit()) {
            answer = CompletableFuture.failedFuture(new Refused(503, "overloaded", "this process has "
                    + server.maxInFlight() + " webhook requests in flight (RAPIDFIRE_MAX_INFLIGHT_REQUESTS): send it again "
                    + "after Retry-After; nothing stored", 1));
        } else {
            try {
                server.refuseCrossSite(req);
                answer = route.handle(req);
            } catch (Throwable t) {
                answer = CompletableFuture.failedFuture(t);
            }
            answer = answer.whenComplete((a, e) -> server.done());
        }
        answer.whenComplete((json, e) -> {
            if (ctx.executor().inEventLoop()) {
                answer(json, e, r.method().name(), path);
            } else {
                ctx.executor().execute(() -> answer(json, e, r.method().name(), path));
            }
        });
    }

    private void answer(JsonNode json, Throwable failed, String method, String path) {
        if (failed == null) {
            write(200, 0, json.toString());
        } else {
            Failures.Answer a = server.failures().of(failed, method, path);
            write(a.status(), a.retryAfterSeconds(), a.body().toString());
        }
    }

    private void write(int status, long retryAfter, String json) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                Unpooled.copiedBuffer(json, StandardCharsets.UTF_8));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, Answers.TYPE)
                .set(HttpHeaderNames.CACHE_CONTROL, Answers.CACHE_CONTROL)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, res.content().readableBytes());
        if (retryAfter > 0) {
            res.headers().set(HttpHeaderNames.RETRY_AFTER, retryAfter);
        }
        boolean close = closeAfter || server.closing();
        if (close) {
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        ctx.writeAndFlush(res).addListener(f -> finished(close || !f.isSuccess()));
    }

    /** The answer is out: the next request (queued or still to read) is taken, or the connection closes. */
    private void finished(boolean close) {
        if (close) {
            closeAfterAnswer();
            return;
        }
        answering = false;
        deadline.answered();
        if (mode != Mode.DISCARD) {
            mode = Mode.IDLE;
        }
        while (!answering && !queued.isEmpty()) {
            dispatch(queued.poll());
        }
        if (!answering) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    /**
     * Closes once the answer is out. A client still sending its body (a 413 mid-body, a refusal before the body)
     * would get a reset if the socket closed with its bytes unread, and a reset can destroy the answer before the
     * client reads it: so the server half-closes (its answer ends), reads and drops what still comes for up to
     * {@link #LINGER_MS}, and then closes.
     */
    private void closeAfterAnswer() {
        if (lingering || !ctx.channel().isActive()) {
            ctx.close();
            return;
        }
        lingering = true;
        queued.forEach(ReferenceCountUtil::release);
        queued.clear();
        if (relay != null) {
            relay.close();
        }
        ((io.netty.channel.socket.SocketChannel) ctx.channel()).shutdownOutput();
        ctx.channel().config().setAutoRead(true);
        ctx.executor().schedule(() -> ctx.close(), LINGER_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Javalin's answer to a relayed request is out. */
    void relayed(boolean close) {
        if (!answering) {
            // Answered before the whole request was sent (e.g. a 413 mid-body): the rest is not read.
            close = true;
        }
        finished(close);
    }

    /** Reads the client only while Jetty takes what is relayed (never while an answer is pending). */
    void backWritable(boolean writable) {
        if (!answering && !lingering) {
            ctx.channel().config().setAutoRead(writable);
        }
    }

    void relayFailed(Throwable cause) {
        Failures.Answer a = server.failures().of(new IllegalStateException("the internal Jetty connector cannot be "
                + "reached", cause), head == null ? "?" : head.method().name(), head == null ? "?" : head.uri());
        closeAfter = true;
        answering = true;
        write(a.status(), 0, a.body().toString());
    }

    /** Jetty closed its side: mid-answer, the client's connection closes too. */
    void relayClosed() {
        relay = null;
        if (mode == Mode.RELAY && !lingering) {
            ctx.close();
        }
    }

    /** A request the codec could not read: 431 for headers over 8 KiB, 414 for a request line over it, else 400. */
    private void malformed(Throwable cause) {
        closeAfter = true;
        answering = true;
        deadline.received();
        ctx.channel().config().setAutoRead(false);
        mode = Mode.DISCARD;
        if (cause instanceof TooLongHttpHeaderException) {
            write(431, 0, server.failures().refuse(431, 0, "bad_request", "the request's headers are over 8 KiB")
                    .body().toString());
        } else if (cause instanceof TooLongHttpLineException || cause instanceof TooLongFrameException) {
            write(414, 0, server.failures().refuse(414, 0, "bad_request", "the request line is over 8 KiB")
                    .body().toString());
        } else {
            write(400, 0, server.failures().refuse(400, 0, "bad_request", "not a valid HTTP/1.1 request")
                    .body().toString());
        }
    }

    private JettyRelay relay() {
        if (relay == null) {
            relay = new JettyRelay(ctx.channel(), server.jetty(), this);
        }
        return relay;
    }

    private static String pathOf(String uri) {
        int q = uri.indexOf('?');
        return q < 0 ? uri : uri.substring(0, q);
    }

    private String peer() {
        return ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress().getHostAddress();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (relay != null) {
            relay.reads(ctx.channel().isWritable());
        }
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        queued.forEach(ReferenceCountUtil::release);
        queued.clear();
        body = null;
        if (relay != null) {
            relay.close();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
