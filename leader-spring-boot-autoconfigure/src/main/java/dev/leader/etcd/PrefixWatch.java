package dev.leader.etcd;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import dev.leader.election.Backoff;
import dev.leader.election.SerialLanes;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One watch stream for the deletions under the backend's whole prefix, shared by all its
 * elections and read by one thread: a deletion is handed to the election whose key it was. An
 * election is registered for as long as it is open, so its interest always precedes its reads:
 * a deletion after any read is either seen by the read or delivered after it.
 *
 * <p>When the stream breaks (its member failed, went silent, lost its raft leader) it is opened
 * again on the next endpoint from the revision after the last one it saw, so nothing is missed.
 * A stream opened from now (the first, or after a compaction took the revision it would resume
 * from) may have missed deletions: once etcd has registered it, every election reads again.
 */
final class PrefixWatch implements AutoCloseable {

    /** Where deletions go. */
    interface Deletions {

        /** {@code key} under the prefix was deleted. */
        void deleted(String key);

        /** Deletions may have been missed: every election reads again. */
        void readAgain();
    }

    private static final Logger log = LoggerFactory.getLogger(PrefixWatch.class);

    private final EtcdHttp http;

    private final String prefix;

    private final Duration silenceLimit;

    private final Deletions deletions;

    private final Thread reader;

    private final Object pauseLock = new Object();

    private final @Nullable ScheduledFuture<?> silenceChecks;

    private volatile @Nullable DeletionWatch current;

    /** Every change up to this revision has been heard; 0 when the next stream starts from now. */
    private long heardUpTo;

    private volatile boolean registered;

    private volatile boolean closed;

    PrefixWatch(EtcdHttp http, EtcdBackendSettings settings, SerialLanes lanes, Deletions deletions) {
        this.http = http;
        this.prefix = settings.prefix();
        this.silenceLimit = settings.watchSilenceLimit();
        this.deletions = deletions;
        this.reader = new Thread(this::read, "leader-etcd-watch");
        this.reader.setDaemon(true);
        Duration check = silenceLimit.dividedBy(10);
        this.silenceChecks = lanes.everyOnTimer(check.compareTo(Duration.ofMillis(50)) < 0 ? Duration.ofMillis(50) : check, () -> {
            DeletionWatch watch = current;
            if (watch != null) {
                watch.checkSilence();
            }
        });
    }

    void start() {
        reader.start();
    }

    /** Whether etcd has registered the stream now, so that deletions reach the elections. */
    boolean isRegistered() {
        return registered;
    }

    @Override
    public void close() {
        closed = true;
        if (silenceChecks != null) {
            silenceChecks.cancel(false);
        }
        DeletionWatch watch = current;
        if (watch != null) {
            watch.close();
        }
        synchronized (pauseLock) {
            pauseLock.notifyAll();
        }
    }

    private void read() {
        Duration cap = silenceLimit.compareTo(Duration.ofSeconds(5)) < 0 ? silenceLimit : Duration.ofSeconds(5);
        Backoff backoff = new Backoff(Duration.ofMillis(100), cap.compareTo(Duration.ofMillis(100)) < 0 ? Duration.ofMillis(100) : cap);
        while (!closed) {
            try {
                follow(backoff);
            }
            catch (IOException | RuntimeException ex) {
                registered = false;
                if (closed) {
                    return;
                }
                http.failed(ex);
                log.info("etcd watch on {} broke; watching again {}: {}", prefix, heardUpTo == 0 ? "from now" : "from revision " + (heardUpTo + 1),
                        ex.toString());
                pause(backoff.next());
            }
            catch (InterruptedException ex) {
                return;
            }
        }
    }

    /** Reads one stream until it ends. */
    private void follow(Backoff backoff) throws IOException, InterruptedException {
        boolean fromNow = heardUpTo == 0;
        DeletionWatch watch = DeletionWatch.open(http, prefix, fromNow ? 0 : heardUpTo + 1, silenceLimit);
        current = watch;
        try {
            if (closed) {
                return;
            }
            while (!closed) {
                DeletionWatch.Batch batch = watch.next();
                if (batch.compacted()) {
                    log.info("etcd compacted past revision {} before the watch on {} resumed; every election reads again", heardUpTo + 1, prefix);
                    heardUpTo = 0;
                    return;
                }
                heardUpTo = Math.max(heardUpTo, batch.revision());
                if (batch.created()) {
                    registered = true;
                    backoff.reset();
                    if (fromNow) {
                        deletions.readAgain();
                    }
                }
                for (String key : batch.deletedKeys()) {
                    deletions.deleted(key);
                }
            }
        }
        finally {
            current = null;
            registered = false;
            watch.close();
        }
    }

    private void pause(Duration duration) {
        synchronized (pauseLock) {
            if (closed) {
                return;
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(pauseLock, duration.toNanos());
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
