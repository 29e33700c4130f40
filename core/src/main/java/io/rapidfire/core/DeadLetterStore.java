package io.rapidfire.core;

import java.util.List;

/**
 * Batches the worker gave up on ({@link BatchQueue#deadLetter}), kept with their reason until an operator replays
 * or purges them. Specified by {@code DeadLetterContract}. Every method throws {@link StoreUnavailableException}
 * when the store cannot be reached.
 */
public interface DeadLetterStore {

    /** Dead letters, oldest first, at most {@code limit} per partition. */
    List<DeadLetter> deadLetters(int limit);

    /** One dead letter, or null. */
    DeadLetter deadLetter(String batchId);

    /**
     * Puts a dead letter's messages back in front of its conversation's open messages and releases them at once
     * (reason REPLAY). Returns the number of messages, or -1 when there is no such dead letter.
     */
    int replayDeadLetter(String batchId);

    /** Deletes one dead letter; false when there was none. */
    boolean purgeDeadLetter(String batchId);
}
