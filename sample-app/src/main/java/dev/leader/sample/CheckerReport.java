package dev.leader.sample;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The lines a checker outside the app reads (the fault suite): one line per job run, term and
 * belief sample, appended to the file in {@code sample.report-file}, which all instances share.
 * Each line is one {@code write} on a file opened with {@code O_APPEND}, so lines of several
 * processes never interleave and their order in the file is the order they reached it, the
 * way a fenced downstream store would see them. Does nothing when the property is unset.
 */
@Component
class CheckerReport implements DisposableBean {

    private final @Nullable OutputStream out;

    CheckerReport(@Value("${sample.report-file:}") String file) {
        try {
            this.out = file.isEmpty() ? null : new FileOutputStream(file, true);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot open sample.report-file " + file, ex);
        }
    }

    boolean enabled() {
        return out != null;
    }

    void line(String line) {
        if (out == null) {
            return;
        }
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            synchronized (out) {
                out.write(bytes);
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot append to sample.report-file", ex);
        }
    }

    @Override
    public void destroy() throws IOException {
        if (out != null) {
            out.close();
        }
    }
}
