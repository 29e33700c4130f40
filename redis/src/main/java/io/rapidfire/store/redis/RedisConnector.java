package io.rapidfire.store.redis;

import io.rapidfire.core.Mask;

import io.lettuce.core.RedisURI;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads {@code REDIS_URL}. Three shapes, one setting, so that moving a deployment from one Redis to Sentinel or
 * to a Cluster changes nothing but this value:
 * <ul>
 *   <li>{@code redis://[:password@]host:port/db} (and {@code rediss://} for TLS): one server;</li>
 *   <li>{@code redis-sentinel://[:password@]host1:port1,host2:port2/db?masterName=name} (also
 *       {@code rediss-sentinel://}; Lettuce's own {@code #name} form is accepted too): the master that the
 *       Sentinels name, re-resolved on every reconnect;</li>
 *   <li>{@code redis-cluster://[:password@]host1:port1,host2:port2} (also {@code rediss-cluster://}): any
 *       reachable nodes of a Redis Cluster as seeds; the topology is discovered from them. A cluster has only
 *       database 0.</li>
 * </ul>
 */
public final class RedisConnector {
    public enum Topology { SINGLE, SENTINEL, CLUSTER }

    static final String ACCEPTED = "redis://[:password@]host:port/db, rediss://... for TLS, "
            + "redis-sentinel://host1:port1,host2:port2/db?masterName=NAME, or redis-cluster://host1:port1,host2:port2";

    /** What REDIS_URL names: its topology, and one URI per seed (one for a single server or a Sentinel set). */
    public record Target(Topology topology, List<RedisURI> uris, String masterName) {
        /** The single server's (or first seed's) URI; host, port and database for logs. */
        public RedisURI first() {
            return uris.get(0);
        }
    }

    private RedisConnector() {
    }

    /** @throws IllegalArgumentException "REDIS_URL <url, password masked> <what is wrong and what is accepted>" */
    public static Target target(String url) {
        try {
            return parseTarget(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("REDIS_URL " + mask(url) + " " + e.getMessage(), e);
        }
    }

    /** What is wrong with {@code url} and what is accepted, or null when it is a usable REDIS_URL. */
    public static String problem(String url) {
        try {
            parseTarget(url);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    private static Target parseTarget(String url) {
        String scheme = url == null || !url.contains("://") ? "" : url.substring(0, url.indexOf("://")).toLowerCase(Locale.ROOT);
        try {
            return switch (scheme) {
                case "redis", "rediss" -> new Target(Topology.SINGLE, List.of(RedisURI.create(url)), null);
                case "redis-sentinel", "rediss-sentinel" -> sentinel(url, scheme.startsWith("rediss"));
                case "redis-cluster", "rediss-cluster" -> cluster(url, scheme.startsWith("rediss"));
                default -> throw new Problem("is not a Redis URL; use one of " + ACCEPTED);
            };
        } catch (Problem e) {
            throw new IllegalArgumentException(e.getMessage());
        } catch (IllegalArgumentException e) {
            // Lettuce's message may quote the URL, password and all: never repeated raw.
            String why = e.getMessage() == null ? "" : e.getMessage().replace(url, mask(url));
            throw new IllegalArgumentException("cannot be parsed (" + Mask.userInfo(why) + "); use one of " + ACCEPTED);
        }
    }

    /** Our own verdicts, told apart from Lettuce's parse errors. */
    private static final class Problem extends IllegalArgumentException {
        Problem(String message) {
            super(message);
        }
    }

    /** The URI of a single server; kept for callers that only handle one (tests, the doctor's other ports). */
    public static RedisURI parse(String url) {
        return target(url).first();
    }

    private static Target sentinel(String url, boolean tls) {
        String rest = url.substring(url.indexOf("://") + 3);
        String master = null;
        int q = rest.indexOf('?');
        if (q >= 0) {
            for (String kv : rest.substring(q + 1).split("&")) {
                if (kv.startsWith("masterName=") || kv.startsWith("sentinelMasterId=")) {
                    master = kv.substring(kv.indexOf('=') + 1);
                }
            }
            rest = rest.substring(0, q);
        }
        int hash = rest.indexOf('#');
        if (hash >= 0) {
            master = rest.substring(hash + 1);
            rest = rest.substring(0, hash);
        }
        if (master == null || master.isBlank()) {
            throw new Problem("names no master: add ?masterName=NAME (the name in the Sentinels' "
                    + "`sentinel monitor NAME ...`)");
        }
        Authority a = Authority.of(rest, url);
        RedisURI.Builder b = null;
        for (String[] hp : a.hosts) {
            RedisURI.Builder sb = RedisURI.Builder.sentinel(hp[0], Integer.parseInt(hp[1]), master);
            if (b == null) {
                b = sb;
            } else {
                b.withSentinel(hp[0], Integer.parseInt(hp[1]));
            }
        }
        b.withDatabase(a.db).withSsl(tls);
        if (a.password != null) {
            b.withPassword(a.password.toCharArray());
        }
        return new Target(Topology.SENTINEL, List.of(b.build()), master);
    }

    private static Target cluster(String url, boolean tls) {
        String rest = url.substring(url.indexOf("://") + 3);
        if (rest.contains("?")) {
            rest = rest.substring(0, rest.indexOf('?'));
        }
        Authority a = Authority.of(rest, url);
        if (a.db != 0) {
            throw new Problem("names database " + a.db + ", but a Redis Cluster has only database 0: drop the /" + a.db);
        }
        List<RedisURI> seeds = new ArrayList<>();
        for (String[] hp : a.hosts) {
            RedisURI.Builder b = RedisURI.Builder.redis(hp[0], Integer.parseInt(hp[1])).withSsl(tls);
            if (a.password != null) {
                b.withPassword(a.password.toCharArray());
            }
            seeds.add(b.build());
        }
        return new Target(Topology.CLUSTER, seeds, null);
    }

    /** {@code [:password@]h1:p1,h2:p2[/db]} */
    private record Authority(String password, List<String[]> hosts, int db) {
        static Authority of(String rest, String url) {
            String password = null;
            int at = rest.lastIndexOf('@');
            if (at >= 0) {
                String user = rest.substring(0, at);
                password = user.contains(":") ? user.substring(user.indexOf(':') + 1) : user;
                rest = rest.substring(at + 1);
            }
            int db = 0;
            int slash = rest.indexOf('/');
            if (slash >= 0) {
                String d = rest.substring(slash + 1);
                db = d.isEmpty() ? 0 : Integer.parseInt(d);
                rest = rest.substring(0, slash);
            }
            List<String[]> hosts = new ArrayList<>();
            for (String hp : rest.split(",")) {
                int colon = hp.lastIndexOf(':');
                if (hp.isBlank() || colon <= 0 || !hp.substring(colon + 1).matches("\\d{1,5}")) {
                    throw new Problem("lists '" + hp + "', which is not host:port; list the nodes as host1:port1,host2:port2");
                }
                hosts.add(new String[]{hp.substring(0, colon), hp.substring(colon + 1)});
            }
            return new Authority(password, hosts, db);
        }
    }

    /** "redis://127.0.0.1:6379/0" (or the sentinel / cluster form) with any password left out, for logs and errors. */
    public static String describe(String url) {
        Target t = target(url);
        RedisURI u = t.first();
        return switch (t.topology()) {
            case SINGLE -> (u.isSsl() ? "rediss://" : "redis://") + u.getHost() + ":" + u.getPort() + "/" + u.getDatabase();
            case SENTINEL -> "redis-sentinel://" + String.join(",", u.getSentinels().stream()
                    .map(s -> s.getHost() + ":" + s.getPort()).toList()) + "/" + u.getDatabase() + "?masterName="
                    + t.masterName();
            case CLUSTER -> "redis-cluster://" + String.join(",", t.uris().stream()
                    .map(s -> s.getHost() + ":" + s.getPort()).toList());
        };
    }

    public static String mask(String url) {
        if (url == null) {
            return "nothing";
        }
        return io.rapidfire.core.Mask.userInfo(url);
    }
}
