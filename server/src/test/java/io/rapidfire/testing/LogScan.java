package io.rapidfire.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds phone numbers that reached a log unmasked. Written apart from {@code Mask.scrub} (a plain digit count,
 * not its rules), so a line that bypassed the masking, or a rule that misses a shape, is caught. Only log lines
 * are scanned (text lines start with a time and a level, JSON lines carry a "level"; stack trace lines count
 * too): a batch printed by the log sink is the bot's payload, not a log line.
 */
public final class LogScan {
    private static final Pattern TEXT_LOG = Pattern.compile("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (ERROR|WARN|INFO|DEBUG|TRACE) .*");
    private static final Pattern NUMBER = Pattern.compile("(?<![\\dA-Za-z*])\\+?(\\d{10,15})(?![\\dA-Za-z*])|(?<![\\dA-Za-z*])(\\d{8,})@");

    private LogScan() {
    }

    /** The log lines that hold an unmasked number (a 13-digit epoch-ms timestamp is not one). */
    public static List<String> unmaskedNumbers(List<String> lines) {
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            boolean log = TEXT_LOG.matcher(line).matches() || line.startsWith("{\"") && line.contains("\"level\"")
                    || line.startsWith("\tat ") || line.startsWith("Caused by:");
            if (!log) {
                continue;
            }
            Matcher m = NUMBER.matcher(line);
            while (m.find()) {
                String digits = m.group(1) != null ? m.group(1) : m.group(2);
                boolean epochMs = m.group(1) != null && !m.group().startsWith("+") && digits.length() == 13
                        && digits.compareTo("1500000000000") >= 0 && digits.compareTo("2500000000000") < 0;
                if (!epochMs) {
                    out.add(line);
                    break;
                }
            }
        }
        return out;
    }
}
