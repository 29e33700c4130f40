package io.rapidfire.testing;

import io.rapidfire.core.BatchStore;
import io.rapidfire.core.StoreUnavailableException;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real store behind a fault injector: the {@code failingAppend}-th append (1-based) throws
 * StoreUnavailableException, as a connection lost at that moment would, until {@link #heal()}. Everything else
 * goes to the real store.
 */
public final class FaultyStore {
    public final BatchStore store;
    private final AtomicBoolean failing = new AtomicBoolean(true);
    private final AtomicInteger appends = new AtomicInteger();

    public FaultyStore(BatchStore real, int failingAppend) {
        this.store = (BatchStore) Proxy.newProxyInstance(BatchStore.class.getClassLoader(),
                new Class<?>[]{BatchStore.class}, (proxy, method, args) -> {
                    // Both ways to append count: the webhooks on the event loop use appendAsync.
                    boolean async = method.getName().equals("appendAsync");
                    if ((async || method.getName().equals("append")) && failing.get()
                            && appends.incrementAndGet() == failingAppend) {
                        var fault = new StoreUnavailableException("injected: connection lost at append " + failingAppend, null);
                        if (async) {
                            return java.util.concurrent.CompletableFuture.failedFuture(fault);
                        }
                        throw fault;
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    public void heal() {
        failing.set(false);
    }
}
