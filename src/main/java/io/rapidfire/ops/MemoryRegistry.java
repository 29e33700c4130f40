package io.rapidfire.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The standalone registry: only this process can be in it. */
public final class MemoryRegistry implements Registry {
    private final Map<String, ProcessInfo> processes = new ConcurrentHashMap<>();

    @Override
    public void heartbeat(ProcessInfo self) {
        processes.put(self.id(), new ProcessInfo(self.id(), self.role(), self.pid(), self.host(), self.version(),
                self.startedAtMs(), System.currentTimeMillis(), self.inFlight()));
    }

    @Override
    public List<ProcessInfo> live(long maxAgeMs) {
        long now = System.currentTimeMillis();
        List<ProcessInfo> out = new ArrayList<>();
        for (ProcessInfo p : processes.values()) {
            if (now - p.lastSeenMs() <= maxAgeMs) {
                out.add(p);
            }
        }
        return out;
    }

    @Override
    public void remove(String id) {
        processes.remove(id);
    }

    @Override
    public void close() {
    }
}
