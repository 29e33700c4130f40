package io.rapidfire.ops.doctor;

import io.rapidfire.ops.ProcessInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * The doctor's "clock" line. Every process's clock is near the Redis clock (deadlines use Redis TIME; logs, signatures and timestamps do not).
 */
final class ClockCheck implements DoctorCheck {
    @Override
    public String name() {
        return "clock";
    }

    @Override
    public Check run(Inspection in) {
        return clocks(in, in.processes());
    }

    private static Check clocks(Inspection in, List<ProcessInfo> live) {
        List<String> off = new ArrayList<>();
        boolean fail = false;
        for (ProcessInfo p : live) {
            long skew = Math.abs(p.clockSkewMs());
            if (skew > 250) {
                off.add(p.describe() + " is " + p.clockSkewMs() + " ms off the Redis clock");
                fail |= skew > 1_000;
            }
        }
        if (off.isEmpty()) {
            return Check.pass("clock", "every live process is within 250 ms of the Redis clock");
        }
        String fix = "run NTP (chrony/systemd-timesyncd) on those hosts; deadlines use the Redis clock, but logs, "
                + "signature windows and the platforms' timestamps do not";
        return fail ? Check.fail("clock", String.join("; ", off), fix) : Check.warn("clock", String.join("; ", off), fix);
    }
}
