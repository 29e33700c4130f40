package io.rapidfire.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

@Command(name = "worker", mixinStandardHelpOptions = true,
        description = {"Runs a worker only (the original's batch processor): claims due batches and delivers them "
                + "to the sink. Needs REDIS_URL. Run as many as you like: a batch goes to one of them."})
public final class WorkerCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Override
    public Integer call() throws Exception {
        return RapidfireCommand.run(Node.Role.WORKER, options);
    }
}
