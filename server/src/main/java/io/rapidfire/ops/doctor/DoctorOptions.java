package io.rapidfire.ops.doctor;

import java.util.List;

/**
 * What the doctor is asked to do.
 *
 * @param overdueMs     a batch this long past its deadline means nobody is processing the database
 * @param probeMs       how long the end-to-end probe may take
 * @param watchSeconds  with > 0, MONITOR for that long and report foreign commands on Rapidfire keys
 * @param otherPorts    "the other usual ports" on the same host to look for Rapidfire processes; empty by
 *                      default: connecting to ports nobody named is opt-in (--scan-ports), and done with
 *                      REDIS_URL's TLS and credentials
 */
public record DoctorOptions(long overdueMs, long probeMs, int watchSeconds, List<Integer> otherPorts) {
    public static DoctorOptions defaults() {
        return new DoctorOptions(30_000, 10_000, 0, List.of());
    }
}
