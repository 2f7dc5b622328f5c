package dev.leader.etcd;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** The few etcd v3 calls an election makes, typed. */
final class EtcdKv {

    /** One key as etcd holds it. */
    record Kv(String key, String value, long createRevision) {
    }

    /** The keys under a prefix, oldest first, and the store revision they were read at. */
    record Range(long revision, List<Kv> kvs) {
    }

    /**
     * A granted lease.
     *
     * @param sendNanos when the grant request left
     * @param raftTerm the raft term of the leader that granted it, 0 when that is not known
     */
    record Lease(long id, long ttlSeconds, long sendNanos, long raftTerm) {
    }

    /** Who answered a call: the member and the raft term it was in. */
    record Answerer(String memberId, long raftTerm) {

        static Answerer of(Map<String, Object> reply) {
            Map<String, Object> header = GatewayJson.object(reply, "header");
            return new Answerer(String.valueOf(header.get("member_id")), GatewayJson.longOf(header.get("raft_term")));
        }
    }

    /**
     * A keep-alive's answer.
     *
     * @param ttl the TTL etcd restarted the lease with; 0 or less only when a member answered, for
     *        this lease, that it does not exist (etcd leaves the TTL out then)
     * @param answerer the member that answered, and its raft term then
     */
    record KeepAlive(long ttl, Answerer answerer) {
    }

    private final EtcdHttp http;

    private final Duration timeout;

    EtcdKv(EtcdHttp http, Duration timeout) {
        this.http = http;
        this.timeout = timeout;
    }

    EtcdHttp http() {
        return http;
    }

    /**
     * Grants a lease and finds the raft term of the leader that granted it: a member that was in
     * one raft term both before the grant was sent (a quorum confirmed that term first) and when
     * it answered saw the grant committed in that term.
     */
    Lease grant(long ttlSeconds) throws IOException, InterruptedException {
        Answerer before = quorumRead(timeout);
        long send = System.nanoTime();
        Map<String, Object> reply = http.post("/v3/lease/grant", "{\"TTL\":\"" + ttlSeconds + "\"}", timeout);
        long id = GatewayJson.longOf(reply.get("ID"));
        if (id == 0) {
            throw new EtcdException(0, "etcd granted no lease: " + reply.get("error"));
        }
        long raftTerm = before.equals(Answerer.of(reply)) ? before.raftTerm() : 0;
        return new Lease(id, GatewayJson.longOf(reply.get("TTL")), send, raftTerm);
    }

    /**
     * One keep-alive.
     *
     * @throws IOException on any answer but a TTL or a lease that does not exist, an error from
     *         whichever member: that says nothing about the lease
     */
    KeepAlive keepAlive(long leaseId, Duration keepAliveTimeout) throws IOException, InterruptedException {
        Map<String, Object> result = http.postStreamed("/v3/lease/keepalive", "{\"ID\":\"" + leaseId + "\"}", keepAliveTimeout);
        if (GatewayJson.longOf(result.get("ID")) != leaseId) {
            throw new EtcdException(0, "keep-alive of lease " + Long.toHexString(leaseId) + " answered for another: " + result);
        }
        return new KeepAlive(GatewayJson.longOf(result.get("TTL")), Answerer.of(result));
    }

    /** {@link #keepAlive} without blocking a thread while it waits. */
    CompletableFuture<KeepAlive> keepAliveAsync(long leaseId, Duration keepAliveTimeout) {
        return http.postStreamedAsync("/v3/lease/keepalive", "{\"ID\":\"" + leaseId + "\"}", keepAliveTimeout).thenApply(result -> {
            if (GatewayJson.longOf(result.get("ID")) != leaseId) {
                throw new CompletionException(new EtcdException(0, "keep-alive of lease " + Long.toHexString(leaseId)
                        + " answered for another: " + result));
            }
            return new KeepAlive(GatewayJson.longOf(result.get("TTL")), Answerer.of(result));
        });
    }

    /** {@link #quorumRead} without blocking a thread while it waits. */
    CompletableFuture<Answerer> quorumReadAsync(Duration readTimeout) {
        return http.postAsync("/v3/kv/range", "{\"key\":\"AA==\",\"count_only\":true}", readTimeout).thenApply(Answerer::of);
    }

