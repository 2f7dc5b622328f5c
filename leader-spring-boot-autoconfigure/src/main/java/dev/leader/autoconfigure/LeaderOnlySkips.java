package dev.leader.autoconfigure;

/** Told of every guarded call that did not run; metrics count them. */
@FunctionalInterface
public interface LeaderOnlySkips {

    void skipped(String election);
}
