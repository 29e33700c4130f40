package io.rapidfire.ops;

import java.net.InetAddress;

/** This machine's name as processes report it (registry, connection names, the doctor). */
public final class Host {
    private static final String NAME = lookup();

    private Host() {
    }

    public static String name() {
        return NAME;
    }

    private static String lookup() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "unknown-host";
        }
    }
}
