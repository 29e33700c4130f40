package io.rapidfire.testing;

/**
 * One real 3-master + 3-replica Redis Cluster for every test in this JVM that does not fail it over or kill
 * nodes; tests take fresh namespaces (SharedRedis.freshNamespace()). Stopped when the test JVM exits.
 */
public final class SharedCluster {
    private static RedisCluster cluster;

    private SharedCluster() {
    }

    public static synchronized String url() {
        return cluster().url();
    }

    public static synchronized RedisCluster cluster() {
        if (cluster == null) {
            cluster = RedisCluster.start(3, 1);
            RedisCluster c = cluster;
            Runtime.getRuntime().addShutdownHook(new Thread(c::close));
        }
        return cluster;
    }
}
