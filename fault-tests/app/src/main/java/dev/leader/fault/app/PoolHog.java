package dev.leader.fault.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The pool-exhaustion fault, from inside: when the suite writes a number of seconds into
 * {@code fault.pool-hog-file}, this app's own threads take every connection of its own pool
 * (Boot's DataSource) and hold them that long, while another thread keeps asking for one and
 * timing out. The election must not notice: the jdbc backend opens its own connections. Writes
 * {@code done} into the file when the connections are back. Idle when the app has no DataSource.
 */
@Component
class PoolHog implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(PoolHog.class);

    private final ObjectProvider<DataSource> dataSource;

    private final String file;

    private volatile boolean running = true;

    PoolHog(ObjectProvider<DataSource> dataSource, @Value("${fault.pool-hog-file:}") String file) {
        this.dataSource = dataSource;
        this.file = file;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        DataSource pool = dataSource.getIfAvailable();
        if (pool == null || file.isEmpty()) {
            return;
        }
        Thread thread = new Thread(() -> watch(pool, Path.of(file)), "pool-hog");
        thread.setDaemon(true);
        thread.start();
    }

    private void watch(DataSource pool, Path trigger) {
        while (running) {
            try {
                String order = Files.isRegularFile(trigger) ? Files.readString(trigger).strip() : "";
                if (order.matches("\\d+")) {
                    hog(pool, Duration.ofSeconds(Long.parseLong(order)));
                    Files.writeString(trigger, "done\n");
                }
                Thread.sleep(200);
            }
            catch (InterruptedException ex) {
                return;
            }
            catch (IOException | RuntimeException ex) {
                log.warn("pool hog: {}", ex.toString());
            }
        }
    }

    private void hog(DataSource pool, Duration hold) throws InterruptedException {
        List<Connection> taken = new ArrayList<>();
        try {
            // Until the pool says no (its connection timeout): then every connection is ours.
            while (true) {
                taken.add(pool.getConnection());
            }
        }
        catch (SQLException exhausted) {
            log.info("pool hog: holding all {} connections of the application's pool for {}", taken.size(), hold);
        }
        long end = System.nanoTime() + hold.toNanos();
        int refused = 0;
        while (System.nanoTime() < end) {
            try (Connection extra = pool.getConnection()) {
                log.warn("pool hog: the pool gave out a connection beyond its size");
            }
            catch (SQLException expected) {
                refused++;
            }
        }
        for (Connection connection : taken) {
            try {
                connection.close();
            }
            catch (SQLException ex) {
                log.warn("pool hog: closing a connection: {}", ex.toString());
            }
        }
        log.info("pool hog: released {} connections; {} more requests timed out meanwhile", taken.size(), refused);
    }

    @Override
    public void destroy() {
        running = false;
    }
}
