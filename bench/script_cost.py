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


class Append:
    """One version's append script: its file name carries its key count (append-4 before issue 25, append-6 after,
    which also takes the in-flight list and index, and reads the supersede rule from px)."""

    def __init__(self, r, lua_dir):
        name = sorted(f for f in os.listdir(lua_dir) if re.match(r"append-\d+\.lua$", f))[-1]
        self.keys = int(re.search(r"-(\d+)\.lua$", name).group(1))
        self.sha = r.call("SCRIPT", "LOAD", expand(lua_dir, name))
        # The policy's typing/adaptive spec; from append-6 on with the supersede rule ON (the cost to measure).
        self.px = "1000,10000,-1" if self.keys == 4 else "1000,10000,-1,1,0"

    def cmd(self, pre, conv, msg_id, msg, size, quiet, ns, p):
        keys = [pre + "c:" + conv, pre + "open:" + conv, pre + "seen:" + conv, pre + "due"]
        if self.keys >= 6:
            keys += [pre + "flight:" + conv, pre + "inflight"]
        return (["EVALSHA", self.sha, self.keys] + keys + [conv, msg_id, msg, size, quiet,
                60000, 50, 16384, 86400000, ns + ":wake", p, "", " ", self.px, "0"])


def conversations(ns):
    """The load's conversations: (index, partition, conversation key, partition key prefix)."""
    for c in range(CONVERSATIONS):
        p = c % PARTITIONS
        yield c, p, "t:whatsapp:+7900%07d" % c, "%s:{p%d}:" % (ns, p)


def measured(r, setup, calls, between=lambda: None):
    """Runs the setup commands, then the measured ones alone: Redis's own us per measured EVALSHA."""
    r.pipeline(setup)
    between()
    r.call("CONFIG", "RESETSTAT")
    r.pipeline(calls)
    n, usec = evalsha_usec(r)
    return usec / n


def presence_round(r, append, sha_presence, ns):
    """This tree only: a composing for each of 5,000 conversations with an open batch (it moves their deadline)."""
    r.call("FLUSHALL")
    msg = json.dumps({"id": "m", "text": "hi", "type": "text"})
    load = [(append.cmd(pre, conv, "m%d" % c, msg, 2, 5000, ns, p),
             ["EVALSHA", sha_presence, 2, pre + "c:" + conv, pre + "due", conv, "1", ns + ":wake", p, 86400000])
            for c, p, conv, pre in conversations(ns)]
    return measured(r, [a for a, _ in load], [b for _, b in load])


def supersede_round(r, append, sha_claim, ns):
    """This tree only: every conversation's one-message batch is claimed, then a message arrives and supersedes it."""
    r.call("FLUSHALL")
    msg = json.dumps({"id": "m", "text": "book me for a haircut tomorrow", "type": "text"})
    load = [(append.cmd(pre, conv, "a%d" % c, msg, 30, 1, ns, p), append.cmd(pre, conv, "b%d" % c, msg, 30, 1, ns, p))
            for c, p, conv, pre in conversations(ns)]

    def claim_all():
        time.sleep(0.01)
        for p in range(PARTITIONS):
            pre = "%s:{p%d}:" % (ns, p)
            while r.call("EVALSHA", sha_claim, 2, pre + "due", pre + "inflight", pre, 64, 30000, "bench", "seed",
                         86400000, ns + ":wake", p)[2]:
                pass

    return measured(r, [a for a, _ in load], [b for _, b in load], claim_all)


