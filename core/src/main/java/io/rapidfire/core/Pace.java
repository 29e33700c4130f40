package io.rapidfire.core;

/**
 * What the release rules know of a conversation's rhythm beyond its open messages: its presence signals and
 * its learned gaps. The Java half of the pace functions of {@code lua/includes/rules.lua} (fields yp yk yt lm gm
 * gd); {@code release-rules.json} runs both. It outlives batches: the gaps and the knowledge that the channel
 * sends presence carry over to the next burst, and are forgotten with the idle conversation.
 *
 * <p>The learned gap follows RFC 6298's smoothed round-trip time: first sample R gives mean R and deviation R/2,
 * then deviation = (3 deviation + |mean - R|) / 4 and mean = (7 mean + R) / 8; the window is mean + 4 deviation.
 * Only gaps up to the configured quiet period are samples: a longer one ended the burst.
 */
public final class Pace {
    /** The channel has sent a presence event for this conversation. */
    boolean presence;
    /** The latest presence said composing (or recording) and no message came since. */
    boolean composing;
    /** When composing was last announced, or when the person stopped (paused, or a message was sent). */
    long presenceAtMs;
    /** Store time of the latest message, 0 for none yet (a new conversation). */
    long lastMessageMs;
    /** Smoothed gap and its deviation; mean 0 = no sample yet. */
    long gapMeanMs;
    long gapDevMs;

    public Pace() {
    }

    /** A pace as a store kept it (the Redis hash fields yp yk yt lm gm gd). */
    public static Pace of(boolean presence, boolean composing, long presenceAtMs, long lastMessageMs, long gapMeanMs,
                          long gapDevMs) {
        Pace p = new Pace();
        p.presence = presence;
        p.composing = composing;
        p.presenceAtMs = presenceAtMs;
        p.lastMessageMs = lastMessageMs;
        p.gapMeanMs = gapMeanMs;
        p.gapDevMs = gapDevMs;
        return p;
    }

    /** A message was stored at {@code now}: it ends composing; without presence its gap is a sample. */
    public void onMessage(long now, Policy p) {
        if (p.adaptive() && !presence && lastMessageMs > 0 && now - lastMessageMs <= p.quietMs()) {
            sample(now - lastMessageMs);
        }
        lastMessageMs = now;
        composing = false;
        presenceAtMs = now;
    }

    /**
     * A presence event at {@code now}: {@code typing} for composing or recording, else stopped. The pause before
     * typing again is a sample; a repeated "stopped" does not move the stop time.
     */
    public void onPresence(boolean typing, long now, Policy p) {
        if (typing) {
            if (p.adaptive() && !composing && presenceAtMs > 0 && now - presenceAtMs <= p.quietMs()) {
                sample(now - presenceAtMs);
            }
            composing = true;
            presenceAtMs = now;
        } else if (composing) {
            composing = false;
            presenceAtMs = now;
        }
        presence = true;
    }

    private void sample(long gap) {
        long r = Math.max(1, gap);
        if (gapMeanMs == 0) {
            gapMeanMs = r;
            gapDevMs = r / 2;
        } else {
            gapDevMs = (3 * gapDevMs + Math.abs(gapMeanMs - r)) / 4;
            gapMeanMs = (7 * gapMeanMs + r) / 8;
        }
    }

    /** The learned window (mean + 4 deviations), or -1 before the first sample. */
    public long windowMs() {
        return gapMeanMs == 0 ? -1 : gapMeanMs + 4 * gapDevMs;
    }

    public boolean isNew() {
        return lastMessageMs == 0;
    }

    public boolean presence() {
        return presence;
    }

    public boolean composing() {
        return composing;
    }

    public long presenceAtMs() {
        return presenceAtMs;
    }

    @Override
    public String toString() {
        return "Pace[presence=" + presence + ", composing=" + composing + ", at=" + presenceAtMs + ", gap="
                + gapMeanMs + "±" + gapDevMs + "]";
    }
}
