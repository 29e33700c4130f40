package io.rapidfire.worker;

import io.rapidfire.delivery.DeliveryOutcome;

/**
 * What happens to a batch after a delivery attempt: the retry lifecycle in one place, with no clock and no store.
 *
 * <ul>
 *   <li>every message deleted by the person before the release → acknowledged, not delivered;</li>
 *   <li>attempt number above {@code maxAttempts} before delivering (its earlier leases expired: a worker died
 *       or hung on it, so it may crash workers) → dead letter, not delivered again;</li>
 *   <li>ACK → acknowledge; ACK_LATER → await the bot's commit (still supersedable, finished by the commit or
 *       the commit timeout); REJECT → dead letter at once;</li>
 *   <li>superseded (the person wrote again, the policy supersedes) → nothing: not a failure, no retry, no dead
 *       letter; the messages come again in the batch that superseded it (decided by the worker, not here);</li>
 *   <li>RETRY while the worker stops → release it at once for another worker (no backoff);</li>
 *   <li>RETRY on the last attempt → dead letter; otherwise retry after {@link Backoff} (Retry-After honoured).</li>
 * </ul>
 */
public record RetryDecision(Action action, long delayMs, String reason) {
    public enum Action { ACK, AWAIT_COMMIT, RETRY, RELEASE, DEAD_LETTER }

    /**
     * Before delivering: a batch whose attempts ran out through expired leases is not delivered again; a batch
     * whose every message the person deleted is acknowledged without a delivery (nothing for the bot to answer).
     */
    public static RetryDecision beforeDelivery(io.rapidfire.core.Batch b, int maxAttempts) {
        if (b.allDeleted()) {
            return new RetryDecision(Action.ACK, 0, "the person deleted every message of the batch: nothing to deliver");
        }
        int attempt = b.attempt();
        if (attempt > maxAttempts) {
            return new RetryDecision(Action.DEAD_LETTER, 0, "gave up after " + maxAttempts
                    + " attempts (the last leases expired: a worker died or hung while delivering it)");
        }
        return null;
    }

    public static RetryDecision after(DeliveryOutcome o, int attempt, int maxAttempts, boolean stopping,
                                      Backoff backoff) {
        return switch (o.kind()) {
            case ACK -> new RetryDecision(Action.ACK, 0, o.detail());
            case ACK_LATER -> new RetryDecision(Action.AWAIT_COMMIT, 0, o.detail());
            case REJECT -> new RetryDecision(Action.DEAD_LETTER, 0, "refused: " + o.detail());
            case RETRY -> {
                if (stopping) {
                    yield new RetryDecision(Action.RELEASE, 0, "released at shutdown: " + o.detail());
                }
                if (attempt >= maxAttempts) {
                    yield new RetryDecision(Action.DEAD_LETTER, 0, "failed " + attempt + " attempts; last: " + o.detail());
                }
                yield new RetryDecision(Action.RETRY, backoff.delayMs(attempt, o.retryAfterMs()), o.detail());
            }
        };
    }
}
