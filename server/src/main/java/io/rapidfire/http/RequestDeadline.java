package io.rapidfire.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The deadlines of one connection of the event loop's server, as {@link SlowRequestGuard} keeps them for Jetty's:
 * a new connection must deliver a whole first request within RAPIDFIRE_REQUEST_TIMEOUT_MS, and a request whose bytes
 * started arriving must be all there by then (a client sending a header line just before the idle timeout runs out
 * keeps no connection: slowloris). Between requests a keep-alive connection is governed by the idle timeout
 * (IdleStateHandler's event, handled here); while the server works on a request nothing counts. First in the
 * pipeline, so it sees the bytes before the HTTP codec does.
 */
final class RequestDeadline extends ChannelInboundHandlerAdapter {
    private final long timeoutNanos;
    private final Runnable onTimeout;
    private final long openedAt = System.nanoTime();
    /** When the bytes of the request now arriving started (0: none arriving). */
    private long since;
    private boolean served;
    private boolean working;
    private ScheduledFuture<?> check;

    RequestDeadline(long timeoutMs, Runnable onTimeout) {
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        this.onTimeout = onTimeout;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        long period = Math.max(50, Math.min(1_000, TimeUnit.NANOSECONDS.toMillis(timeoutNanos) / 4));
        check = ctx.executor().scheduleWithFixedDelay(() -> sweep(ctx), period, period, TimeUnit.MILLISECONDS);
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (check != null) {
            check.cancel(false);
        }
        super.channelInactive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof ByteBuf b && b.isReadable() && since == 0 && !working) {
            since = System.nanoTime();
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent && !working) {
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    /** The whole request is in: the server works on it, no deadline runs. */
    void received() {
        working = true;
        served = true;
        since = 0;
    }

    /** Answered: the next request's bytes start its deadline; until then the idle timeout governs. */
    void answered() {
        working = false;
    }

    private void sweep(ChannelHandlerContext ctx) {
        if (working) {
            return;
        }
        long start = !served ? openedAt : since;
        if (start != 0 && System.nanoTime() - start > timeoutNanos) {
            // Counted before the close, so whoever sees the connection drop also sees it counted.
            check.cancel(false);
            onTimeout.run();
            ctx.close();
        }
    }
}
