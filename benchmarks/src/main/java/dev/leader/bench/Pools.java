package dev.leader.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/** The connection pool the JDBC anchors get in a candidate JVM, as an application would give them its own. */
final class Pools {

    /** Enough for the anchors' one polling thread and an unlock on another; ours opens its own connections. */
    static final int SIZE = 2;

    private Pools() {
    }

    static HikariDataSource hikari(String url, String name) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url + "?connectTimeout=10&loginTimeout=10");
        config.setUsername("postgres");
        config.setMaximumPoolSize(SIZE);
        config.setMinimumIdle(SIZE);
        config.setPoolName(name);
        return new HikariDataSource(config);
    }
}
