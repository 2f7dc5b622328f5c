/**
 * The zero-configuration LAN backend: peers on one network segment find each other on an IP
 * multicast group and elect a leader among themselves with signed UDP heartbeats, with no
 * server.
 *
 * <h2>Protocol</h2>
 * Every peer multicasts a heartbeat each lease/3 carrying (term, leader it follows, its own
 * id, priority, eligibility); a peer silent for the lease is gone. Every message also carries
 * its send time on the sender's monotonic clock (its stamp) and, for each peer the sender
 * hears, the stamp of the latest message received from it (an echo): a round trip without a
 * server, compared only on the host that made the stamp. A live leader is followed;
 * with none, the eligible peer of the highest priority, then the lowest candidate id, claims
 * the next term after a listening period of one heartbeat interval (peers answer a newcomer at
 * once, so peers started together settle in one round). Two leaders (a healed partition)
 * resolve by higher term, then priority, then lower id; the loser is revoked with
 * {@code PREEMPTED}. {@code close()} and {@code yieldLeadership()} multicast a RESIGN, so the
 * next peer claims within milliseconds instead of a lease: peers that are ready first, then those
 * still listening (heartbeats say which), each by rank, and each next one only after every peer
 * before it stayed silent for a short grace (a tenth of the heartbeat interval, at most 25 ms),
 * so a stalled or booting best peer cannot hold the hand-off up. Claims are made on the receive
 * thread only after it has read every queued datagram, so a peer resuming from a stall follows
 * the claim that overtook it instead of contesting its term.
 *
 * <h2>Security</h2>
 * With {@code leader.lan.secret} every datagram carries an HMAC-SHA256 over its content; a
 * random incarnation per process, a strictly increasing sequence and a timestamp (checked
 * against {@code leader.lan.replay-window}) refuse replays. Unsigned, wrongly signed, replayed,
 * stale and malformed datagrams are ignored and counted
 * ({@link dev.leader.lan.LanElectionBackend#rejectedMessages()}). Without a secret the backend
 * warns at start-up: any host on the segment could take part. The secret authenticates; it does
 * not encrypt (election names and candidate ids travel in clear).
 *
 * <h2>Safety, honestly</h2>
 * Without a server the LAN backend is available, not consistent: during a partition each side
 * elects its own leader, and both believe until the partition heals and the lower term steps
 * down. The fencing token is the term: it increases across the terms any peer has heard of,
 * but two sides of a partition can issue the same term, so it is best effort. With
 * {@code leader.lan.quorum} (the expected cluster size) a peer claims and keeps a term only
 * while it hears a majority: the minority side then has no leader once its lease runs out
 * (within one lease of the partition). A peer declares a leader gone a full lease after it last
 * received it. With a quorum, a leader believes until the send time of its last message a
 * majority has echoed + lease - margin, so whether it is paused, cut off or only its
 * own datagrams are lost, it stops believing before a majority can elect a successor. Without
 * a quorum it believes until its last heartbeat's send time + lease - margin: before a
 * successor if it paused or died, but one that is cut off, or whose datagrams alone are lost,
 * goes on confirming itself with heartbeats nobody hears and leads next to the successor.
 */
@NullMarked
package dev.leader.lan;

import org.jspecify.annotations.NullMarked;
