package io.rapidfire.ingest;

/** A webhook body we cannot accept: answered 400 with this message (which field, what is accepted). */
public class BadRequest extends RuntimeException {
    public BadRequest(String message) {
        super(message);
    }
}
