package io.rapidfire.testing;

import io.rapidfire.core.BatchStore;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real store whose asynchronous appends are held until {@link #release}: a Redis that takes its time, without
 * pausing a Redis. The appends are made on the real store once released, in the order asked.
 */
public final class HeldAppends {
    public final BatchStore store;
    private final CompletableFuture<Void> gate = new CompletableFuture<>();
    private final AtomicInteger asked = new AtomicInteger();

    public HeldAppends(BatchStore real) {
        this.store = (BatchStore) Proxy.newProxyInstance(BatchStore.class.getClassLoader(),
                new Class<?>[]{BatchStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("appendAsync")) {
                        asked.incrementAndGet();
                        return gate.thenCompose(x -> {
                            try {
                                return (CompletableFuture<?>) method.invoke(real, args);
                            } catch (IllegalAccessException | InvocationTargetException e) {
                                return CompletableFuture.failedFuture(e.getCause() != null ? e.getCause() : e);
                            }
                        });
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** Appends asked so far (held or not). */
    public int asked() {
        return asked.get();
    }

    public void release() {
        gate.complete(null);
    }
}
