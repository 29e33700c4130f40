package io.rapidfire.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The standalone registry: only this process can be in it. */
public final class MemoryRegistry implements Registry {
    private final Map<String, ProcessInfo> processes = new ConcurrentHashMap<>();

    @Override
    public void heartbeat(ProcessInfo self, long clockOffsetMs) {
        processes.put(self.id(), self.seenAt(System.currentTimeMillis(), "in-process", clockOffsetMs));
    }

    @Override
    public List<ProcessInfo> live() {
        long now = System.currentTimeMillis();
        List<ProcessInfo> out = new ArrayList<>();
        for (ProcessInfo p : processes.values()) {
            if (Registry.isLive(p, now)) {
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
