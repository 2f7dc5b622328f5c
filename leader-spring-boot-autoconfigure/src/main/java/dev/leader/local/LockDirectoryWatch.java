package dev.leader.local;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells followers who leads, and holders that their file is gone. A new holder rewrites its
 * lock file; the file system reports the change (inotify on Linux), so followers learn the
 * leader's id without reading periodically. A deleted file, a lost event or a directory that is
 * no longer there (deleted, unmounted) makes every lock file of the directory check its holder.
 */
final class LockDirectoryWatch implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LockDirectoryWatch.class);

    private final Path directory;

    private final WatchService watcher;

    private final Thread thread;

    LockDirectoryWatch(Path directory) throws IOException {
        this.directory = directory;
        this.watcher = directory.getFileSystem().newWatchService();
        directory.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
        this.thread = new Thread(this::run, "leader-local-watch");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run() {
        try {
            while (true) {
                WatchKey key = watcher.take();
                for (WatchEvent<?> event : key.pollEvents()) {
                    if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                        LockFile.refreshAll(directory);
                    }
                    else if (event.context() instanceof Path name && name.toString().endsWith(LocalElectionBackend.SUFFIX)) {
                        LockFile.of(directory.resolve(name)).refresh();
                    }
                }
                if (!key.reset()) {
                    log.warn("lock directory {} is no longer watched (deleted or unmounted?); followers' leader ids may be stale",
                            directory);
                    LockFile.refreshAll(directory);
                    return;
                }
            }
        }
        catch (InterruptedException | ClosedWatchServiceException ex) {
            // closed
        }
    }

    @Override
    public void close() {
        try {
            watcher.close();
        }
        catch (IOException ex) {
            log.debug("closing the watch of {} failed", directory, ex);
        }
    }
}
