package io.rapidfire.cli;

import io.rapidfire.admin.AdminService;

import io.rapidfire.admin.AdminView;

import io.rapidfire.core.ConversationRef;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `rapidfire handover`: hand a conversation to a human and back (docs/operations.md). */
@Command(name = "handover", mixinStandardHelpOptions = true, description = {"Hand a conversation to a human "
        + "(the bot gets its batches marked handover and must not answer), or back with --end",
        "  rapidfire handover +79001234567 --for 2h", "  rapidfire handover default:telegram:42 --forever",
        "  rapidfire handover +79001234567 --end", "  rapidfire handover +79001234567 --show"})
final class HandoverCommand extends OperatorCommands.OnConversation {
    @picocli.CommandLine.Option(names = "--for", paramLabel = "LENGTH", description = "90s, 30m, 2h, 1d (up to 7d); default RAPIDFIRE_HANDOVER_MS")
    String length;
    @picocli.CommandLine.Option(names = "--forever", description = "No end: bot off until handed back")
    boolean forever;
    @picocli.CommandLine.Option(names = "--end", description = "Hand it back to the bot now")
    boolean end;
    @picocli.CommandLine.Option(names = "--show", description = "Only show the handover in force")
    boolean show;
    private long defaultMs;

    @Override
    String name() {
        return "handover";
    }

    @Override
    public Integer call() {
        defaultMs = Deployment.config(options, name()).getLong(io.rapidfire.config.Setting.RAPIDFIRE_HANDOVER_MS);
        return super.call();
    }

    @Override
    int act(AdminService s, ConversationRef ref) {
        if ((end ? 1 : 0) + (show ? 1 : 0) + (forever || length != null ? 1 : 0) > 1) {
            System.err.println("choose one of --for/--forever, --end, --show");
            return 2;
        }
        io.rapidfire.admin.ConversationAdmin.HandoverView h;
        if (show) {
            h = s.conversations().handover(ref, io.rapidfire.admin.AdminView.FULL);
            System.out.println(h == null ? ref.key() + ": the bot answers (no handover)" : describe(h));
            return 0;
        }
        if (end) {
            h = s.conversations().endHandover(ref, io.rapidfire.admin.AdminView.FULL);
            if (h == null) {
                System.err.println(ref.key() + " has no handover in force: the bot already answers it");
                return 1;
            }
            System.out.println("handed back to the bot: " + ref.key());
            return 0;
        }
        long ms;
        try {
            ms = forever ? io.rapidfire.core.Handover.FOREVER
                    : length == null ? defaultMs : io.rapidfire.admin.Params.duration(length, "--for");
            h = s.conversations().startHandover(ref, ms, io.rapidfire.admin.AdminView.FULL);
        } catch (RuntimeException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        System.out.println(describe(h));
        return 0;
    }

    private static String describe(io.rapidfire.admin.ConversationAdmin.HandoverView h) {
        return h.key() + ": with a human since store time " + h.sinceMs() + " (started by " + h.by() + "), "
                + (h.untilMs() == null ? "no end (bot off)" : "bot answers again in " + h.endsInMs() / 1000 + " s");
    }
}