    /**
     * A linearizable read of nothing in particular: its answer comes only once a quorum has
     * confirmed that the answering member's leader still leads, and says who answered in which
     * raft term.
     */
    Answerer quorumRead(Duration readTimeout) throws IOException, InterruptedException {
        return Answerer.of(http.post("/v3/kv/range", "{\"key\":\"AA==\",\"count_only\":true}", readTimeout));
    }

    void revoke(long leaseId) throws IOException, InterruptedException {
        try {
            http.post("/v3/lease/revoke", "{\"ID\":\"" + leaseId + "\"}", timeout);
        }
        catch (EtcdException ex) {
            // NOT_FOUND: already expired or revoked, which is what we wanted.
            if (ex.code() != 5) {
                throw ex;
            }
        }
    }

    /**
     * Creates {@code key} bound to the lease unless it exists; either way returns its create
     * revision, so a key whose create reply was lost is found and reused.
     */
    long createIfAbsent(String key, String value, long leaseId) throws IOException, InterruptedException {
        String k = GatewayJson.base64(key);
        String body = "{\"compare\":[{\"key\":\"" + k + "\",\"target\":\"CREATE\",\"create_revision\":\"0\"}],"
                + "\"success\":[{\"request_put\":{\"key\":\"" + k + "\",\"value\":\"" + GatewayJson.base64(value)
                + "\",\"lease\":\"" + leaseId + "\"}}],"
                + "\"failure\":[{\"request_range\":{\"key\":\"" + k + "\"}}]}";
        Map<String, Object> reply = http.post("/v3/kv/txn", body, timeout);
        if (GatewayJson.bool(reply, "succeeded")) {
            return GatewayJson.longOf(GatewayJson.object(reply, "header").get("revision"));
        }
        for (Map<String, Object> response : GatewayJson.objects(reply, "responses")) {
            for (Map<String, Object> kv : GatewayJson.objects(GatewayJson.object(response, "response_range"), "kvs")) {
                return GatewayJson.longOf(kv.get("create_revision"));
            }
        }
        throw new EtcdException(0, "key " + key + " neither created nor found");
    }

    /**
     * Binds {@code key} to another lease, if it still has {@code createRevision} and is bound to
     * {@code fromLease}. The key keeps its create revision, so its place in line and the fencing
     * token of a term on it do not change.
     *
     * @return whether the key was moved; false if it is gone, was created anew or is bound elsewhere
     */
    boolean moveToLease(String key, String value, long createRevision, long fromLease, long toLease)
            throws IOException, InterruptedException {
        String k = GatewayJson.base64(key);
        String body = "{\"compare\":[{\"key\":\"" + k + "\",\"target\":\"CREATE\",\"create_revision\":\"" + createRevision + "\"},"
                + "{\"key\":\"" + k + "\",\"target\":\"LEASE\",\"lease\":\"" + fromLease + "\"}],"
                + "\"success\":[{\"request_put\":{\"key\":\"" + k + "\",\"value\":\"" + GatewayJson.base64(value)
                + "\",\"lease\":\"" + toLease + "\"}}]}";
        return GatewayJson.bool(http.post("/v3/kv/txn", body, timeout), "succeeded");
    }

    Range range(String prefix) throws IOException, InterruptedException {
        String body = "{\"key\":\"" + GatewayJson.base64(prefix) + "\",\"range_end\":\"" + GatewayJson.base64(rangeEnd(prefix)) + "\"}";
        Map<String, Object> reply = http.post("/v3/kv/range", body, timeout);
        List<Kv> kvs = new ArrayList<>();
        for (Map<String, Object> kv : GatewayJson.objects(reply, "kvs")) {
            kvs.add(new Kv(GatewayJson.decode(kv.get("key")), GatewayJson.decode(kv.get("value")), GatewayJson.longOf(kv.get("create_revision"))));
        }
        kvs.sort(Comparator.comparingLong(Kv::createRevision));
        return new Range(GatewayJson.longOf(GatewayJson.object(reply, "header").get("revision")), List.copyOf(kvs));
    }

    void delete(String key) throws IOException, InterruptedException {
        http.post("/v3/kv/deleterange", "{\"key\":\"" + GatewayJson.base64(key) + "\"}", timeout);
    }

    /** The key just past every key starting with {@code prefix}. */
    static String rangeEnd(String prefix) {
        char last = prefix.charAt(prefix.length() - 1);
        return prefix.substring(0, prefix.length() - 1) + (char) (last + 1);
    }
}
