package dev.leader.etcd;

import java.io.IOException;
import java.util.Map;

/**
 * An error answer from etcd's gateway, with its gRPC status code. The gateway writes errors in
 * two shapes: a unary call's {@code {"error":"…","message":"…","code":14}}, and a streaming
 * call's (a watch, a keep-alive) {@code {"error":{"grpc_code":14,"http_code":503,"message":"…"}}},
 * the latter under HTTP 200 when the stream had already answered.
 */
final class EtcdException extends IOException {

    /** gRPC UNAVAILABLE / DEADLINE_EXCEEDED: this member cannot serve now, another may. */
    static final int UNAVAILABLE = 14;

    private static final int DEADLINE_EXCEEDED = 4;

    private final int code;

    EtcdException(int code, String message) {
        super(message);
        this.code = code;
    }

    static EtcdException from(int status, String body) {
        Map<String, Object> answer;
        try {
            answer = GatewayJson.parseObject(body);
        }
        catch (IllegalArgumentException ex) {
            return new EtcdException(UNAVAILABLE, "etcd answered HTTP " + status + ": " + GatewayJson.abbreviate(body));
        }
        return from(status, answer);
    }

    static EtcdException from(int status, Map<String, Object> answer) {
        Map<String, Object> streamError = GatewayJson.object(answer, "error");
        if (!streamError.isEmpty()) {
            return new EtcdException((int) GatewayJson.longOf(streamError.get("grpc_code")),
                    "etcd answered HTTP " + status + " with a stream error: " + streamError.get("message"));
        }
        Object message = answer.containsKey("message") ? answer.get("message") : answer.get("error");
        return new EtcdException((int) GatewayJson.longOf(answer.get("code")), "etcd answered HTTP " + status + ": " + message);
    }

    /** Whether {@code answer} is a streaming call's error object in place of a result. */
    static boolean isStreamError(Map<String, Object> answer) {
        return answer.get("error") instanceof Map<?, ?>;
    }

    int code() {
        return code;
    }

    boolean unavailable() {
        return code == UNAVAILABLE || code == DEADLINE_EXCEEDED;
    }
}
