package dev.leader.jdbc.autoconfigure;

import javax.sql.DataSource;
import dev.leader.autoconfigure.ConditionalOnBackend;
import dev.leader.autoconfigure.LeaderProperties;
import dev.leader.election.ElectionBackend;
import dev.leader.election.InvalidSettingException;
import dev.leader.jdbc.JdbcBackendSettings;
import dev.leader.jdbc.JdbcDialect;
import dev.leader.jdbc.JdbcElectionBackend;
import dev.leader.jdbc.JdbcFencing;
import dev.leader.jdbc.UnpooledDataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;

/**
 * The JDBC backend. Chosen only by {@code leader.backend=jdbc} or {@code leader.jdbc.url}: an
 * application that merely has a DataSource does not start writing election rows to it. Its
 * connections are its own, never borrowed from the application's pool: to {@code leader.jdbc.url}
 * when set, else to the address of the application's database (Boot's JDBC connection details);
 * only without either does it fall back to the application's DataSource bean.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBackend("jdbc")
@EnableConfigurationProperties(JdbcBackendProperties.class)
public final class JdbcBackendConfiguration {

    private static final String CONNECTION_DETAILS = "org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails";

    /** After the application's schema migrations (Flyway, Liquibase, spring.sql.init), which may create the table. */
    @Bean
    @ConditionalOnMissingBean(ElectionBackend.class)
    @DependsOnDatabaseInitialization
    JdbcElectionBackend leaderElectionBackend(LeaderProperties leader, JdbcBackendProperties properties, BeanFactory beans) {
        DataSource dataSource = dataSource(properties, beans);
        JdbcBackendSettings.Builder settings = JdbcBackendSettings.builder();
        PropertyMapper map = PropertyMapper.get();
        map.from(properties::getTableName).to(settings::tableName);
        map.from(leader::getLeaseDuration).to(settings::lease);
        map.from(properties::getRenewInterval).to(settings::renewInterval);
        map.from(properties::getStatementTimeout).to(settings::statementTimeout);
        map.from(properties::getInitializeSchema).to(settings::schemaInitialization);
        if (properties.getDialect() != null) {
            settings.dialect(properties.getDialect());
        }
        else if (dataSource instanceof UnpooledDataSource own) {
            // Known from the URL, so that the application starts while its database is down.
            JdbcDialect.fromUrl(own.url()).ifPresent(settings::dialect);
        }
        return new JdbcElectionBackend(dataSource, settings.build());
    }

    /** Fenced writes in the application's own transactions, against the lease table. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(JdbcElectionBackend.class)
    JdbcFencing leaderJdbcFencing(JdbcElectionBackend backend) {
        return backend.fencing();
    }

    private static DataSource dataSource(JdbcBackendProperties properties, BeanFactory beans) {
        if (properties.getUrl() != null) {
            return new UnpooledDataSource(properties.getUrl(), properties.getUsername(), properties.getPassword());
        }
        if (ClassUtils.isPresent(CONNECTION_DETAILS, JdbcBackendConfiguration.class.getClassLoader())) {
            DataSource fromBoot = ApplicationDatabase.address(beans);
            if (fromBoot != null) {
                return fromBoot;
            }
        }
        DataSource application = beans.getBeanProvider(DataSource.class).getIfUnique();
        if (application == null) {
            throw new InvalidSettingException("leader.jdbc.url", null,
                    "a JDBC URL, e.g. jdbc:postgresql://localhost:5432/app (or configure the application's database with"
                            + " spring.datasource.*: it has none)");
        }
        return application;
    }

    /** Boot's JDBC connection details, kept apart so that its types load only when spring-boot-jdbc is present. */
    static final class ApplicationDatabase {

        static @Nullable DataSource address(BeanFactory beans) {
            var details = beans.getBeanProvider(org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails.class)
                    .getIfUnique();
            if (details == null || details.getJdbcUrl() == null) {
                return null;
            }
            return new UnpooledDataSource(details.getJdbcUrl(), details.getUsername(), details.getPassword());
        }
    }
}
