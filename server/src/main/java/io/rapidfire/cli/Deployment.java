package io.rapidfire.cli;

import io.rapidfire.config.RapidfireConfig;
import io.rapidfire.config.Setting;
import io.rapidfire.core.ConversationRef;
import io.rapidfire.store.redis.RedisBatchStore;

import java.time.Duration;

/** Opens the deployment an operator command works on: the same REDIS_URL and settings as the processes. */
final class Deployment {
    private Deployment() {
    }

    static RapidfireConfig config(ConfigOptions options, String command) {
        RapidfireConfig c = options.load();
        if (!c.usesRedis()) {
            throw new IllegalStateException("`rapidfire " + command + "` works on a deployment in Redis: set REDIS_URL "
                    + "(and RAPIDFIRE_NAMESPACE / RAPIDFIRE_PARTITIONS if not the defaults) to what the processes use. "
                    + "A standalone process's in-memory store is only visible through its HTTP API "
                    + "(GET /webhook/whatsapp/batched/stats).");
        }
        return c;
    }

    /** The deployment's Redis store and registry, for an operator command. */
    static Backend backend(RapidfireConfig c, String command) {
        return Backend.redis(redisStore(c, "rapidfire:cli-" + command + ":" + ProcessHandle.current().pid() + "@"
                + Node.host()).timeout(Duration.ofSeconds(3)).build());
    }

    /** The store every process of the deployment shares, as the settings describe it. */
    static RedisBatchStore.Builder redisStore(RapidfireConfig c, String clientName) {
        return RedisBatchStore.builder(c.get(Setting.REDIS_URL)).clientName(clientName)
                .namespace(c.get(Setting.RAPIDFIRE_NAMESPACE)).partitions(c.getInt(Setting.RAPIDFIRE_PARTITIONS))
                .dedupWindow(Duration.ofMillis(c.getLong(Setting.RAPIDFIRE_DEDUP_WINDOW_MS)))
                .joiner(c.get(Setting.RAPIDFIRE_JOINER)).durability(durability(c));
    }

    static RedisBatchStore.Durability durability(RapidfireConfig c) {
        return new RedisBatchStore.Durability(c.getInt(Setting.RAPIDFIRE_WAIT_REPLICAS),
                c.getLong(Setting.RAPIDFIRE_WAIT_TIMEOUT_MS), c.getLong(Setting.RAPIDFIRE_CLUSTER_REFRESH_MS));
    }

    /**
     * "tenant:channel:conversation", or a phone number / WhatsApp id for the default tenant's WhatsApp channel.
     */
    static ConversationRef conversation(String arg, RapidfireConfig c) {
        if (arg.chars().filter(ch -> ch == ':').count() >= 2 && !arg.contains("@")) {
            return ConversationRef.parseKey(arg);
        }
        var identity = new io.rapidfire.ingest.SenderIdentity(c.get(Setting.RAPIDFIRE_DEFAULT_REGION), true, true);
        var s = identity.whatsapp(arg, null, "conversation");
        return new ConversationRef(c.get(Setting.RAPIDFIRE_DEFAULT_TENANT), "whatsapp", s.id());
    }
}
