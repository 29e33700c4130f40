package io.rapidfire.cli;

import io.rapidfire.config.ConfigException;
import io.rapidfire.core.StoreUnavailableException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/** {@code rapidfire}: with no subcommand, API and worker in one JVM (in-memory store unless REDIS_URL is set). */
@Command(name = "rapidfire", mixinStandardHelpOptions = true, version = "rapidfire 0.1.0",
        description = {"Message batching gateway for chat bots: gathers a person's rapid-fire messages and hands "
                + "the bot one batch once they are quiet.", "",
                "Without a subcommand: standalone (webhook API and worker in one process)."},
        subcommands = {ApiCommand.class, WorkerCommand.class, DoctorCommand.class, OperatorCommands.Stats.class,
                OperatorCommands.Processes.class, OperatorCommands.Dlq.class, OperatorCommands.Flush.class,
                OperatorCommands.Clear.class, HandoverCommand.class, PolicyCommand.class, SettingsCommand.class,
                CommandLine.HelpCommand.class})
public final class RapidfireCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Override
    public Integer call() throws Exception {
        return run(Node.Role.STANDALONE, options);
    }

    static int run(Node.Role role, ConfigOptions options) throws InterruptedException {
        Node node;
        try {
            node = new Node(role, options.load()).start();
        } catch (ConfigException | IllegalStateException | IllegalArgumentException | StoreUnavailableException e) {
            System.err.println("rapidfire " + role.name().toLowerCase() + " cannot start: " + e.getMessage());
            return 2;
        }
        node.awaitStop();
        return 0;
    }

    /** Operator commands print their own errors, without a stack trace, and exit 2. */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new RapidfireCommand());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("rapidfire " + cmd.getCommandName() + ": " + e.getMessage());
            return 2;
        });
        return cl.execute(args);
    }

    public static void main(String[] args) {
        // Before the first logger exists: logback reads these when it starts.
        System.setProperty("PID", Long.toString(ProcessHandle.current().pid()));
        if ("json".equals(System.getenv("RAPIDFIRE_LOG_FORMAT"))) {
            System.setProperty("logback.configurationFile", "logback-json.xml");
        }
        System.exit(execute(args));
    }
}
