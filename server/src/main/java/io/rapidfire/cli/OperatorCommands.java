package io.rapidfire.cli;

import io.rapidfire.admin.AdminService;
import io.rapidfire.admin.Paging;

import io.rapidfire.admin.AdminView;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rapidfire.config.RapidfireConfig;
import io.rapidfire.core.ConversationRef;
import io.rapidfire.core.MessageCodec;
import io.rapidfire.core.StoreCounts;
import io.rapidfire.ops.ProcessInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

/** The operator's commands: each works on the deployment named by REDIS_URL and the usual settings. */
final class OperatorCommands {
    private OperatorCommands() {
    }

    @Command(name = "stats", mixinStandardHelpOptions = true, description = "Pending and in-flight batches, dead letters and processes, as a table (or --json)")
    static final class Stats implements Callable<Integer> {
        @Mixin
        ConfigOptions options;
        @Option(names = "--json")
        boolean json;
        @Option(names = "--limit", description = "Rows per section (default 20)")
        int limit = 20;
        @Option(names = "--masked", description = "Mask senders as the dashboard does without the admin token (to paste into a ticket)")
        boolean masked;

        @Override
        public Integer call() {
            AdminView view = masked ? AdminView.MASKED : AdminView.FULL;
            RapidfireConfig c = Deployment.config(options, "stats");
            try (Backend deployment = Deployment.backend(c, "stats")) {
                AdminService admin = deployment.admin(c);
                StoreCounts counts = admin.counts();
                List<AdminService.Open> pending = admin.open(Paging.first(limit), view);
                List<AdminService.InFlight> inflight = admin.inflight(limit, view);
                if (json) {
                    ObjectNode o = MessageCodec.JSON.createObjectNode();
                    o.put("pendingBatches", counts.pending()).put("inflightBatches", counts.inflight())
                            .put("deadLetters", counts.deadLetters());
                    ArrayNode p = o.putArray("pending");
                    pending.forEach(b -> p.addObject().put("conversation", b.key()).put("messages", b.messages())
                            .put("dueInMs", b.dueInMs()).put("releaseRule", b.rule()));
                    ArrayNode f = o.putArray("inflight");
                    inflight.forEach(b -> f.addObject().put("conversation", b.key()).put("batchId", b.batchId())
                            .put("attempt", b.attempt()).put("state", b.state()).put("worker", b.worker()));
                    System.out.println(o.toPrettyString());
                    return 0;
                }
                System.out.printf("pending %d, in flight %d, dead letters %d%n%n", counts.pending(), counts.inflight(),
                        counts.deadLetters());
                System.out.printf("%-45s %8s %10s %-12s%n", "PENDING CONVERSATION", "MESSAGES", "DUE IN MS", "RULE");
                pending.forEach(b -> System.out.printf("%-45s %8d %10d %-12s%n", b.key(), b.messages(), b.dueInMs(), b.rule()));
                System.out.printf("%n%-45s %-26s %7s %-7s %s%n", "IN FLIGHT", "BATCH", "ATTEMPT", "STATE", "WORKER");
                inflight.forEach(b -> System.out.printf("%-45s %-26s %7d %-7s %s%n", b.key(), b.batchId(),
                        b.attempt(), b.state(), b.worker()));
                return 0;
            }
        }
    }

    @Command(name = "processes", mixinStandardHelpOptions = true, description = "Registered processes and their heartbeats")
    static final class Processes implements Callable<Integer> {
        @Mixin
        ConfigOptions options;
        @Option(names = "--all", description = "Include processes that stopped heartbeating within the last hour")
        boolean all;

        @Override
        public Integer call() {
            RapidfireConfig c = Deployment.config(options, "processes");
            try (Backend deployment = Deployment.backend(c, "processes")) {
                System.out.printf("%-10s %7s %-16s %-20s %3s %8s %8s %6s %s%n", "ROLE", "PID", "HOST", "REDIS", "DB",
                        "SEEN MS", "SKEW MS", "FLIGHT", "LAST ERROR");
                for (AdminService.Process p : deployment.admin(c).processes(all, AdminView.FULL)) {
                    ProcessInfo i = p.info();
                    System.out.printf("%-10s %7d %-16s %-20s %3d %8d %8d %6d %s%n", i.role(), i.pid(), i.host(),
                            i.redisAddress(), i.db(), p.seenAgoMs(), i.clockSkewMs(), i.inFlight(), p.lastError());
                }
                return 0;
            }
        }
    }

