package dev.leader.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import dev.leader.election.Backoff;
import dev.leader.election.DaemonThreads;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one connection per backend that {@code LISTEN}s on the lease table's channel, shared by
 * all of the backend's elections, and its thread. It blocks in
 * {@link PGConnection#getNotifications(int)}, which reads the socket and sends nothing: followers
 * cost the database no query at rest. After the connection broke it listens anew (with backoff)
 * and wakes every follower once, since a release may have been missed meanwhile.
 */
final class PostgresListener implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PostgresListener.class);

    private final HeldConnection connection;

    private final String channel;

    private final Map<String, LeaseSubscriber> subscribers = new ConcurrentHashMap<>();

    private final Thread thread;

    private final Backoff backoff;

    private volatile boolean closed;

    PostgresListener(DataSource dataSource, String channel, Duration lease) {
        this.channel = channel;
        this.connection = new HeldConnection(dataSource, "listen", new HeldConnection.Session() {
            @Override
            public void prepare(Connection c) throws SQLException {
                LeaseStatements.execute(c, "SET application_name = 'leader-election-listen'");
                LeaseStatements.execute(c, "LISTEN \"" + channel + "\"");
            }

            @Override
            public void reset(Connection c) throws SQLException {
                LeaseStatements.execute(c, "UNLISTEN *");
                LeaseStatements.execute(c, "RESET application_name");
            }
        }, 0);
        Duration cap = lease.compareTo(Duration.ofSeconds(5)) < 0 ? lease : Duration.ofSeconds(5);
        this.backoff = new Backoff(Duration.ofMillis(50).compareTo(cap) < 0 ? Duration.ofMillis(50) : cap, cap);
        this.thread = DaemonThreads.single("leader-jdbc-listen-" + channel).newThread(this::listen);
        this.thread.start();
    }

    void subscribe(String election, LeaseSubscriber subscriber) {
        subscribers.put(election, subscriber);
    }

    void unsubscribe(String election, LeaseSubscriber subscriber) {
        subscribers.remove(election, subscriber);
    }

    private void listen() {
        while (!closed) {
            try {
                connection.run(c -> {
                    // LISTEN ran when the connection opened; from here on nothing is missed.
                    backoff.reset();
                    subscribers.values().forEach(LeaseSubscriber::resync);
                    PGConnection pg = c.unwrap(PGConnection.class);
                    while (!closed) {
                        PGNotification[] notifications = pg.getNotifications(0);
                        long receivedNanos = System.nanoTime();
                        if (notifications != null) {
                            for (PGNotification notification : notifications) {
                                dispatch(notification.getParameter(), receivedNanos);
                            }
                        }
                    }
                });
            }
            catch (SQLException | RuntimeException ex) {
                if (closed) {
                    return;
                }
                Duration pause = backoff.next();
                log.warn("listening on channel {} failed, again in {} ms; followers wake when the lease they last heard of ends: {}",
                        channel, pause.toMillis(), ex.toString());
                sleep(pause);
            }
        }
    }

    private void dispatch(String payload, long receivedNanos) {
        LeaseNotification notification = LeaseNotification.parse(payload);
        if (notification == null) {
            log.debug("ignoring notification '{}' on channel {}", payload, channel);
            return;
        }
        LeaseSubscriber subscriber = subscribers.get(notification.election());
        if (subscriber == null) {
            return;
        }
        String holder = notification.holder();
        if (notification.released() || holder == null) {
            subscriber.released();
        }
        else {
            subscriber.held(holder, notification.version(), notification.leaseMillis(), receivedNanos);
        }
    }

    private void sleep(Duration pause) {
        try {
            synchronized (this) {
                if (!closed) {
                    TimeUnit.NANOSECONDS.timedWait(this, pause.toNanos());
                }
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        synchronized (this) {
            notifyAll();
        }
        connection.abort();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        connection.close();
    }
}
