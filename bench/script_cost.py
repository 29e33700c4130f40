"""Redis CPU per append and per claimed batch: two versions of the Lua scripts on one redis-server (bench/script-cost).

A minimal RESP client over a socket (no libraries). Scripts are expanded the way LuaScripts.java does it: each
'--- @include "x"' line becomes includes/x.lua, once. Both versions get the same load, alternating, 5 rounds; Redis's
own microseconds come from INFO commandstats (evalsha), reset before each phase.
"""
import json
import os
import re
import socket
import statistics
import sys
import time

INCLUDE = re.compile(r'^--- @include "([A-Za-z0-9_]+)"\s*$', re.M)


def expand(lua_dir, name):
    src = open(os.path.join(lua_dir, name), encoding="utf-8").read()
    done = set()

    def sub(m):
        if m.group(1) in done:
            return ""
        done.add(m.group(1))
        return open(os.path.join(lua_dir, "includes", m.group(1) + ".lua"), encoding="utf-8").read()

    return INCLUDE.sub(sub, src)


class Redis:
    def __init__(self, port):
        for _ in range(100):
            try:
                self.s = socket.create_connection(("127.0.0.1", port))
                break
            except OSError:
                time.sleep(0.05)
        self.f = self.s.makefile("rb")

    @staticmethod
    def encode(args):
        out = [b"*%d\r\n" % len(args)]
        for a in args:
            a = a if isinstance(a, bytes) else str(a).encode()
            out.append(b"$%d\r\n%s\r\n" % (len(a), a))
        return b"".join(out)

    def read(self):
        line = self.f.readline()
        t, rest = line[:1], line[1:-2]
        if t in (b"+", b"-"):
            if t == b"-":
                raise RuntimeError(rest.decode())
            return rest.decode()
        if t == b":":
            return int(rest)
        if t == b"$":
            n = int(rest)
            if n < 0:
                return None
            data = self.f.read(n + 2)[:-2]
            return data.decode("utf-8", "replace")
        if t == b"*":
            n = int(rest)
            return None if n < 0 else [self.read() for _ in range(n)]
        raise RuntimeError("unexpected reply %r" % line)

    def pipeline(self, commands, window=256):
        replies = []
        for i in range(0, len(commands), window):
            chunk = commands[i:i + window]
            self.s.sendall(b"".join(self.encode(c) for c in chunk))
            replies.extend(self.read() for _ in chunk)
        return replies

    def call(self, *args):
        return self.pipeline([list(args)])[0]


def cpu_usec(r):
    """Redis's whole process CPU (user + sys), which also counts writing the AOF, unlike commandstats."""
    f = dict(l.split(":", 1) for l in r.call("INFO", "cpu").splitlines() if ":" in l)
    return (float(f["used_cpu_user"]) + float(f["used_cpu_sys"])) * 1e6


def evalsha_usec(r):
    for line in r.call("INFO", "commandstats").splitlines():
        if line.startswith("cmdstat_evalsha:"):
            f = dict(kv.split("=") for kv in line.split(":", 1)[1].split(","))
            return int(f["calls"]), int(f["usec"])
    return 0, 0


PARTITIONS, CONVERSATIONS, PER_CONV, ROUNDS = 16, 5000, 4, 9


def presence_round(r, sha_append, sha_presence, ns):
    """This tree only: a composing for each of 5,000 conversations with an open batch (it moves their deadline)."""
    r.call("FLUSHALL")
    msg = json.dumps({"id": "m", "text": "hi", "type": "text"})
    appends, presences = [], []
    for c in range(CONVERSATIONS):
        p = c % PARTITIONS
        conv = "t:whatsapp:+7900%07d" % c
        pre = "%s:{p%d}:" % (ns, p)
        appends.append(["EVALSHA", sha_append, 4, pre + "c:" + conv, pre + "open:" + conv, pre + "seen:" + conv,
                        pre + "due", conv, "m%d" % c, msg, 2, 5000, 60000, 50, 16384, 86400000, ns + ":wake", p, "",
                        " ", "1000,10000,-1", "0"])
        presences.append(["EVALSHA", sha_presence, 2, pre + "c:" + conv, pre + "due", conv, "1", ns + ":wake", p,
                          86400000])
    r.pipeline(appends)
    r.call("CONFIG", "RESETSTAT")
    r.pipeline(presences)
    calls, usec = evalsha_usec(r)
    return usec / calls


