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
        return Backend.redis(Backend.redisStore(c, "rapidfire:cli-" + command + ":" + ProcessHandle.current().pid() + "@"
                + Node.host()).timeout(Duration.ofSeconds(3)).build());
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
