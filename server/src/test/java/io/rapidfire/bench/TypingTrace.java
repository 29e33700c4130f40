package io.rapidfire.bench;



import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A generated trace of people typing to a bot on a phone: bursts of messages with the presence events a WhatsApp
 * client sends while typing. Every parameter is here with where it comes from; docs/release-rules.md lists them
 * for readers. Times are the person's (real) milliseconds; the replay compresses them for all policies alike.
 *
 * <p>Sources: typing speed from Palin et al., "How do People Type on Mobile Devices? Observations from a Study
 * with 37,000 Volunteers" (MobileHCI 2019): 36.2 words per minute on average, standard deviation 13.2 (a word is
 * 5 characters). Presence behaviour from the bridges' documentation: a client sends composing when typing starts
 * and repeats it while typing (WhatsApp drops a typing indicator 5-10 s after the last one), and paused when the
 * message is sent or typing stops for a while. The rest (message lengths, burst sizes, pauses, who waits for the
 * answer) are stated assumptions, chosen once from everyday chat behaviour before any policy was run, and not
 * tuned to them: the replay prints the trace's own statistics beside its results so a reader can judge them.
 */
record TypingTrace(Params params, List<Person> people) {

    /** The generator's knobs, with their defaults and sources. */
    record Params(long seed, int people, int burstsPerPerson,
                  // Palin et al. 2019 (above): mean 36.2 WPM, SD 13.2; clipped to a plausible range.
                  double wpmMean, double wpmSd, double wpmMin, double wpmMax,
                  // Assumption: chat lines are mostly short with a long tail: log-normal, median 20 characters,
                  // sigma 0.9 (90% under about 63, 1 in 100 over about 160), at most 400.
                  double lengthMedianChars, double lengthSigma, int lengthMax,
                  // Assumption: a burst has 1-8 messages, geometric with "one more" probability 0.5 (mean ~2).
                  double burstContinue, int burstMax,
                  // Assumption: the pause between sending one message of a burst and typing the next,
                  // log-normal, median 1.5 s, sigma 0.8 (p90 about 4 s).
                  double thinkMedianMs, double thinkSigma,
                  // Assumption: 20% of messages have a pause in the middle of typing, log-normal median 2 s,
                  // sigma 0.7; the client sends paused once idle for 3 s and composing again when typing resumes.
                  double midPauseShare, double midPauseMedianMs, double midPauseSigma, long idlePausedMs,
                  // Bridge behaviour (above): composing repeated every 5 s of typing; paused right after a send.
                  long composingRefreshMs,
                  // Assumption: 70% of people wait for the bot's answer before their next burst and read it for a
                  // log-normal time, median 6 s; the others write again after a log-normal pause, median 15 s.
                  double waitForAnswerShare, double readMedianMs, double readSigma, double nextBurstMedianMs,
                  double nextBurstSigma,
                  // Assumption: each event reaches the webhook 30-250 ms after it happened (bridge and network),
                  // independently, so a presence event can overtake a message.
                  long jitterMinMs, long jitterMaxMs,
                  // People start over this span.
                  long startSpreadMs) {

        static Params defaults(long seed, int people, int burstsPerPerson) {
            return new Params(seed, people, burstsPerPerson, 36.2, 13.2, 10, 90, 20, 0.9, 400, 0.5, 8, 1_500, 0.8,
                    0.2, 2_000, 0.7, 3_000, 5_000, 0.7, 6_000, 0.6, 15_000, 0.7, 30, 250, 30_000);
        }
    }

    /**
     * One presence event or message, {@code atMs} after the start of its message's typing; it reaches the webhook
     * {@code delayMs} later.
     */
    record Event(long atMs, Kind kind, long delayMs) {
    }

    enum Kind { COMPOSING, PAUSED, MESSAGE }

    /** A message: the pause before typing it, and its events from the first composing to the paused after. */
    record Msg(int chars, long thinkMs, List<Event> events) {
        long sentAtMs() {
            return events.stream().filter(e -> e.kind() == Kind.MESSAGE).findFirst().orElseThrow().atMs();
        }
    }

    record Burst(List<Msg> messages, boolean waitsForAnswer, long pauseBeforeMs) {
    }

    record Person(int id, double wpm, long startMs, List<Burst> bursts) {
    }

