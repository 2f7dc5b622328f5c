package dev.leader.fault.app;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import dev.leader.election.Leadership;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The lines the fault suite's checker reads: one line per unit of leader-only work, term and
 * belief sample, appended to the file in {@code fault.report-file}, which all instances share.
 * Each line is one {@code write} on a file opened with {@code O_APPEND}, so lines of several
 * processes never interleave and their order in the file is the order they reached it, the
 * way a fenced downstream store would see them.
 */
@Component
class CheckerReport implements DisposableBean {

    private final OutputStream out;

    CheckerReport(@Value("${fault.report-file}") String file) {
        try {
            this.out = new FileOutputStream(file, true);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot open fault.report-file " + file, ex);
        }
    }

    /**
     * One unit of leader-only work of the given kind: {@code ran} when its term still held when
     * it finished, {@code abandoned} otherwise.
     */
    void work(String kind, Leadership term, long start, long end, boolean committed) {
        line((committed ? "ran" : "abandoned") + " job=" + kind + " election=" + term.election() + " candidate=" + term.candidateId() + " token="
                + term.fencingToken() + " start=" + start + " end=" + end);
    }

    void line(String line) {
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            synchronized (out) {
                out.write(bytes);
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot append to fault.report-file", ex);
        }
    }

    @Override
    public void destroy() throws IOException {
        out.close();
    }
}
