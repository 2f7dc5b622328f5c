package dev.leader.lan;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The scenarios with each peer in a network namespace of its own, joined by a bridge: real links
 * to cut and heal. One set of namespaces per test class; skipped, with the reason, where
 * namespaces (or the one-way loss a class asks for) cannot be made.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class LanNamespaceScenarios extends LanProcessScenarios {

    protected NetnsLab lab;

    /** How many member namespaces the class's scenarios use. */
    protected abstract int namespaces();

    /** Whether the class drops packets one way between two members ({@link NetnsLab#dropBetween}). */
    protected boolean needsOneWayLoss() {
        return false;
    }

    @BeforeAll
    void createNamespaces() throws Exception {
        String reason = NetnsLab.unavailableReason();
        Assumptions.assumeTrue(reason == null, () -> "network namespace tests skipped: " + reason);
        if (needsOneWayLoss()) {
            String dropReason = NetnsLab.oneWayDropUnavailableReason();
            Assumptions.assumeTrue(dropReason == null, () -> "one-way loss tests skipped: " + dropReason);
        }
        lab = new NetnsLab(namespaces());
    }

    @AfterAll
    void deleteNamespaces() {
        if (lab != null) {
            lab.close();
        }
    }

    @Override
    protected String namespace(int i) {
        return lab.namespace(i);
    }

    @Override
    protected String networkInterface() {
        return NetnsLab.PEER_INTERFACE;
    }
}