    static TypingTrace generate(Params p) {
        Random r = new Random(p.seed());
        List<Person> people = new ArrayList<>();
        for (int i = 0; i < p.people(); i++) {
            double wpm = Math.max(p.wpmMin(), Math.min(p.wpmMax(), p.wpmMean() + p.wpmSd() * r.nextGaussian()));
            double charsPerMs = wpm * 5 / 60_000.0;
            boolean waits = r.nextDouble() < p.waitForAnswerShare();
            List<Burst> bursts = new ArrayList<>();
            for (int b = 0; b < p.burstsPerPerson(); b++) {
                int n = 1;
                while (n < p.burstMax() && r.nextDouble() < p.burstContinue()) {
                    n++;
                }
                List<Msg> msgs = new ArrayList<>();
                for (int m = 0; m < n; m++) {
                    int chars = (int) Math.max(1, Math.min(p.lengthMax(),
                            Math.round(logNormal(r, p.lengthMedianChars(), p.lengthSigma()))));
                    long think = m == 0 ? 0 : Math.round(logNormal(r, p.thinkMedianMs(), p.thinkSigma()));
                    msgs.add(new Msg(chars, think, typing(r, p, chars / charsPerMs)));
                }
                long pauseBefore = waits ? Math.round(logNormal(r, p.readMedianMs(), p.readSigma()))
                        : Math.round(logNormal(r, p.nextBurstMedianMs(), p.nextBurstSigma()));
                bursts.add(new Burst(List.copyOf(msgs), waits, pauseBefore));
            }
            people.add(new Person(i, wpm, (long) (r.nextDouble() * p.startSpreadMs()), List.copyOf(bursts)));
        }
        return new TypingTrace(p, List.copyOf(people));
    }

    /** The events of typing one message: composing (refreshed), an optional idle pause, the send, paused. */
    private static List<Event> typing(Random r, Params p, double typingMs) {
        List<Event> ev = new ArrayList<>();
        long pauseAt = -1;
        long pause = 0;
        if (r.nextDouble() < p.midPauseShare()) {
            pauseAt = (long) (typingMs * (0.2 + 0.6 * r.nextDouble()));
            pause = Math.round(logNormal(r, p.midPauseMedianMs(), p.midPauseSigma()));
        }
        emit(ev, r, p, 0, Kind.COMPOSING);
        long typed = 0;
        long clock = 0;
        long sinceRefresh = 0;
        while (typed < typingMs) {
            long step = Math.min(100, (long) Math.ceil(typingMs - typed));
            if (pauseAt >= 0 && typed <= pauseAt && typed + step > pauseAt) {
                if (pause > p.idlePausedMs()) {
                    emit(ev, r, p, clock + p.idlePausedMs(), Kind.PAUSED);
                    clock += pause;
                    emit(ev, r, p, clock, Kind.COMPOSING);
                    sinceRefresh = 0;
                } else {
                    clock += pause;
                }
            }
            typed += step;
            clock += step;
            sinceRefresh += step;
            if (sinceRefresh >= p.composingRefreshMs() && typed < typingMs) {
                emit(ev, r, p, clock, Kind.COMPOSING);
                sinceRefresh = 0;
            }
        }
        emit(ev, r, p, clock, Kind.MESSAGE);
        emit(ev, r, p, clock + 1, Kind.PAUSED);
        return List.copyOf(ev);
    }

    /** An event with its own delay on the way to the webhook. */
    private static void emit(List<Event> ev, Random r, Params p, long atMs, Kind kind) {
        ev.add(new Event(atMs, kind, p.jitterMinMs() + (long) (r.nextDouble() * (p.jitterMaxMs() - p.jitterMinMs()))));
    }

    private static double logNormal(Random r, double median, double sigma) {
        return median * Math.exp(sigma * r.nextGaussian());
    }

    /** The trace's own figures, printed beside the results. */
    String describe() {
        List<Double> chars = new ArrayList<>();
        List<Double> typing = new ArrayList<>();
        List<Double> sizes = new ArrayList<>();
        List<Double> gaps = new ArrayList<>();
        int bursts = 0;
        int waiting = 0;
        for (Person person : people) {
            for (Burst b : person.bursts()) {
                bursts++;
                waiting += b.waitsForAnswer() ? 1 : 0;
                sizes.add((double) b.messages().size());
                for (int i = 0; i < b.messages().size(); i++) {
                    Msg m = b.messages().get(i);
                    chars.add((double) m.chars());
                    typing.add((double) m.sentAtMs());
                    if (i > 0) {
                        gaps.add((double) (m.thinkMs() + m.sentAtMs()));
                    }
                }
            }
        }
        double[] c = Stats.sorted(chars);
        double[] t = Stats.sorted(typing);
        double[] g = Stats.sorted(gaps);
        return String.format(java.util.Locale.ROOT, "trace: seed %d, %d people, %d bursts (%.0f%% wait for the answer), "
                        + "%d messages; burst size mean %.2f; message length p50 %.0f / p90 %.0f / max %.0f chars; "
                        + "typing time p50 %.1f / p90 %.1f s; gap between messages of a burst p50 %.1f / p90 %.1f / "
                        + "p99 %.1f s", params.seed(), people.size(), bursts, 100.0 * waiting / bursts, c.length,
                sizes.stream().mapToDouble(Double::doubleValue).average().orElse(0), Stats.pct(c, 50), Stats.pct(c, 90),
                c[c.length - 1], Stats.pct(t, 50) / 1000, Stats.pct(t, 90) / 1000, Stats.pct(g, 50) / 1000,
                Stats.pct(g, 90) / 1000, Stats.pct(g, 99) / 1000);
    }
}
