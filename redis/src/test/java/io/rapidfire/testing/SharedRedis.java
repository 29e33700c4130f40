package io.rapidfire.testing;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real redis-server for every test in this JVM that does not need to stop or reconfigure it; each test
 * takes a fresh key namespace instead of flushing. Stopped when the test JVM exits.
 */
public final class SharedRedis {
    private static RedisServer server;
    private static final AtomicInteger namespaces = new AtomicInteger();

    private SharedRedis() {
    }

    public static synchronized String url() {
        if (server == null || !server.isAlive()) {
            server = RedisServer.start();
            RedisServer s = server;
            Runtime.getRuntime().addShutdownHook(new Thread(s::close));
        }
        return server.url();
    }

    /** A namespace no other test uses, e.g. "t17". */
    public static String freshNamespace() {
        return "t" + namespaces.incrementAndGet();
    }
}
