package dev.leader.jdbc;

import java.util.UUID;
import javax.sql.DataSource;

/** The databases every JDBC test that is not about a server's failures runs on. */
enum TestDatabase {

    POSTGRESQL {
        @Override
        DataSource dataSource() {
            return DataSources.postgres(SharedServers.postgres());
        }
    },

    MARIADB {
        @Override
        DataSource dataSource() {
            return DataSources.mariaDb(SharedServers.mariaDb());
        }
    },

    H2 {
        private final String url = "jdbc:h2:mem:tests-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

        @Override
        DataSource dataSource() {
            return DataSources.h2(url);
        }
    };

    /** A new DataSource of the database, as another process would have. */
    abstract DataSource dataSource();
}
