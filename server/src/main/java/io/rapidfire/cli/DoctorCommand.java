package io.rapidfire.cli;

import io.rapidfire.ops.doctor.DoctorOptions;
import io.rapidfire.config.RapidfireConfig;
import io.rapidfire.ops.doctor.Check;
import io.rapidfire.ops.doctor.Doctor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Runs the troubleshooting checklist against a deployment: live processes, Redis errors, same "
                + "server and database everywhere, settings that agree, overdue batches, an end-to-end probe, Redis "
                + "settings that lose batches, foreign clients, clock skew. One PASS/WARN/FAIL line per check with "
                + "what to do; exits 1 if anything FAILs.", "Give it the same REDIS_URL and settings as the processes."})
public final class DoctorCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Option(names = "--json", description = "Print the checks as JSON")
    boolean json;

    @Option(names = "--watch", paramLabel = "SECONDS", description = "Also MONITOR Redis this long and report commands on Rapidfire keys from other clients")
    int watch;

    @Option(names = "--scan-ports", split = ",", paramLabel = "PORTS", description = "Also look for Rapidfire "
            + "processes on these other ports of the Redis host (the guide's usual 6379,6380,6381), connecting the way "
            + "REDIS_URL says (TLS, credentials); off by default")
    List<Integer> scanPorts = List.of();

    @Option(names = "--overdue-ms", description = "A batch this far past its deadline means nobody processes the database (default 30000)")
    long overdueMs = 30_000;

    @Option(names = "--probe-ms", description = "How long the end-to-end probe may take (default 10000)")
    long probeMs = 10_000;

    @Override
    public Integer call() {
        RapidfireConfig c = Deployment.config(options, "doctor");
        List<Check> checks = new Doctor(c, new DoctorOptions(overdueMs, probeMs, watch, scanPorts)).run();
        if (json) {
            System.out.println(Doctor.json(checks).toPrettyString());
        } else {
            for (Check k : checks) {
                System.out.printf("%-4s  %-14s %s%n", k.status(), k.name(), k.evidence());
                if (!k.fix().isEmpty()) {
                    System.out.printf("      %-14s -> %s%n", "", k.fix());
                }
            }
        }
        return checks.stream().anyMatch(k -> k.status() == Check.Status.FAIL) ? 1 : 0;
    }
}
