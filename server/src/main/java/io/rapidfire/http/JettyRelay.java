package io.rapidfire.http;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * One client connection's way to Javalin: the requests the event loop does not serve itself (admin, dashboard,
 * health, metrics, commits, a bridge body too large to hold) are passed, as they arrive, to the Jetty connector on
 * a loopback port, and its answer back as it comes. The connection to Jetty opens on first use, on the client
 * connection's own event loop, and starts with a PROXY protocol line naming the client's address: Jetty sees the
 * real peer, so the trusted-proxy, admin and open-route rules read the same address they always did.
 */
final class JettyRelay {
    private final Channel front;
    private final InetSocketAddress jetty;
    private final FrontHandler owner;
    private final ArrayDeque<Object> waiting = new ArrayDeque<>();
    private Channel back;
    private boolean connected;
    private boolean responseCloses;

    JettyRelay(Channel front, InetSocketAddress jetty, FrontHandler owner) {
        this.front = front;
        this.jetty = jetty;
        this.owner = owner;
    }

    /** Passes a request's head or a piece of its body on (ownership passes too). */
    void forward(HttpObject o) {
        if (back == null) {
            open();
        }
        if (!connected) {
            waiting.add(o);
            owner.backWritable(false);
            return;
        }
        back.writeAndFlush(o);
    }

    /** Jetty's answer is read only while the client takes it. */
    void reads(boolean on) {
        if (back != null) {
            back.config().setAutoRead(on);
        }
    }

    void close() {
        waiting.forEach(ReferenceCountUtil::release);
        waiting.clear();
        if (back != null) {
            back.close();
        }
    }

    private void open() {
        Bootstrap b = new Bootstrap().group(front.eventLoop()).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(8192, 16 * 1024, 64 * 1024), new Back());
                    }
                });
        back = b.connect(jetty).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                owner.relayFailed(f.cause());
                return;
            }
            // Written before the codec, straight to the socket: the PROXY protocol's first line.
            f.channel().pipeline().firstContext().writeAndFlush(Unpooled.copiedBuffer(proxyLine(), StandardCharsets.US_ASCII));
            connected = true;
            while (!waiting.isEmpty()) {
                f.channel().write(waiting.poll());
            }
            f.channel().flush();
            owner.backWritable(f.channel().isWritable());
        }).channel();
    }

    private String proxyLine() {
        InetSocketAddress from = (InetSocketAddress) front.remoteAddress();
        InetSocketAddress to = (InetSocketAddress) front.localAddress();
        String family = from.getAddress() instanceof java.net.Inet6Address ? "TCP6" : "TCP4";
        if (to.getAddress() instanceof java.net.Inet6Address != from.getAddress() instanceof java.net.Inet6Address) {
            to = new InetSocketAddress(from.getAddress() instanceof java.net.Inet6Address ? "::1" : "127.0.0.1", to.getPort());
        }
        return "PROXY " + family + " " + from.getAddress().getHostAddress() + " " + to.getAddress().getHostAddress()
                + " " + from.getPort() + " " + to.getPort() + "\r\n";
    }

    /** Jetty's answer, passed back to the client as it comes. */
    private final class Back extends SimpleChannelInboundHandler<HttpObject> {
        Back() {
            super(false);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject o) {
            if (o instanceof HttpResponse r) {
                responseCloses = !HttpUtil.isKeepAlive(r);
            }
            boolean last = o instanceof LastHttpContent;
            if (!last) {
                front.write(o);
                return;
            }
            front.writeAndFlush(o).addListener(f -> owner.relayed(responseCloses || !f.isSuccess()));
        }

        /** A body relayed faster than Jetty reads it waits in the client's socket, not in this process's memory. */
        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            owner.backWritable(ctx.channel().isWritable());
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            back = null;
            connected = false;
            owner.relayClosed();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
