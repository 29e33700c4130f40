package io.rapidfire.core;

/**
 * The store could not be reached or refused the write (connection down, timeout, out of memory, read-only
 * replica). Nothing can be assumed stored: the webhook must answer 503 so the platform retries.
 */
public class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
