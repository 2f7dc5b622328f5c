package dev.leader.jdbc;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Objects;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Opens a new physical connection on every call, through {@link DriverManager}: the backend's
 * own connections ({@code leader.jdbc.url}, or the address of the application's database),
 * kept apart from the application's pool so that neither can starve the other. The backend
 * holds the few it opens (see the package documentation).
 */
public final class UnpooledDataSource implements DataSource {

    private final String url;

    private final @Nullable String username;

    private final @Nullable String password;

    public UnpooledDataSource(String url, @Nullable String username, @Nullable String password) {
        this.url = Objects.requireNonNull(url, "url");
        this.username = username;
        this.password = password;
    }

    public String url() {
        return url;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return getConnection(username, password);
    }

    @Override
    public Connection getConnection(@Nullable String user, @Nullable String secret) throws SQLException {
        return user == null ? DriverManager.getConnection(url) : DriverManager.getConnection(url, user, secret);
    }

    @Override
    public @Nullable PrintWriter getLogWriter() {
        return DriverManager.getLogWriter();
    }

    @Override
    public void setLogWriter(@Nullable PrintWriter out) {
        DriverManager.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) {
        DriverManager.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() {
        return DriverManager.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new SQLException("not a wrapper of " + type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }

    /** Without the password: the data source ends up in logs and failure reports. */
    @Override
    public String toString() {
        return "UnpooledDataSource[" + url + "]";
    }
}
