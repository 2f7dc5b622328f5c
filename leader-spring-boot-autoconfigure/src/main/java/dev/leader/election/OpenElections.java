package dev.leader.election;

import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The elections a backend has made and not yet closed; what every backend's
 * {@link ElectionBackend#election(String, String)} and {@link ElectionBackend#close()} share.
 *
 * @param <E> the backend's election type
 */
public final class OpenElections<E extends Election> implements Iterable<E> {

    private final Set<E> open = ConcurrentHashMap.newKeySet();

    private volatile boolean closed;

    /**
     * Makes and tracks a new election.
     *
     * @throws IllegalStateException once {@link #closeAll()} has run
     * @throws IllegalArgumentException for a name {@link ElectionNames} refuses
     */
    public E open(String name, Supplier<E> factory) {
        if (closed) {
            throw new IllegalStateException("backend closed");
        }
        ElectionNames.requireValid(name);
        E election = factory.get();
        open.add(election);
        return election;
    }

    /** Forgets an election that closed itself. */
    public void remove(E election) {
        open.remove(election);
    }

    public boolean isClosed() {
        return closed;
    }

    /** Refuses new elections from now on and closes every open one (releasing leadership). */
    public void closeAll() {
        closed = true;
        for (E election : open) {
            election.close();
        }
        open.clear();
    }

    @Override
    public Iterator<E> iterator() {
        return open.iterator();
    }
}