    /** A command on one conversation: the argument is a conversation key or a phone number. */
    abstract static class OnConversation implements Callable<Integer> {
        @Mixin
        ConfigOptions options;
        @Parameters(paramLabel = "CONVERSATION", description = "tenant:channel:conversation, or a phone number for the default tenant's WhatsApp")
        String conversation;

        abstract String name();

        abstract int act(AdminService admin, ConversationRef ref);

        @Override
        public Integer call() {
            RapidfireConfig c = Deployment.config(options, name());
            ConversationRef ref = Deployment.conversation(conversation, c);
            try (Backend deployment = Deployment.backend(c, name())) {
                return act(deployment.admin(c), ref);
            }
        }
    }

    @Command(name = "flush", mixinStandardHelpOptions = true, description = "Release a conversation's batch now")
    static final class Flush extends OnConversation {
        @Override
        String name() {
            return "flush";
        }

        @Override
        int act(AdminService s, ConversationRef ref) {
            if (!s.flush(ref)) {
                System.err.println(ref.key() + " has no pending messages");
                return 1;
            }
            System.out.println("flushed " + ref.key());
            return 0;
        }
    }

    @Command(name = "clear", mixinStandardHelpOptions = true, description = "Drop a conversation's pending and in-flight messages")
    static final class Clear extends OnConversation {
        @Override
        String name() {
            return "clear";
        }

        @Override
        int act(AdminService s, ConversationRef ref) {
            System.out.println("cleared " + s.clear(ref) + " message(s) of " + ref.key());
            return 0;
        }
    }

    @Command(name = "dlq", mixinStandardHelpOptions = true, description = "Dead letters: list | show ID | replay ID|--all | purge ID|--all")
    static final class Dlq implements Callable<Integer> {
        @Mixin
        ConfigOptions options;
        @Parameters(index = "0", paramLabel = "ACTION", description = "list, show, replay or purge")
        String action;
        @Parameters(index = "1", arity = "0..1", paramLabel = "BATCH_ID")
        String batchId;
        @Option(names = "--all", description = "replay or purge every dead letter")
        boolean all;
        @Option(names = "--limit", description = "for list (default 100)")
        int limit = 100;
        @Option(names = "--masked", description = "for list and show: no message text, senders masked (the dashboard's view without the admin token)")
        boolean masked;

        @Override
        public Integer call() {
            AdminView view = masked ? AdminView.MASKED : AdminView.FULL;
            RapidfireConfig c = Deployment.config(options, "dlq");
            try (Backend deployment = Deployment.backend(c, "dlq")) {
                AdminService s = deployment.admin(c);
                switch (action) {
                    case "list" -> {
                        System.out.printf("%-26s %-40s %5s %s%n", "BATCH", "CONVERSATION", "MSGS", "REASON");
                        for (AdminService.Dead d : s.deadLetters(limit, view)) {
                            System.out.printf("%-26s %-40s %5d %s%n", d.batchId(), d.conversation(), d.messages(), d.reason());
                        }
                        return 0;
                    }
                    case "show" -> {
                        AdminService.Dead d = s.deadLetter(need(batchId), view);
                        if (d == null) {
                            System.err.println("no dead letter " + batchId + "; `rapidfire dlq list` shows them");
                            return 1;
                        }
                        System.out.println(MessageCodec.JSON.readTree(d.document()).toPrettyString());
                        return 0;
                    }
                    case "replay", "purge" -> {
                        List<String> ids = all ? s.deadLetterIds() : List.of(need(batchId));
                        int done = 0;
                        for (String id : ids) {
                            boolean ok = action.equals("replay") ? s.replay(id) >= 0 : s.purge(id);
                            if (!ok) {
                                System.err.println("no dead letter " + id);
                            } else {
                                done++;
                            }
                        }
                        System.out.println((action.equals("replay") ? "replayed " : "purged ") + done + " dead letter(s)");
                        return done == ids.size() ? 0 : 1;
                    }
                    default -> {
                        System.err.println("unknown action '" + action + "'; use list, show, replay or purge");
                        return 2;
                    }
                }
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

        private String need(String id) {
            if (id == null && !all) {
                throw new IllegalArgumentException("`rapidfire dlq " + action + "` needs a BATCH_ID (or --all); "
                        + "`rapidfire dlq list` shows them");
            }
            return id;
        }
    }
}
