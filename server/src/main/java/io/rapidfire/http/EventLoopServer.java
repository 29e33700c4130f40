package io.rapidfire.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The public port, on Netty: webhooks ({@link FastRoutes}) are read, stored and answered on an event loop, everything
 * else is relayed to Javalin on a loopback port ({@link JettyRelay}). Why Netty, and why on the Redis client's own
 * event loops: a webhook's only wait is Redis's answer, which arrives on those loops; a request served there is
 * parsed, appended and answered with no thread woken and none parked (docs/benchmarks.md, issue 29).
 *
 * <p>The connection rules Jetty kept for the port are kept here: at most RAPIDFIRE_MAX_CONNECTIONS open (the
 * acceptor stops, new ones wait in the kernel's queue), the idle timeout and the request deadline
 * ({@link RequestDeadline}), headers at most 8 KiB (431), bodies bounded while they are read. At most
 * RAPIDFIRE_MAX_INFLIGHT_REQUESTS webhooks are being stored at once; beyond it 503 with Retry-After.
 */
final class EventLoopServer {
    private final EdgeSettings settings;
    private final EdgeRules edge;
    private final Failures failures;
    private final Runnable onTimeout;
    private final ChannelGroup open = new DefaultChannelGroup("rapidfire-http", GlobalEventExecutor.INSTANCE);
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private volatile FastRoutes routes;
    private volatile boolean closing;
    private EventLoopGroup loops;
    private boolean ownLoops;
    private Channel listener;
    private InetSocketAddress jetty;

    EventLoopServer(EdgeSettings settings, EdgeRules edge, Failures failures, Runnable onTimeout) {
        this.settings = settings;
        this.edge = edge;
        this.failures = failures;
        this.onTimeout = onTimeout;
    }

    void routes(FastRoutes r) {
        this.routes = r;
    }

    /**
     * @param group the Redis client's event loops to serve on; null: two of its own (a store without Netty)
     * @param jettyPort Javalin's loopback port, for everything but the webhooks
     */
    void start(String host, int port, EventLoopGroup group, int jettyPort) {
        this.jetty = new InetSocketAddress("127.0.0.1", jettyPort);
        this.ownLoops = group == null;
        this.loops = group != null ? group : new NioEventLoopGroup(2, new DefaultThreadFactory("rapidfire-http", true));
        ServerBootstrap b = new ServerBootstrap().group(loops).channel(NioServerSocketChannel.class)
                // One accept per read, so the cap below is checked for each connection and never passed.
                .option(ChannelOption.MAX_MESSAGES_PER_READ, 1)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .handler(new Acceptor())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        RequestDeadline deadline = new RequestDeadline(settings.requestTimeoutMs(), onTimeout);
                        ch.pipeline().addLast(deadline,
                                new IdleStateHandler(0, 0, settings.idleTimeoutMs(), TimeUnit.MILLISECONDS),
                                new HttpServerCodec(8192, 8192, 64 * 1024),
                                new HttpServerExpectContinueHandler(),
                                new FrontHandler(EventLoopServer.this, deadline));
                        open.add(ch);
                    }
                });
        try {
            listener = b.bind(host, port).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding " + host + ":" + port, e);
        } catch (RuntimeException e) {
            stopLoops();
            throw e;
        }
    }

    /**
     * Counts each connection as it is accepted, on the acceptor's own loop: at the cap it stops accepting (new
     * connections wait in the kernel's queue) until one closes. One accept per read, so the cap is never passed.
     */
    private final class Acceptor extends io.netty.channel.ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
            Channel child = (Channel) msg;
            Channel acceptor = ctx.channel();
            if (connections.incrementAndGet() >= settings.maxConnections()) {
                acceptor.config().setAutoRead(false);
            }
            child.closeFuture().addListener(f -> acceptor.eventLoop().execute(() -> {
                if (connections.decrementAndGet() < settings.maxConnections() && acceptor.isOpen()) {
                    acceptor.config().setAutoRead(true);
                }
            }));
            ctx.fireChannelRead(msg);
        }
    }

    int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    int openConnections() {
        return connections.get();
    }

    FastRoutes routes() {
        return routes;
    }

    EdgeRules edge() {
        return edge;
    }

    Failures failures() {
        return failures;
    }

    InetSocketAddress jetty() {
        return jetty;
    }

    boolean closing() {
        return closing;
    }

    /** One more webhook being stored, unless RAPIDFIRE_MAX_INFLIGHT_REQUESTS are; {@link #done} when answered. */
    boolean admit() {
        if (inFlight.incrementAndGet() > settings.maxInFlight()) {
            inFlight.decrementAndGet();
            return false;
        }
        return true;
    }

    void done() {
        inFlight.decrementAndGet();
    }

    int maxInFlight() {
        return settings.maxInFlight();
    }

    /** The cross-site rule every write obeys, on Javalin's routes too ({@link HttpServer}). */
    void refuseCrossSite(RequestHead h) {
        edge.refuseCrossSite(h);
    }

    /**
     * Stops accepting, lets the webhooks being stored finish and answer (closing their connections), up to
     * {@code drainMs}, then closes every connection.
     */
    void close(long drainMs) {
        closing = true;
        if (listener != null) {
            listener.close().awaitUninterruptibly();
        }
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(drainMs);
        while (inFlight.get() > 0 && System.nanoTime() < until) {
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        open.close().awaitUninterruptibly(drainMs);
        stopLoops();
    }

    private void stopLoops() {
        if (ownLoops && loops != null) {
            loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        }
    }
}
