package io.rapidfire.ops.doctor;

import io.lettuce.core.RedisURI;
import io.rapidfire.config.RapidfireConfig;
import io.rapidfire.ops.ProcessInfo;
import io.rapidfire.ops.RedisServerFacts;
import io.rapidfire.store.redis.RedisKeys;
import io.rapidfire.store.redis.RedisLink;

import java.util.List;

/**
 * What the doctor gathers once and every check reads: the settings it was pointed at, the connection, the masters
 * and their facts (the reachable ones), and the live processes of the registry (empty when it could not be read).
 *
 * @param self the doctor's own client name, so it can leave itself out of what it sees
 */
record Inspection(RapidfireConfig config, DoctorOptions options, RedisURI uri, RedisKeys keyspace, String self,
                  RedisLink link, List<RedisLink.Server> masters, List<RedisServerFacts> facts,
                  List<ProcessInfo> processes, boolean cluster) {

    /**
     * Another server (a Cluster master, another port of the same host) reached the way REDIS_URL says: with its TLS,
     * peer verification and credentials, so no connection the doctor opens sends a password in clear when the
     * configured one would not.
     */
    RedisURI sameWayTo(String host, int port) {
        RedisURI to = RedisURI.builder().withHost(host).withPort(port).withSsl(uri.isSsl())
                .withVerifyPeer(uri.getVerifyMode()).withStartTls(uri.isStartTls())
                .withTimeout(java.time.Duration.ofMillis(500)).build();
        if (uri.getPassword() != null && uri.getPassword().length > 0) {
            to.setPassword(uri.getPassword());
        }
        to.setUsername(uri.getUsername());
        to.setClientName(self);
        return to;
    }
}
