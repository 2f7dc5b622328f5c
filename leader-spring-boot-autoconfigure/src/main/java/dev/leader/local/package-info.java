/**
 * The embedded default backend: one OS file lock per election in a directory on this host.
 * Several JVMs on the host elect one leader; a killed process's lock is released by the kernel
 * and a blocked waiter is woken at once.
 *
 * <h2>Fencing tokens</h2>
 * The lock file holds the last token; the next is above it and never below the wall clock in
 * microseconds, so a file that lost its record (deleted, emptied, garbled, an older copy put
 * back) resumes above every earlier token instead of at 1. A token that cannot be read (an I/O
 * error) is never guessed: the hand-off is refused and retried, the lock given back meanwhile.
 *
 * <h2>A lock lost under its holder</h2>
 * Deleting the file, or unmounting its directory, leaves the holder locking a file nobody else
 * will open: the next candidate creates a new one and locks it. So a holder believes only while
 * the path still names the file it locked, and the directory watch, a failed {@code isLeader()}
 * and a check every second revoke its term ({@code RELEASED}) and queue it again. A
 * {@code stat} that found the file in place lets its holder believe for 10 ms without another,
 * from the time read before it, so a guarded call costs a clock read, not a system call; a
 * candidate that locks a file whose last holder did not write its release (a new file, a
 * crashed holder, a file deleted or replaced under its holder) waits those 10 ms before it
 * believes. The two never believe at once, whether or not a file event reaches the old holder
 * (a directory moved away and made again sends none); a graceful hand-off, whose holder wrote
 * its release, does not wait. A file replaced by an older copy that holds a release would not
 * make its locker wait: do not put lock files back. File I/O is not interruptible (see
 * {@code OpenLockFile}), so an interrupted caller cannot close the descriptor and drop the lock.
 * One case stays invisible: other code of this JVM opening and closing the lock file drops the
 * process's POSIX locks on it without telling the JDK; do not touch the lock files.
 *
 * <h2>Waits the kernel refuses</h2>
 * Followers wait in a blocking {@code FileChannel.lock()}, which on Linux is a POSIX record lock
 * ({@code fcntl(F_SETLKW)}). The kernel refuses such a wait with {@code EDEADLK} when it would
 * close a cycle between processes: application 1 leads election x and waits for y while
 * application 2 leads y and waits for x, a normal state for two applications with two
 * elections. No wake-up follows a refusal, so the refused wait is tried again when the file
 * changes (a holder writes its release before unlocking), when this JVM releases any lock, and
 * at the latest after a second (a crashed holder writes nothing): the hand-off still takes
 * milliseconds, and a crashed holder inside such a cycle is noticed within a second.
 * Locks without deadlock detection ({@code flock}, open file description locks) would avoid the
 * refusal, but the JDK offers only POSIX record locks without native code; {@code tryLock} with
 * the directory watch alone would poll for every crashed holder, where the blocking wait is
 * woken by the kernel at once.
 *
 * <h2>Many elections</h2>
 * A blocking wait needs a thread. A JVM blocks at most sixteen ({@code LockWaiters}); the lock
 * files that wait beyond them are polled by one thread: a non-blocking {@code tryLock} when the
 * file changes (and a few times in the next 320 ms, while the holder syncs its release and
 * unlocks), else once a second. A graceful hand-off stays as fast as a kernel wake-up; a killed
 * holder is noticed within a second for a polled file instead of at once. A polled file takes a
 * thread when one is free.
 */
@NullMarked
package dev.leader.local;

import org.jspecify.annotations.NullMarked;
