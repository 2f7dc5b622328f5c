package dev.leader.etcd;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Just enough JSON for etcd's gateway: objects, arrays, strings, numbers, booleans and null.
 * The gateway writes int64 fields as strings, so numbers are kept as their text and read with
 * {@link #longOf(Object)}. Keys and values travel base64-encoded, which keeps escaping trivial.
 */
final class GatewayJson {

    private final String text;

    private int pos;

    private GatewayJson(String text) {
        this.text = text;
    }

    static Map<String, Object> parseObject(String text) {
        GatewayJson json = new GatewayJson(text);
        json.skipSpace();
        Object value = json.value();
        if (!(value instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("expected a JSON object: " + abbreviate(text));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) value;
        return map;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Map<String, Object> parent, String field) {
        Object value = parent.get(field);
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> objects(Map<String, Object> parent, String field) {
        Object value = parent.get(field);
        return value instanceof List<?> list ? (List<Map<String, Object>>) list : List.of();
    }

    /** A missing int64 field is zero: the gateway omits fields holding their default. */
    static long longOf(@Nullable Object value) {
        if (value == null) {
            return 0;
        }
        return value instanceof String s ? Long.parseLong(s) : Long.parseLong(value.toString());
    }

    static boolean bool(Map<String, Object> parent, String field) {
        return Boolean.TRUE.equals(parent.get(field));
    }

    static String base64(String raw) {
        return Base64.getEncoder().encodeToString(raw.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static String decode(@Nullable Object base64) {
        return base64 == null ? "" : new String(Base64.getDecoder().decode(base64.toString()), java.nio.charset.StandardCharsets.UTF_8);
    }

    static String abbreviate(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }

    private @Nullable Object value() {
        char c = peek();
        switch (c) {
            case '{':
                return object();
            case '[':
                return array();
            case '"':
                return string();
            case 't':
                expect("true");
                return Boolean.TRUE;
            case 'f':
                expect("false");
                return Boolean.FALSE;
            case 'n':
                expect("null");
                return null;
            default:
                return number();
        }
    }

    private Map<String, Object> object() {
        Map<String, Object> map = new LinkedHashMap<>();
        pos++;
        skipSpace();
        if (peek() == '}') {
            pos++;
            return map;
        }
        while (true) {
            skipSpace();
            String key = string();
            skipSpace();
            consume(':');
            skipSpace();
            Object value = value();
            if (value != null) {
                map.put(key, value);
            }
            skipSpace();
            if (peek() == ',') {
                pos++;
                continue;
            }
            consume('}');
            return map;
        }
    }

    private List<Object> array() {
        List<Object> list = new ArrayList<>();
        pos++;
        skipSpace();
        if (peek() == ']') {
            pos++;
            return list;
        }
        while (true) {
            skipSpace();
            Object value = value();
            if (value != null) {
                list.add(value);
            }
            skipSpace();
            if (peek() == ',') {
                pos++;
                continue;
            }
            consume(']');
            return list;
        }
    }

    private String string() {
        consume('"');
        StringBuilder out = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                return out.toString();
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = next();
            switch (e) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'u' -> {
                    if (pos + 4 > text.length()) {
                        throw error("truncated escape");
                    }
                    out.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                    pos += 4;
                }
                default -> out.append(e);
            }
        }
    }

    private String number() {
        int start = pos;
        while (pos < text.length() && "+-0123456789.eE".indexOf(text.charAt(pos)) >= 0) {
            pos++;
        }
        if (start == pos) {
            throw error("unexpected character");
        }
        return text.substring(start, pos);
    }

    private void expect(String word) {
        if (!text.startsWith(word, pos)) {
            throw error("expected " + word);
        }
        pos += word.length();
    }

    private void consume(char c) {
        if (next() != c) {
            throw error("expected '" + c + "'");
        }
    }

    private char peek() {
        if (pos >= text.length()) {
            throw error("unexpected end");
        }
        return text.charAt(pos);
    }

    private char next() {
        char c = peek();
        pos++;
        return c;
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException(what + " at " + pos + " in JSON: " + abbreviate(text));
    }
}
