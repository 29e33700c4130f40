package io.rapidfire.store;

import org.junit.jupiter.api.Tag;

import io.rapidfire.config.ConfigException;
import io.rapidfire.config.ConfigLoader;
import io.rapidfire.store.redis.RedisConnector;
import io.rapidfire.store.redis.RedisConnector.Target;
import io.rapidfire.store.redis.RedisConnector.Topology;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** REDIS_URL's three shapes, and the errors for what is not one of them. */
@Tag("fast")
class RedisUrlTest {
    @Test
    void aSingleServerSentinelAndClusterAreEachOneRedisUrl() {
        Target single = RedisConnector.target("redis://:pw@10.0.0.5:6380/2");
        assertThat(single.topology()).isEqualTo(Topology.SINGLE);
        assertThat(single.first().getDatabase()).isEqualTo(2);

        Target sentinel = RedisConnector.target("redis-sentinel://:pw@s1:26379,s2:26380/1?masterName=bots");
        assertThat(sentinel.topology()).isEqualTo(Topology.SENTINEL);
        assertThat(sentinel.masterName()).isEqualTo("bots");
        assertThat(sentinel.first().getSentinels()).hasSize(2);
        assertThat(sentinel.first().getDatabase()).isEqualTo(1);
        assertThat(new String(sentinel.first().getPassword())).isEqualTo("pw");
        assertThat(RedisConnector.target("redis-sentinel://s1:26379#bots").masterName()).as("Lettuce's own form")
                .isEqualTo("bots");

        Target cluster = RedisConnector.target("redis-cluster://:pw@n1:7000,n2:7001,n3:7002");
        assertThat(cluster.topology()).isEqualTo(Topology.CLUSTER);
        assertThat(cluster.uris()).extracting(u -> u.getHost() + ":" + u.getPort())
                .containsExactly("n1:7000", "n2:7001", "n3:7002");
        assertThat(RedisConnector.describe("redis-cluster://:secret@n1:7000,n2:7001"))
                .isEqualTo("redis-cluster://n1:7000,n2:7001");
        assertThat(RedisConnector.mask("redis-cluster://:secret@n1:7000")).isEqualTo("redis-cluster://***@n1:7000");
    }

    @Test
    void whatIsNotARedisUrlIsRefusedWithWhatIsAccepted() {
        assertThatThrownBy(() -> RedisConnector.target("redis-sentinel://s1:26379"))
                .hasMessageContaining("names no master").hasMessageContaining("?masterName=");
        assertThatThrownBy(() -> RedisConnector.target("redis-cluster://n1:7000/3"))
                .hasMessageContaining("only database 0");
        assertThatThrownBy(() -> RedisConnector.target("redis-cluster://n1"))
                .hasMessageContaining("lists 'n1', which is not host:port");
        assertThatThrownBy(() -> RedisConnector.target("mysql://:secret@db:3306"))
                .hasMessageContaining("is not a Redis URL").hasMessageContaining("redis-cluster://host1:port1")
                .hasMessageNotContaining("secret");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("REDIS_URL", "redis-cluster://n1:7000/3"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("REDIS_URL").hasMessageContaining("database 0");
    }
}
