package io.rapidfire.cli;

import io.rapidfire.config.SettingsPage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code rapidfire settings}: every setting with its default and what it accepts (docs/settings.md). */
@Command(name = "settings", mixinStandardHelpOptions = true,
        description = "Print every setting, its default and what it accepts, as Markdown (docs/settings.md)")
final class SettingsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(SettingsPage.markdown());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
