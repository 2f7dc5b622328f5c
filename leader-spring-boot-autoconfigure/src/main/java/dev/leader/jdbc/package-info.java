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
 * and MariaDB 10.11.19 from Debian 12, 3 candidates (figures in ms):
 * <ul>
 * <li>hand-off after the leader's {@code close()}, candidates in one JVM, 20 rounds: PostgreSQL
 * p50 4.5, p99 35.6; MariaDB p50 3.4, p99 10.3;</li>
 * <li>hand-off after SIGTERM of the leader's JVM, 20 rounds: PostgreSQL p50 24, p99 414;
 * MariaDB p50 18, p99 30;</li>
 * <li>failover after kill -9 of the leader's JVM, 20 rounds ({@code JdbcHandoffMeasurement 1 20
 * 2000 1}): PostgreSQL p50 1647, max 2015 (a lease after the last renewal heard of); MariaDB p50
 * 1959, max 2042 (a lease after the follower, woken by the dead session's lock, read the last
 * version; with the expiry in database time it was p50 1735, max 1928);</li>
 * <li>statements at rest over 60 s by two followers: PostgreSQL 0 ({@code pg_stat_statements}
 * of the followers' own role; the leader sent 90, a renewal every 667 ms); MariaDB 198
 * ({@code USER_STATISTICS}; the leader 179, a renewal and a lock check every 667 ms).</li>
 * </ul>
 * Command: see {@code JdbcHandoffMeasurement} in the test sources.
 */
@NullMarked
package dev.leader.jdbc;

import org.jspecify.annotations.NullMarked;