def round_of(r, append, sha_claim, ns):
    msg = json.dumps({"id": "m", "text": "book me for a haircut tomorrow", "type": "text"})
    cmds = []
    for m in range(PER_CONV):
        for c in range(CONVERSATIONS):
            p = c % PARTITIONS
            conv = "t:whatsapp:+7900%07d" % c
            pre = "%s:{p%d}:" % (ns, p)
            cmds.append(append.cmd(pre, conv, "m%d-%d" % (c, m), msg, 30, 1, ns, p))
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
            res = r.call("EVALSHA", sha_claim, 2, pre + "due", pre + "inflight", pre, 16, 30000, "bench", "seed",
                         86400000, ns + ":wake", p)
            if not res[2]:
                break
            claimed += len(res[2])
    time.sleep(1.1)
    claim_cpu = (cpu_usec(r) - cpu0) / claimed
    calls, usec = evalsha_usec(r)
    return append_us, usec / claimed, append_cpu, claim_cpu


def group_round(r, append, sha_group, ns, size):
    """This tree only: round_of's appends sent as group commits of `size` messages of one partition
    (appendGroup-n.lua): Redis's time and process CPU per MESSAGE, to set beside one append per call."""
    msg = json.dumps({"id": "m", "text": "book me for a haircut tomorrow", "type": "text"})
    by_partition = {}
    for m in range(PER_CONV):
        for c in range(CONVERSATIONS):
            p = c % PARTITIONS
            conv = "t:whatsapp:+7900%07d" % c
            pre = "%s:{p%d}:" % (ns, p)
            by_partition.setdefault(p, []).append(append.cmd(pre, conv, "m%d-%d" % (c, m), msg, 30, 1, ns, p))
    cmds, messages = [], 0
    for p, singles in by_partition.items():
        for i in range(0, len(singles), size):
            group = singles[i:i + size]
            keys, args = [group[0][3 + 3], group[0][3 + 5]], []
            for one in group:
                k = one[3:9]
                keys += [k[0], k[1], k[2], k[4]]
                args += one[9:]
            cmds.append(["EVALSHA", sha_group, len(keys)] + keys + args)
            messages += len(group)
    r.call("CONFIG", "RESETSTAT")
    cpu0 = cpu_usec(r)
    r.pipeline(cmds)
    time.sleep(1.1)
    cpu = (cpu_usec(r) - cpu0) / messages
    calls, usec = evalsha_usec(r)
    return usec / messages, cpu


def main():
    port, old_dir, new_dir, rev = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    r = Redis(port)
    versions = {}
    for label, d in (("old", old_dir), ("new", new_dir)):
        versions[label] = (Append(r, d), r.call("SCRIPT", "LOAD", expand(d, "claim-2.lua")))
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
    sup = statistics.median(supersede_round(r, versions["new"][0], versions["new"][1], "sup%d" % i) for i in range(ROUNDS))
    out["append that supersedes, us per call (this tree)"] = round(sup, 2)
    if os.path.exists(os.path.join(new_dir, "appendGroup-n.lua")):
        sha_group = r.call("SCRIPT", "LOAD", expand(new_dir, "appendGroup-n.lua"))
        for size in (2, 4, 16):
            got = []
            for i in range(ROUNDS):
                r.call("FLUSHALL")
                got.append(group_round(r, versions["new"][0], sha_group, "grp%d-%d" % (size, i), size))
            us = statistics.median(g[0] for g in got)
            cpu = statistics.median(g[1] for g in got)
            out["group commit of %d, us per message" % size] = round(us, 2)
            out["group commit of %d, Redis process CPU us per message" % size] = round(cpu, 2)
            print("  group commit of %2d: %.2f us per message inside Redis, %.2f us of Redis process CPU per message"
                  " (this tree only; one append per call above)" % (size, us, cpu))
    print("  %-28s %7.2f (this tree only; a message while a one-message batch is with the bot, rule on)"
          % ("append that supersedes", sup))
    print("  %-28s %7.2f (this tree only; a composing that moves an open batch's deadline)" % ("presence, us per call", pres))
    os.makedirs("bench/results", exist_ok=True)
    with open("bench/results/script-cost.json", "w") as f:
        json.dump(out, f, indent=2)
    print("wrote bench/results/script-cost.json")


if __name__ == "__main__":
    main()
