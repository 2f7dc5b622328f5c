package dev.leader.etcd;

import java.io.IOException;
import java.util.Map;

/** An error answer from etcd's gateway, with its gRPC status code. */
final class EtcdException extends IOException {

    /** gRPC UNAVAILABLE / DEADLINE_EXCEEDED: this member cannot serve now, another may. */
    private static final int UNAVAILABLE = 14;

    private static final int DEADLINE_EXCEEDED = 4;

    private final int code;

    EtcdException(int code, String message) {
        super(message);
        this.code = code;
    }

    static EtcdException from(int status, String body) {
        try {
            Map<String, Object> error = Json.parseObject(body);
            Object message = error.containsKey("message") ? error.get("message") : error.get("error");
            return new EtcdException((int) Json.longOf(error.get("code")), "etcd answered HTTP " + status + ": " + message);
        }
        catch (IllegalArgumentException ex) {
            return new EtcdException(UNAVAILABLE, "etcd answered HTTP " + status + ": " + Json.abbreviate(body));
        }
    }

    int code() {
        return code;
    }

    boolean unavailable() {
        return code == UNAVAILABLE || code == DEADLINE_EXCEEDED;
    }
}
