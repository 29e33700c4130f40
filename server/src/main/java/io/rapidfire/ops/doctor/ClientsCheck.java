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
        List<String> foreign = new ArrayList<>();
        for (RedisLink.Server m : masters) {
            if (!m.up()) {
                continue;
            }
            for (Map<String, String> cl : ClientList.parse(m.commands().clientList())) {
                if (!ClientList.isRapidfire(cl) && !ClientList.isRedisItself(cl)) {
                    foreign.add((masters.size() > 1 ? m.address() + " <- " : "") + cl.getOrDefault("addr", "?")
                            + " (name " + (cl.getOrDefault("name", "").isEmpty() ? "none" : cl.get("name")) + ", db "
                            + cl.get("db") + ", last command " + cl.get("cmd") + ")");
                }
            }
        }
        if (foreign.isEmpty()) {
            return Check.pass("clients", "every connection to " + (masters.size() > 1 ? "every master" : "this Redis")
                    + " is a named Rapidfire process");
        }
        return Check.warn("clients", foreign.size() + " connection(s) not from Rapidfire: "
                        + foreign.stream().limit(10).collect(Collectors.joining("; ")),
                "if these are not yours, find them; run `rapidfire doctor --watch 30` to see whether they touch "
                        + in.keyspace().namespace() + ":* keys");
    }
}
