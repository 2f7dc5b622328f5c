/**
 * The JDBC backend: elects through the relational database the application already has
 * (PostgreSQL, MariaDB or MySQL, H2), with one lease row per election in one table
 * ({@code leader_election}: name, holder, incarnation, token, version, lease_micros, expiry).
 *
 * <p><b>Decided by the database, never on its clock.</b> Acquire, renew and release are each one
 * conditional statement: a renewal or release matches only our holder, incarnation and token (a
 * row still ours means nobody else had a term); a grant only a row without holder, our own claim,
 * or another's lease whose version (raised by every grant, renewal and release) the candidate saw
 * unchanged for a whole lease (the longer of its own and the holder's) on its own monotonic
 * clock. It counts from the receipt of the answer or notification that showed the version, which
 * is after the holder sent the statement that wrote it, and the takeover statement is conditional
 * on that version: a renewal that committed first makes it match nothing, and one that comes
 * after finds the row taken. So a leader that believes until its send time + lease - margin (a
 * tenth of the lease) stops before anyone else is granted, as long as the clocks' rates differ by
 * less than the margin, and the database server's wall clock may step either way (the fault a
 * lease compared with {@code now()} gets wrong both ways: a healthy leader revoked after a forward
 * step, a newcomer granted while the leader still believes, a follower waiting hours after a
 * backward one). As Kubernetes' leader election does with its observed time, no timestamp
 * written by one process is compared with another's clock. The {@code expiry} column ({@code now()}
 * + lease) is for people only.
 *
 * <p><b>Fencing tokens</b> are incremented in the granting statement and are as durable as any
 * committed row: they grow across database restarts. Rows are never deleted (a release sets
 * the holder to null), so a token never goes back; deleting a row by hand restarts that
 * election's tokens at 1, and a failover to an asynchronous replica that lost the last commit can
 * repeat a token, as it can lose any write. {@link dev.leader.jdbc.JdbcFencing} makes the
 * application's own writes conditional on the term, in its own transaction.
 *
 * <p><b>Threads.</b> Whatever the number of elections, a backend runs them on a few threads: each
 * election's campaign steps (acquire, release, takeover) run on its serial lane over four
 * workers shared by all its elections ({@link dev.leader.election.SerialLanes}), and no step
 * waits on its thread: it sends its statement and sets when the next step runs. One timer
 * thread times the steps and sends the renewals of every term the backend leads together, one
 * statement per 1,000 leaders per renew interval ({@code Renewals}); each term still believes
 * until the send time of the statement that extended its own row + lease - margin, and a term
 * whose row no longer matched is revoked. The same timer reads the rows of the followers the
 * database tells nothing (see Followers). PostgreSQL adds the listening thread, MariaDB/MySQL at
 * most 16 lock waiters ({@code NamedLocks}).
 *
 * <p><b>Connections.</b> The backend holds its connections for its whole life, opened from the
 * {@link javax.sql.DataSource} it was given, and never borrows one per statement: an
 * application that exhausts its own pool cannot delay a renewal. Their number does not grow with
 * the number of elections. It holds
 * <ul>
 * <li>PostgreSQL: 2 (statements of all elections, one at a time; one {@code LISTEN} connection),</li>
 * <li>MariaDB/MySQL: 2 + up to 16 (statements; one on which every election it leads holds its
 * named lock, since a session holds many named locks from MariaDB 10.0.2 and MySQL 5.7; one per
 * lock waiter, opened on first use),</li>
 * <li>H2: 1.</li>
 * </ul>
 * A connection that broke is opened again from the DataSource on next use; from a pool, that
 * waits at most the pool's own timeout. A DataSource that opens its own physical connections
 * keeps the election fully apart from the pool. Before a connection goes back, the session
 * settings the backend made are undone. Bound the DataSource's connect and login time (pgjdbc
 * {@code connectTimeout}, {@code loginTimeout}; MariaDB {@code connectTimeout}): a connect that
 * hangs holds up that election's campaign (a leader still stops believing at its deadline).
 *
 * <p><b>Timeouts.</b> The server cancels a statement after {@code statement-timeout} (below the
 * renew interval): PostgreSQL {@code statement_timeout}, MariaDB {@code max_statement_time},
 * MySQL only {@code innodb_lock_wait_timeout} (whole seconds), H2 {@code QUERY_TIMEOUT} and
 * {@code LOCK_TIMEOUT}. The client waits for an answer as long as a renewal's answer can still
 * keep the term, lease - margin, before it gives the connection up
 * ({@link java.sql.Connection#setNetworkTimeout}): a renewal answered late on a loaded host keeps
 * the term and its connection.
 *
 * <p><b>Followers.</b> PostgreSQL: grants and renewals {@code NOTIFY} holder, lease and the new
 * version, releases {@code NOTIFY} the release, from the same statement; the one listening
 * connection per backend reads them without sending anything, so followers send no statement at
 * rest, wake within milliseconds of a release, and take over a crashed leader a lease after the
 * last renewal they heard of; a follower is a timed step that the notifications bring forward or
 * push back, without a thread. MariaDB/MySQL: the leader holds the election's named lock on the
 * backend's lock connection; up to 16 followers per backend block in {@code GET_LOCK}, each on a
 * lock waiter (a thread and a connection), until it is released (after the row, on release, or
 * by the server when the leader's process dies) or until the version they read may be taken
 * over; a waiter that gets the lock lets it go at once and wakes its follower, so the next
 * blocked follower is woken too. With more followers than waiters, the others wait as H2's do,
 * and take a waiter at their next step if one is free. After a crash a follower takes over a
 * lease after it first read the last version, about a lease after the crash. H2 (tests, one
 * host), and MariaDB's followers beyond the waiters: the backend reads all their rows together
 * every renew interval, one statement per 1,000 ({@code RowPoll}), and hands each row to its
 * follower as a notification would be: a release reaches them within a renew interval, and what
 * they send at rest does not grow with the number of elections.
 *
 * <p><b>Measured</b> on loopback, 2 cores shared with other builds, lease 2 s, PostgreSQL 15.18
 * and MariaDB 10.11.19 from Debian 12, 3 candidates, 2026-12-05, the code before the lanes
 * (a thread per election) and after them run back to back (figures in ms):
 * <ul>
 * <li>hand-off after the leader's {@code close()}, candidates in one JVM, 20 rounds
 * ({@code JdbcHandoffMeasurement 20 1 2000 1}): PostgreSQL p50 4.58 (before: 4.26); MariaDB p50
 * 2.79 (1.84; 1.88-2.48 in other runs after);</li>
 * <li>hand-off after SIGTERM of the leader's JVM: PostgreSQL p50 16 (16); MariaDB p50 14 (10;
 * 12-15 in other runs after: a lock waiter's wake-up goes through a lane worker of a JVM that
 * has just started);</li>
 * <li>failover after kill -9 of the leader's JVM, 20 rounds ({@code JdbcHandoffMeasurement 1 20
 * 2000 1}): PostgreSQL p50 1542, max 1919 (a lease after the last renewal heard of); MariaDB p50
 * 1920, max 1946 (a lease after the follower, woken by the dead session's lock, read the last
 * version);</li>
 * <li>statements at rest over 20 s by two followers ({@code JdbcHandoffMeasurement 10 2 2000 20}):
 * PostgreSQL 0 ({@code pg_stat_statements} of the followers' own role); MariaDB 60
 * ({@code USER_STATISTICS}), as before the lanes.</li>
 * </ul>
 * Command: see {@code JdbcHandoffMeasurement} in the test sources.
 */
@NullMarked
package dev.leader.jdbc;

import org.jspecify.annotations.NullMarked;
