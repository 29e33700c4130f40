package io.rapidfire.core;

/**
 * A number the engine reads, with its default and the range it accepts. The name is the setting's name
 * (environment variable, config file key); the CLI's setting list and the builders both take the default and
 * the range from here, so a default or a limit is written once.
 */
public record Tunable(String name, long defaultValue, long min, long max) {
    public Tunable {
        if (defaultValue < min || defaultValue > max) {
            throw new IllegalArgumentException(name + ": default " + defaultValue + " outside " + min + ".." + max);
        }
    }

    /** Returns {@code value} if it is in range, else throws naming the field, the setting and the range. */
    public long check(String field, long value) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + " is " + value + "; it must be a whole number from " + min
                    + " to " + max + " (setting " + name + ", default " + defaultValue + ")");
        }
        return value;
    }

    public int checkInt(String field, long value) {
        return (int) check(field, value);
    }

    public int defaultInt() {
        return (int) defaultValue;
    }
}
