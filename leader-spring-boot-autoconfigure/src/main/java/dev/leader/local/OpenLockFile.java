package dev.leader.local;

import java.io.Closeable;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import org.jspecify.annotations.Nullable;

/**
 * One open description of a lock file, and which file it is. Reads and writes go through
 * {@link RandomAccessFile}, not the channel: a thread interrupted during channel I/O closes the
 * channel, and closing any descriptor of the file drops every lock this process holds on it.
 * The channel only locks, on the lock file's own thread, which nobody else interrupts.
 */
final class OpenLockFile implements Closeable {

    /** No record of ours is this long; a longer file is not one. */
    private static final int MAX_RECORD = 64 * 1024;

    /** The identity of a file on a platform that names none (no inode behind its file key). */
    private static final Object UNKNOWN = new Object();

    private final RandomAccessFile file;

    private final Object identity;

    private OpenLockFile(RandomAccessFile file, Object identity) {
        this.file = file;
        this.identity = identity;
    }

    /**
     * Opens {@code path}, creating it if missing, and learns which file that is: the path names
     * the same file just before and just after the open, so the descriptor is that file's.
     */
    static OpenLockFile open(Path path) throws IOException {
        for (int attempt = 0; attempt < 10; attempt++) {
            Object before = identityOf(path);
            RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw");
            Object after = identityOf(path);
            if (after != null && after.equals(before)) {
                return new OpenLockFile(file, after);
            }
            // Created by this open or replaced during it: open again, now that it exists.
            // Closing is safe: this process holds no lock on the file while it opens it.
            file.close();
        }
        throw new IOException("the lock file " + path + " keeps being replaced");
    }

    /** The file {@code path} names now (its device and inode); null when there is none. */
    private static @Nullable Object identityOf(Path path) throws IOException {
        try {
            Object key = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
            return key == null ? UNKNOWN : key;
        }
        catch (NoSuchFileException ex) {
            return null;
        }
    }

    /**
     * Whether {@code path} still names this file. False once it was deleted, replaced, or its
     * directory unmounted: a lock on this file then guards nothing, since the next candidate
     * opens and locks the file the path names. One {@code stat}; a holder makes one per
     * {@code LocalElection.STAT_VALIDITY} of guarded calls.
     */
    boolean isAt(Path path) {
        try {
            return identity.equals(identityOf(path));
        }
        catch (IOException ex) {
            return false;
        }
    }

    boolean isOpen() {
        return file.getChannel().isOpen();
    }

    /** Waits for the exclusive lock of the whole file; only on the lock file's own thread. */
    FileLock lock() throws IOException {
        return file.getChannel().lock();
    }

    /** Takes the exclusive lock of the whole file if it is free; null if another process holds it. */
    @Nullable FileLock tryLock() throws IOException {
        return file.getChannel().tryLock();
    }

    /** The record, or null when the file holds none (new, emptied, garbled). */
    @Nullable LockFileContent read() throws IOException {
        long length = file.length();
        if (length > MAX_RECORD) {
            return null;
        }
        byte[] bytes = new byte[(int) length];
        file.seek(0);
        file.readFully(bytes);
        return LockFileContent.parse(bytes, bytes.length);
    }

    /** Writes {@code content} in one write at offset 0, truncates after it, and syncs it to disk. */
    void write(LockFileContent content) throws IOException {
        byte[] bytes = content.toBytes();
        file.seek(0);
        file.write(bytes);
        file.setLength(bytes.length);
        file.getFD().sync();
    }

    /** Closes the descriptor, and with it every lock this process holds on the file. */
    @Override
    public void close() throws IOException {
        file.close();
    }
}
