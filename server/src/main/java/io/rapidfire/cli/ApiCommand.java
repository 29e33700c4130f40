package io.rapidfire.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

@Command(name = "api", mixinStandardHelpOptions = true,
        description = {"Runs the webhook API only (the original's API server). Needs REDIS_URL; run "
                + "`rapidfire worker` against the same Redis to release batches."})
public final class ApiCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Override
    public Integer call() throws Exception {
        return RapidfireCommand.run(Node.Role.API, options);
    }
}