def round_of(r, sha_append, sha_claim, ns):
    msg = json.dumps({"id": "m", "text": "book me for a haircut tomorrow", "type": "text"})
    cmds = []
    for m in range(PER_CONV):
        for c in range(CONVERSATIONS):
            p = c % PARTITIONS
            conv = "t:whatsapp:+7900%07d" % c
            pre = "%s:{p%d}:" % (ns, p)
            cmds.append(["EVALSHA", sha_append, 4, pre + "c:" + conv, pre + "open:" + conv, pre + "seen:" + conv,
                         pre + "due", conv, "m%d-%d" % (c, m), msg, 30, 1, 60000, 50, 16384, 86400000,
                         ns + ":wake", p, "", " ", "1000,10000,-1", "0"])
    r.call("CONFIG", "RESETSTAT")
    cpu0 = cpu_usec(r)
    r.pipeline(cmds)
    time.sleep(1.1)  # the AOF's everysec fsync of this phase
    append_cpu = (cpu_usec(r) - cpu0) / len(cmds)
    calls, usec = evalsha_usec(r)
    append_us = usec / calls
    r.call("CONFIG", "RESETSTAT")
    cpu0 = cpu_usec(r)
    claimed = 0
    for p in range(PARTITIONS):
        pre = "%s:{p%d}:" % (ns, p)
        while True:
            res = r.call("EVALSHA", sha_claim, 2, pre + "due", pre + "inflight", pre, 16, 30000, "bench", "seed")
            if not res[2]:
                break
            claimed += len(res[2])
    time.sleep(1.1)
    claim_cpu = (cpu_usec(r) - cpu0) / claimed
    calls, usec = evalsha_usec(r)
    return append_us, usec / claimed, append_cpu, claim_cpu


def main():
    port, old_dir, new_dir, rev = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    r = Redis(port)
    versions = {}
    for label, d in (("old", old_dir), ("new", new_dir)):
        versions[label] = (r.call("SCRIPT", "LOAD", expand(d, "append-4.lua")), r.call("SCRIPT", "LOAD", expand(d, "claim-2.lua")))
    results = {"old": [], "new": []}
    for i in range(ROUNDS):
        for label in ("old", "new") if i % 2 == 0 else ("new", "old"):
            r.call("FLUSHALL")
            results[label].append(round_of(r, *versions[label], "cost%d%s" % (i, label)))
    out = {"rev": rev, "load": "%d appends over %d conversations, %d partitions; claims 16 at a time"
           % (CONVERSATIONS * PER_CONV, CONVERSATIONS, PARTITIONS)}
    print("Redis time inside EVALSHA (INFO commandstats) and Redis process CPU incl. the AOF (INFO cpu), medians of "
          "%d alternating rounds on one redis-server (appendonly yes, everysec):" % ROUNDS)
    for k, name in ((0, "append, us per call"), (1, "claim, us per claimed batch"),
                    (2, "append, Redis process CPU us"), (3, "claim, Redis process CPU us")):
        old = statistics.median(x[k] for x in results["old"])
        new = statistics.median(x[k] for x in results["new"])
        out[name] = {"old": round(old, 2), "new": round(new, 2), "ratio": round(new / old, 3)}
        print("  %-28s %s %7.2f   this tree %7.2f   ratio x%.3f" % (name, rev, old, new, new / old))
    sha_presence = r.call("SCRIPT", "LOAD", expand(new_dir, "presence-2.lua"))
    pres = statistics.median(presence_round(r, versions["new"][0], sha_presence, "pres%d" % i) for i in range(ROUNDS))
    out["presence, us per call (this tree)"] = round(pres, 2)
    print("  %-28s %7.2f (this tree only; a composing that moves an open batch's deadline)" % ("presence, us per call", pres))
    os.makedirs("bench/results", exist_ok=True)
    with open("bench/results/script-cost.json", "w") as f:
        json.dump(out, f, indent=2)
    print("wrote bench/results/script-cost.json")


if __name__ == "__main__":
    main()
