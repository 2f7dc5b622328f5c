package dev.leader.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a bad {@code leader.*} setting into a start-up report naming the property. */
final class LeaderFailureAnalyzer extends AbstractFailureAnalyzer<LeaderConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, LeaderConfigurationException cause) {
        return new FailureAnalysis(cause.description() + "\n\n    Property: " + cause.property()
                + (cause.value() != null ? "\n    Value:    " + cause.value() : ""), cause.action(), cause);
    }
}
