package io.rapidfire.ops.doctor;

import io.rapidfire.config.Setting;
import io.rapidfire.config.SettingGroups;
import io.rapidfire.ops.ProcessInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The doctor's "config" line. The settings that must agree between processes (config.SettingGroups) do.
 */
final class ConfigCheck implements DoctorCheck {
    @Override
    public String name() {
        return "config";
    }

    @Override
    public Check run(Inspection in) {
        return configAgrees(in, in.processes());
    }

    /** The default release policy they run, e.g. "; release: quiet 5000 ms, ..., typing-aware on (grace 1000 ms...)". */
    private static String releasePolicy(List<ProcessInfo> live) {
        if (live.isEmpty() || live.get(0).settings().isEmpty()) {
            return "";
        }
        Map<String, String> s = live.get(0).settings();
        try {
            return "; release: " + io.rapidfire.config.RapidfireConfig.defaultPolicy(
                    k -> s.getOrDefault(k.name(), k.defaultValue())).describe();
        } catch (RuntimeException e) {
            return "";
        }
    }

    private static Check configAgrees(Inspection in, List<ProcessInfo> live) {
        List<String> diffs = new ArrayList<>();
        for (SettingGroups.Group g : SettingGroups.Group.values()) {
            List<ProcessInfo> members = live.stream().filter(p -> switch (g) {
                case BATCHING -> true;
                case INGEST -> p.ingests();
                case DELIVERY -> p.delivers();
            }).filter(p -> !p.settings().isEmpty()).toList();
            for (Setting s : SettingGroups.of(g)) {
                Map<String, List<String>> byValue = new LinkedHashMap<>();
                for (ProcessInfo p : members) {
                    byValue.computeIfAbsent(p.settings().getOrDefault(s.name(), "?"), v -> new ArrayList<>())
                            .add(p.role() + " pid " + p.pid());
                }
                if (byValue.size() > 1) {
                    diffs.add(s.name() + ": " + byValue.entrySet().stream()
                            .map(e -> String.join(", ", e.getValue()) + " = " + (e.getKey().isEmpty() ? "(empty)" : e.getKey()))
                            .collect(Collectors.joining(" vs ")));
                }
            }
        }
        if (diffs.isEmpty()) {
            return Check.pass("config", "the " + live.size() + " live processes agree on batching, ingest and delivery "
                    + "settings" + releasePolicy(live));
        }
        return Check.fail("config", "settings differ between processes: " + String.join("; ", diffs),
                "give every process the same settings (same environment or config file) and restart the odd ones");
    }
}
