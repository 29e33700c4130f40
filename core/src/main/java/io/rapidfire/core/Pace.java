package io.rapidfire.core;

/**
 * What the release rules know of a conversation's rhythm beyond its open messages: its presence signals and
 * its learned gaps. The Java half of the pace functions of {@code lua/includes/rules.lua} (hash fields ol yp yc ys
 * gm gd); {@code release-rules.json} runs both. It outlives batches: the gaps and the knowledge that the channel
 * sends presence carry over to the next burst, and are forgotten with the idle conversation.
 *
 * <p>The person is composing when the latest composing came after both the latest message and the latest stop;
 * otherwise they stopped at the later of the two. So a message costs no write beyond its own time: sending it is
 * what ends composing.
 *
 * <p>The learned gap follows RFC 6298's smoothed round-trip time: first sample R gives mean R and deviation R/2,
 * then deviation = (3 deviation + |mean - R|) / 4 and mean = (7 mean + R) / 8; the window is mean + 4 deviation.
 * Only gaps up to the configured quiet period are samples: a longer one ended the burst.
 */
public final class Pace {
    /** The channel has sent a presence event for this conversation. */
    boolean presence;
    /** Store time of the latest message, 0 for none yet (a new conversation). */
    long lastMessageMs;
    /** Latest composing (or recording), 0 for none. */
    long composingAtMs;
    /** Latest stop announced while composing (paused, available, unavailable), 0 for none. */
    long stoppedAtMs;
    /** Smoothed gap and its deviation; mean 0 = no sample yet. */
    long gapMeanMs;
    long gapDevMs;

    public Pace() {
    }

    /** A pace as a store kept it (the Redis hash fields yp ol yc ys gm gd). */
    public static Pace of(boolean presence, long lastMessageMs, long composingAtMs, long stoppedAtMs, long gapMeanMs,
                          long gapDevMs) {
        Pace p = new Pace();
        p.presence = presence;
        p.lastMessageMs = lastMessageMs;
        p.composingAtMs = composingAtMs;
        p.stoppedAtMs = stoppedAtMs;
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
        if (composingAtMs >= now) {
            // A composing in the same millisecond came before this message: the later event wins.
            composingAtMs = now - 1;
        }
    }

    /**
     * A presence event at {@code now}: {@code typing} for composing or recording, else stopped. The pause before
     * typing again is a sample; a stop while not composing changes nothing.
     */
    public void onPresence(boolean typing, long now, Policy p) {
        if (typing) {
            if (p.adaptive() && !composing() && now - stopAtMs() <= p.quietMs()) {
                sample(now - stopAtMs());
            }
            // In the same millisecond as a message or a stop, this later event wins.
            composingAtMs = Math.max(now, stopAtMs() + 1);
        } else if (composing()) {
            stoppedAtMs = now;
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

    private long stopAtMs() {
        return Math.max(lastMessageMs, stoppedAtMs);
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

    /** The latest composing came after the latest message and the latest stop. */
    public boolean composing() {
        return composingAtMs > stopAtMs();
    }

    /** When composing was last announced, or when the person stopped. */
    public long presenceAtMs() {
        return composing() ? composingAtMs : stopAtMs();
    }

    @Override
    public String toString() {
        return "Pace[presence=" + presence + ", composing=" + composing() + ", at=" + presenceAtMs() + ", gap="
                + gapMeanMs + "±" + gapDevMs + "]";
    }
}
