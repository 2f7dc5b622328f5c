package dev.leader.etcd;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * An HTTP/1.1 answer's status line and the headers that say how its body ends, as
 * {@link GatewayWire} reads them, and the streams that read such a body to its end and no
 * further, so that a kept-alive connection is left at the next answer.
 */
record AnswerHead(int status, long length, boolean chunked, boolean keepAlive) {

    /** Reads the headers after {@code statusLine}, up to and including the empty line. */
    static AnswerHead read(String statusLine, InputStream in) throws IOException {
        // HTTP/1.1 200 OK
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.x answer: " + statusLine);
        }
        int status;
        try {
            status = Integer.parseInt(parts[1]);
        }
        catch (NumberFormatException ex) {
            throw new IOException("not an HTTP/1.x answer: " + statusLine);
        }
        long length = -1;
        boolean chunked = false;
        boolean keepAlive = parts[0].equals("HTTP/1.1");
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> keepAlive = !value.equalsIgnoreCase("close");
                default -> {
                }
            }
        }
        return new AnswerHead(status, chunked ? -1 : length, chunked, keepAlive);
    }

    InputStream body(InputStream in) {
        if (chunked) {
            return new ChunkedInput(in);
        }
        return length >= 0 ? new BoundedInput(in, length) : in;
    }

    /** One line of an answer's head, without its CRLF. */
    static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder(64);
        while (true) {
            int next = in.read();
            if (next < 0) {
                throw new EOFException("connection closed in an answer's head");
            }
            if (next == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            if (line.length() > 8192) {
                throw new IOException("header line longer than 8192 bytes");
            }
            line.append((char) next);
        }
    }

    /** A stream read in blocks; a single byte is a block of one. */
    abstract static class BlockInput extends InputStream {

        @Override
        public final int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public abstract int read(byte[] buffer, int offset, int length) throws IOException;
    }

    /** A body of a known length; its end leaves the connection at the next answer. */
    private static final class BoundedInput extends BlockInput {

        private final InputStream in;

        private long left;

        BoundedInput(InputStream in, long length) {
            this.in = in;
            this.left = length;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int read = in.read(buffer, offset, (int) Math.min(length, left));
            if (read < 0) {
                throw new EOFException("connection closed " + left + " bytes before the end of an answer");
            }
            left -= read;
            return read;
        }
    }

    /** A chunked body: chunks as they come; after the last chunk, its trailers are read. */
    private static final class ChunkedInput extends BlockInput {

        private final InputStream in;

        private long chunkLeft;

        private boolean ended;

        ChunkedInput(InputStream in) {
            this.in = in;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (ended) {
                return -1;
            }
            if (chunkLeft == 0) {
                String size = line(in);
                int extension = size.indexOf(';');
                try {
                    chunkLeft = Long.parseLong((extension >= 0 ? size.substring(0, extension) : size).trim(), 16);
                }
                catch (NumberFormatException ex) {
                    throw new IOException("not a chunk size: " + size);
                }
                if (chunkLeft == 0) {
                    for (String trailer = line(in); !trailer.isEmpty(); trailer = line(in)) {
                        // Trailers (gRPC status of a streaming call) carry nothing a caller reads.
                    }
                    ended = true;
                    return -1;
                }
            }
            int read = in.read(buffer, offset, (int) Math.min(length, chunkLeft));
            if (read < 0) {
                throw new EOFException("connection closed inside a chunk");
            }
            chunkLeft -= read;
            if (chunkLeft == 0) {
                String end = line(in);
                if (!end.isEmpty()) {
                    throw new IOException("chunk not followed by CRLF");
                }
            }
            return read;
        }
    }
}
