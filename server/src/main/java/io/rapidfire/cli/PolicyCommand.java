package io.rapidfire.cli;

import io.rapidfire.admin.AdminService;

import io.rapidfire.admin.AdminView;

import io.rapidfire.config.RapidfireConfig;
import io.rapidfire.core.ConversationRef;
import io.rapidfire.core.Policy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.Map;
import java.util.concurrent.Callable;

/** `rapidfire policy`: runtime policies of every tenant, one tenant or one conversation. */
@Command(name = "policy", mixinStandardHelpOptions = true, description = {"Change batching at runtime, for every "
        + "process within a second, without a restart:",
        "  rapidfire policy set quietMs:0                 (batching off for everyone)",
        "  rapidfire policy set --tenant acme quietMs:2000,maxMessages:5",
        "  rapidfire policy set --conversation +79001234567 quietMs:120000 --for 1d   (one conversation)",
        "  rapidfire policy show [--conversation …] | rapidfire policy reset [--tenant acme | --conversation …]"})
final class PolicyCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;
    @Parameters(index = "0", paramLabel = "ACTION", description = "set, show or reset")
    String action;
    @Parameters(index = "1", arity = "0..1", paramLabel = "SPEC", description = "quietMs:…,maxWaitMs:…,maxMessages:…,maxBytes:…,joiner:…")
    String spec;
    @Option(names = "--tenant", description = "a tenant; default: the default policy of every tenant (\"*\")")
    String tenant = "*";
    @Option(names = "--conversation", paramLabel = "CONVERSATION", description = "one conversation (tenant:channel:conversation, or a phone number), on top of its tenant's; also one that has not written yet")
    String conversation;
    @Option(names = "--for", paramLabel = "LENGTH", description = "with --conversation: how long its rules last (90s, 30m, 2h, 1d); default: until reset")
    String length;

    @Override
    public Integer call() {
        RapidfireConfig c = Deployment.config(options, "policy");
        try (Backend deployment = Deployment.backend(c, "policy")) {
            AdminService s = deployment.admin(c);
            if (conversation != null) {
                return onConversation(s, Deployment.conversation(conversation, c));
            }
            switch (action) {
                case "set" -> {
                    if (spec == null) {
                        throw new IllegalArgumentException("`rapidfire policy set` needs a SPEC like quietMs:0");
                    }
                    Policy p = s.setPolicy(tenant, spec, c.defaultPolicy());
                    System.out.println("policy of " + (tenant.equals("*") ? "every tenant" : "tenant " + tenant)
                            + " is now: " + p.describe() + " (in force within a second)");
                    return 0;
                }
                case "show" -> {
                    System.out.println("configured default: " + c.defaultPolicy().describe());
                    Map<String, String> o = s.overrides();
                    System.out.println(o.isEmpty() ? "no runtime overrides" : "runtime overrides: " + o);
                    s.inForce().forEach((t, pol) -> System.out.println(t.equals("*")
                            ? "in force for every tenant: " + pol.describe() : "in force for tenant " + t + ": " + pol.describe()));
                    return 0;
                }
                case "reset" -> {
                    System.out.println(s.resetPolicy(tenant) ? "runtime override of " + tenant + " removed"
                            : "no runtime override of " + tenant);
                    return 0;
                }
                default -> {
                    System.err.println("unknown action '" + action + "'; use set, show or reset");
                    return 2;
                }
            }
        }
    }

    private int onConversation(AdminService s, ConversationRef ref) {
        switch (action) {
            case "set" -> {
                if (spec == null) {
                    System.err.println("`rapidfire policy set --conversation` needs a SPEC like quietMs:120000");
                    return 2;
                }
                try {
                    long forMs = length == null ? -1 : io.rapidfire.admin.Params.duration(length, "--for");
                    Policy p = s.conversations().setPolicy(ref, spec, forMs);
                    System.out.println("policy of " + ref.key() + " is now: " + p.describe()
                            + (forMs < 0 ? "" : " for " + length) + " (in force within a second)");
                } catch (RuntimeException e) {
                    System.err.println(e.getMessage());
                    return 2;
                }
                return 0;
            }
            case "show" -> {
                io.rapidfire.admin.ConversationAdmin.ConversationPolicy p = s.conversations().policy(ref, io.rapidfire.admin.AdminView.FULL);
                System.out.println(ref.key() + " follows its " + p.level() + " policy: " + p.policy().describe()
                        + (p.spec() == null ? "" : "; its own rules: " + p.spec()
                        + (p.untilMs() < 0 ? "" : " until store time " + p.untilMs())));
                return 0;
            }
            case "reset" -> {
                System.out.println(s.conversations().resetPolicy(ref) ? "rules of " + ref.key() + " removed: its tenant's apply"
                        : ref.key() + " has no rules of its own");
                return 0;
            }
            default -> {
                System.err.println("unknown action '" + action + "'; use set, show or reset");
                return 2;
            }
        }
    }
}
