/**
 * The zero-configuration LAN backend: peers on one network segment find each other on an IP
 * multicast group and elect a leader among themselves with signed UDP heartbeats, with no
 * server.
 *
 * <h2>Protocol</h2>
 * Every peer multicasts a heartbeat each lease/3 carrying (term, leader it follows or backs,
 * its own id and incarnation, priority, eligibility); a peer silent for the lease is gone. A peer
 * is its candidate id together with the random incarnation of its process ({@link
 * dev.leader.lan.PeerId}): two processes given one id are two peers, and each warns of the other
 * once. Every message also carries its send time on the sender's monotonic clock (its stamp) and,
 * for each peer the sender hears, the stamp of the latest message received from it (an echo): a
 * round trip without a server, compared only on the host that made the stamp. A live leader is
 * followed; with none, the eligible peer of the highest priority, then the lowest candidate id,
 * claims the next term after a listening period of one heartbeat interval (peers answer a
 * newcomer at their next tick, a seventh of that, so peers started together settle in one round). {@code close()} and
 * {@code yieldLeadership()} multicast a RESIGN, so the next peer claims within milliseconds
 * instead of a lease: peers that are ready first, then those still listening (heartbeats say
 * which), each by rank, and each next one only after every peer before it stayed silent for a
 * short grace (a tenth of the heartbeat interval, at most 25 ms), so a stalled or booting best
 * peer cannot hold the hand-off up. Claims are made on the receive thread only after it has read
 * every queued datagram, so a peer resuming from a stall follows the claim that overtook it
 * instead of contesting its term.
 *
 * <p>A backend's elections share its datagrams (wire version 4, issue 20): a datagram has one
 * header (group, sender id and incarnation, sequence, wall-clock timestamp, priority, stamp) and
 * an entry per election (type, flags, election, term, leader id and incarnation, echoes), as
 * many as fit in 2 KiB ({@link dev.leader.lan.LanDatagram}). The tick and receive threads gather
 * what their elections say (heartbeats, in up to seven cohorts spread over the interval so that
 * peers' receive buffers see no burst; a start's first heartbeat and answers to newcomers, at the
 * next tick; claims and step-downs, once every queued datagram is read) and send it together;
 * only a yield, withdraw, rejoin or close sends at once. An election records a gathered message
 * as sent only once its datagram went, with that datagram's stamp, taken before framing: a
 * leader never counts on a heartbeat that failed to go, and takes no term whose claim did not.
 * A gathered message that a newer one of its election has overtaken is dropped, never sent
 * after it. One HMAC and one replay check cover a datagram; its entries reach their elections by
 * name. Figures ({@code LanScaleMeasurement 1000 10000}: three backends on lo, one source
 * address, lease 3 s; per backend and heartbeat interval at rest): before, 1,036 datagrams at
 * 1,000 elections and 9,975 at 10,000, neither settled within 60 s (rate-limited); after, 36
 * and 350 to 400, settled in 1.4 s and in 1.5 to 4.6 s over runs, since 3 × 10,000 elections
 * behind one address exceed the rate limit (60 to 210 refused per interval at rest; with
 * {@code -Dlease=PT6S}: 350 to 382 sent, none refused, settled in 3.1 to 4.1 s). Hand-off
 * unchanged within noise ({@code LanHandoffMeasurement}, p50 before, then after in two runs:
 * yield 1.8, then 1.6 and 2.0 ms; SIGTERM 10.3, then 10.5 and 11.1 ms; with a quorum, one run
 * each: yield 4.5 and 2.6 ms, SIGTERM 21.8 and 20.3 ms).
 *
 * <p>Without a quorum a claim is granted at once; two leaders (a healed partition) resolve by
 * higher term, then priority, then lower id, and the loser is revoked with {@code PREEMPTED}.
 * With {@code leader.lan.quorum} a term is a vote ({@link dev.leader.lan.Ballot}): a peer backs
 * one claimer per term, and nobody else while the one it backs still leads or claims, until a
 * lease after it last heard it; a claim is granted once a majority names the claimer in its term
 * and echoes the claim itself or a later message of it. The majority is of the quorum, or of all
 * candidates a peer knows of (those it hears and those they echo) when they are more.
 *
 * <h2>Security</h2>
 * With {@code leader.lan.secret} every datagram carries an HMAC-SHA256 over its content; a
 * random incarnation per process, a strictly increasing sequence and a timestamp (checked
 * against {@code leader.lan.replay-window}) refuse replays. Unsigned, wrongly signed, replayed,
 * stale and malformed datagrams are ignored and counted
 * ({@link dev.leader.lan.LanElectionBackend#rejectedMessages()}). The secret should have at least
 * 32 random bytes (a WARN at start-up below that): one recorded datagram lets anyone on the
 * segment test guesses offline. Without a secret the backend warns at start-up: any host on the
 * segment can take part, as a peer, and with a quorum count toward it. What a host can cost the
 * peers is bounded either way: datagrams per source address ({@link
 * dev.leader.lan.SourceRateLimit}; a peer sends about one per two dozen of its elections a
 * heartbeat interval), entries per datagram (what fits in 2 KiB, so at most about 80 elections
 * touched per datagram), peers tracked per election ({@link
 * dev.leader.lan.LanPeers#MAX_PEERS}), incarnations in the replay window, and terms (a term far
 * above any known is refused, and no term can overflow the next claim). The secret
 * authenticates; it does not encrypt (election names and candidate ids travel in clear).
 *
 * <h2>Safety, honestly</h2>
 * Without a quorum the LAN backend is available, not consistent: during a partition, or with
 * one-way loss, each side elects its own leader, and both believe until the partition heals and
 * the lower term steps down. A leader believes until its last heartbeat's send time + lease -
 * margin: before a successor if it paused or died, but one that is cut off, or whose datagrams
 * alone are lost, goes on next to the successor. The fencing token is the term: it increases
 * across the terms any peer has heard of, but two sides can issue the same term.
 *
 * <p>With {@code leader.lan.quorum} set to the largest size the group reaches, two peers never
 * believe at once, and no term is granted twice while any peer lives (terms are not stored: a
 * group restarted as a whole starts over), whatever datagrams are lost, one way or both, and
 * whatever pauses: a leader believes until the send time of its last message a majority
 * backed + lease - margin, none of those backers backs anyone else before that send time + lease,
 * and any two majorities share a peer. The limits: a group that grows past its quorum (a rolling
 * deploy's surge) and then splits so that neither part hears of the other for a lease can elect
 * one leader per part, each a majority of the quorum; votes live in memory, so a peer restarted
 * within a lease of its last message may back a second claimer while the leader it backed still
 * counts its last echo (only a claimer that hears neither that leader nor a peer following it
 * can ask); and without a secret any host on the segment can back a claimer. Peers compare times
 * only on one host's monotonic clock: the margin (a tenth of the lease) covers clock-rate drift
 * between hosts, not a clock that stops.
 */
@NullMarked
package dev.leader.lan;

import org.jspecify.annotations.NullMarked;
