package io.rapidfire.ops.doctor;

import io.rapidfire.store.redis.RedisLink;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The doctor's "clients" line. Every connection to every master is a named Rapidfire process.
 */
final class ClientsCheck implements DoctorCheck {
    @Override
    public String name() {
        return "clients";
    }

    @Override
    public Check run(Inspection in) {
        return clients(in, in.masters());
    }

    private static Check clients(Inspection in, List<RedisLink.Server> masters) {
        // With the BullMQ sink on this Redis, BullMQ's workers (connections named <prefix>:<queue>) belong here.
        String bullmq = BullmqCheck.applies(in) && in.config().get(io.rapidfire.config.Setting.RAPIDFIRE_BULLMQ_REDIS_URL)
                .isEmpty() ? in.config().get(io.rapidfire.config.Setting.RAPIDFIRE_BULLMQ_PREFIX) + ":" : null;
        List<String> foreign = new ArrayList<>();
        int bullmqNamed = 0;
        List<String> unnamed = new ArrayList<>();
        for (RedisLink.Server m : masters) {
            if (!m.up()) {
                continue;
            }
            for (Map<String, String> cl : ClientList.parse(m.commands().clientList())) {
                String name = cl.getOrDefault("name", "");
                if (ClientList.isRapidfire(cl) || ClientList.isRedisItself(cl) || ClientList.isStillConnecting(cl)) {
                    continue;
                }
                if (bullmq != null && name.startsWith(bullmq)) {
                    bullmqNamed++;
                    continue;
                }
                String line = (masters.size() > 1 ? m.address() + " <- " : "") + cl.getOrDefault("addr", "?")
                        + " (name " + (name.isEmpty() ? "none" : name) + ", db " + cl.get("db") + ", last command "
                        + cl.get("cmd") + ")";
                (name.isEmpty() ? unnamed : foreign).add(line);
            }
        }
        // A BullMQ worker opens one unnamed connection besides its named blocking one: as many unnamed connections
        // as named BullMQ workers are taken as theirs (--watch still shows whether anything touches our keys).
        int theirs = Math.min(bullmqNamed, unnamed.size());
        foreign.addAll(unnamed.subList(theirs, unnamed.size()));
        if (foreign.isEmpty()) {
            return Check.pass("clients", "every connection to " + (masters.size() > 1 ? "every master" : "this Redis")
                    + " is a named Rapidfire process" + (bullmq == null ? "" : " or a BullMQ worker (" + bullmqNamed
                    + " named " + bullmq + "*, and " + theirs + " unnamed connection(s) taken as theirs: a BullMQ "
                    + "worker opens one besides its named one)"));
        }
        return Check.warn("clients", foreign.size() + " connection(s) not from Rapidfire: "
                        + foreign.stream().limit(10).collect(Collectors.joining("; ")),
                "if these are not yours, find them; run `rapidfire doctor --watch 30` to see whether they touch "
                        + in.keyspace().namespace() + ":* keys");
    }
}
