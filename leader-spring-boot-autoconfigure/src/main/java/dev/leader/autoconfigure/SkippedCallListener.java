package dev.leader.autoconfigure;

/** Told of every guarded call that did not run; metrics count them. */
@FunctionalInterface
public interface SkippedCallListener {

    void skipped(String election);
}
