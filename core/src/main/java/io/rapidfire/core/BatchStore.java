package io.rapidfire.core;

/**
 * A complete backend: the hot path ({@link BatchQueue}), operator actions and inspection ({@link StoreAdmin}),
 * dead letters ({@link DeadLetterStore}), conversations handed to a human ({@link Handovers}) and state shared by processes ({@link SharedState}). Code takes the
 * narrowest of these it needs (the worker a BatchQueue, the replay guard SharedState), so a test double or a
 * partial backend implements only that part. Every backend runs the contract suites, one or more per part
 * ({@code BatchQueueContract}, {@code StoreAdminContract}, {@code DeadLetterContract}, {@code SharedStateContract}).
 */
public interface BatchStore extends BatchQueue, StoreAdmin, DeadLetterStore, SharedState, Handovers {
}
