package io.rapidfire.config;

/**
 * docs/settings.md, generated from {@link Setting} (the one list of settings): {@code rapidfire settings} prints
 * it and {@code SettingsPageTest} fails when the file in the repository differs, so it cannot drift.
 */
public final class SettingsPage {
    private SettingsPage() {
    }

    public static String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Settings\n\n")
                .append("Generated from `config/Setting.java` by `rapidfire settings`; `SettingsPageTest` keeps this file ")
                .append("in step. Each setting is an environment variable, a key in the file named by ")
                .append("`RAPIDFIRE_CONFIG` (Java properties) or `--set NAME=VALUE` on the command line; the command line ")
                .append("wins over the environment, which wins over the file. Every value is checked at start and all ")
                .append("problems are reported at once; secrets are masked wherever settings are shown.\n\n")
                .append("| Setting | Default | Accepts | Meaning |\n|---|---|---|---|\n");
        for (Setting s : Setting.values()) {
            md.append("| `").append(s.name()).append("` | ").append(shown(s.defaultValue())).append(" | ")
                    .append(cell(s.accepts())).append(s.secret() ? " (secret)" : "").append(" | ")
                    .append(cell(s.description())).append(" |\n");
        }
        return md.toString();
    }

    private static String shown(String v) {
        if (v.isEmpty()) {
            return "(empty)";
        }
        return v.isBlank() ? "\" \" (a space)" : "`" + v + "`";
    }

    private static String cell(String s) {
        return s.replace("|", "\\|");
    }
}
