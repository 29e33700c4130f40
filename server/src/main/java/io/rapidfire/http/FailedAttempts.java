package io.rapidfire.http;

/**
 * Wrong tokens per address (the admin token, Telegram's secret token: fixed strings that could be guessed, unlike
 * an HMAC over each body): {@value #BURST} at once, then one a minute. Beyond that the address gets 429 before its
 * token is even compared, so a token cannot be guessed at the speed of the network. Bounded like every limiter.
 */
public final class FailedAttempts {
    public static final int BURST = 10;

    private final RateLimiter failures = new RateLimiter(BURST, 1.0 / 60);
    private final String reason;
    private final String what;

    /** @param reason the 429's reason and metric label; @param what "admin attempts", for the message */
    public FailedAttempts(String reason, String what) {
        this.reason = reason;
        this.what = what;
    }

    /** 429 (Throttled) when this address has used up its failures. */
    public void checkAllowed(String ip) {
        long wait = failures.waitSeconds(ip);
        if (wait > 0) {
            throw Refused.throttled(reason, wait, "too many failed " + what + " from " + ip);
        }
    }

    public void failed(String ip) {
        failures.take(ip, 1);
    }
}
