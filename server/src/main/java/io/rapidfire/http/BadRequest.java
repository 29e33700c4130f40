package io.rapidfire.http;

/** A body or parameter we cannot accept: answered 400 with this message (which field, what is accepted). */
public class BadRequest extends Refused {
    public BadRequest(String message) {
        super(400, "bad_request", message);
    }
}
