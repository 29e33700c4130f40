package io.rapidfire.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * IP addresses as settings list them ({@code loopback}, an address, or a CIDR block such as {@code 10.0.0.0/8}),
 * and as requests carry them (the socket's peer, an X-Forwarded-For or Forwarded element). Only IP literals are
 * parsed, never looked up in DNS: anything else matches nothing ("127.evil.example" is not loopback).
 */
public final class Addresses {
    private static final Pattern V4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern V6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}(%[0-9A-Za-z]{1,16})?");

    private Addresses() {
    }

    /** The address of an IP literal: "1.2.3.4", "::1", "[::1]", "1.2.3.4:5678", "[::1]:80"; null for anything else. */
    public static InetAddress literal(String s) {
        if (s == null) {
            return null;
        }
        String v = s.trim();
        if (v.startsWith("[")) {
            int end = v.indexOf(']');
            v = end < 0 ? "" : v.substring(1, end);
        } else if (v.indexOf(':') > 0 && v.indexOf(':') == v.lastIndexOf(':') && v.contains(".")) {
            v = v.substring(0, v.indexOf(':')); // IPv4 with a port
        }
        if (!(V4.matcher(v).matches() || (v.contains(":") && V6.matcher(v).matches()))) {
            return null;
        }
        if (!v.contains(":")) {
            for (String octet : v.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    return null; // else getByName would take it for a host name and look it up
                }
            }
        }
        try {
            return InetAddress.getByName(v); // a literal: no DNS lookup
        } catch (UnknownHostException e) {
            return null;
        }
    }

    public static boolean isLoopback(String ip) {
        InetAddress a = literal(ip);
        return a != null && a.isLoopbackAddress();
    }

    /** Whether {@code ip} is in a list of "loopback", addresses and CIDR blocks. */
    public static boolean listed(String ip, List<String> list) {
        InetAddress a = literal(ip);
        if (a == null) {
            return false;
        }
        for (String entry : list) {
            if (entry.equals("loopback") ? a.isLoopbackAddress() : matches(a, entry)) {
                return true;
            }
        }
        return false;
    }

    /** Null when every entry is "loopback", an IP address or a CIDR block; else what is wrong with the first bad one. */
    public static String problem(List<String> list) {
        for (String entry : list) {
            if (!entry.equals("loopback") && !valid(entry)) {
                return "'" + (entry.length() > 60 ? entry.substring(0, 60) + "…" : entry) + "' is not loopback, an IP address or a CIDR block (10.0.0.0/8)";
            }
        }
        return null;
    }

    private static boolean valid(String entry) {
        int slash = entry.indexOf('/');
        InetAddress base = literal(slash < 0 ? entry : entry.substring(0, slash));
        if (base == null || slash < 0) {
            return base != null;
        }
        try {
            int bits = Integer.parseInt(entry.substring(slash + 1));
            return bits >= 0 && bits <= base.getAddress().length * 8;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean matches(InetAddress a, String entry) {
        int slash = entry.indexOf('/');
        InetAddress base = literal(slash < 0 ? entry : entry.substring(0, slash));
        if (base == null || base.getAddress().length != a.getAddress().length) {
            return false;
        }
        int bits;
        try {
            bits = slash < 0 ? base.getAddress().length * 8 : Integer.parseInt(entry.substring(slash + 1));
        } catch (NumberFormatException e) {
            return false;
        }
        byte[] x = a.getAddress();
        byte[] y = base.getAddress();
        for (int i = 0; i < x.length && bits > 0; i++, bits -= 8) {
            int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
            if ((x[i] & mask) != (y[i] & mask)) {
                return false;
            }
        }
        return true;
    }
}
