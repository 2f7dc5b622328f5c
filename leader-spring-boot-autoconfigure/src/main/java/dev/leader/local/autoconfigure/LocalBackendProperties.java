package dev.leader.local.autoconfigure;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** The local file-lock backend. */
@ConfigurationProperties("leader.local")
public class LocalBackendProperties {

    /** Directory of the lock files, shared by every instance on this host. Defaults to ${java.io.tmpdir}/leader. */
    private @Nullable Path directory;

    public @Nullable Path getDirectory() {
        return directory;
    }

    public void setDirectory(@Nullable Path directory) {
        this.directory = directory;
    }
}
