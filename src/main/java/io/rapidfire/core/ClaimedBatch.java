package io.rapidfire.core;

public record ClaimedBatch(Lease lease, Batch batch) {
}
