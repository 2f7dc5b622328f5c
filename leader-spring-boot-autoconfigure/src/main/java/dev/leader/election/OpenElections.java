package dev.leader.election;

import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The elections a backend has made and not yet closed; what every backend's
 * {@link ElectionBackend#election(String, String)} and {@link ElectionBackend#close()} share.
 *
 * @param <E> the backend's election type
 */
public final class OpenElections<E extends Election> implements Iterable<E> {

    private final ConcurrentMap<String, E> open = new ConcurrentHashMap<>();

    private volatile boolean closed;

    /**
     * Makes and tracks a new election. A backend holds at most one open election per name: two
     * candidates of one election behind one connection would share its session, lease or
     * candidate key and could take the lease from each other.
     *
     * @throws IllegalStateException once {@link #closeAll()} has run, or while an election of
     * that name is open
     * @throws IllegalArgumentException for a name {@link ElectionNames} refuses
     */
    public synchronized E open(String name, Supplier<E> factory) {
        if (closed) {
            throw new IllegalStateException("backend closed");
        }
        ElectionNames.requireValid(name);
        E existing = open.get(name);
        if (existing != null && existing.state() != ElectionState.CLOSED) {
            throw new IllegalStateException("election '" + name + "' is already open on this backend (candidate "
                    + existing.candidateId() + "); close it before opening it again");
        }
        E election = factory.get();
        open.put(name, election);
        return election;
    }

    /** The open election of that name, if any: a backend that routes by name finds it at once. */
    public @Nullable E get(String name) {
        return open.get(name);
    }

    /** Forgets an election that closed itself. */
    public void remove(E election) {
        open.remove(election.name(), election);
    }

    public boolean isClosed() {
        return closed;
    }

    /** Refuses new elections from now on and closes every open one (releasing leadership). */
    public void closeAll() {
        List<E> opened;
        synchronized (this) {
            closed = true;
            opened = List.copyOf(open.values());
            open.clear();
        }
        opened.forEach(Election::close);
    }

    @Override
    public Iterator<E> iterator() {
        return open.values().iterator();
    }
}
