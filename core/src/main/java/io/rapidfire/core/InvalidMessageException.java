package io.rapidfire.core;

/** The message itself is unacceptable (names the field and the limit); nothing was stored. */
public class InvalidMessageException extends IllegalArgumentException {
    public InvalidMessageException(String message) {
        super(message);
    }
}
