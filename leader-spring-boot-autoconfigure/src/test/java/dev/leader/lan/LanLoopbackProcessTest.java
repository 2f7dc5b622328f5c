package dev.leader.lan;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Several JVMs on {@code lo}: runs everywhere, namespaces or not. */
class LanLoopbackProcessTest extends LanProcessScenarios {

    @BeforeAll
    static void enableMulticastOnLoopback() throws Exception {
        LoopbackMulticast.enable();
    }

    @Override
    protected String namespace(int i) {
        return null;
    }

    @Override
    protected String networkInterface() {
        return LoopbackMulticast.INTERFACE;
    }

    @Test
    void threeJvmsFailOverAfterKillAndHandOverAfterTerm() throws Exception {
        failOverAfterKillAndHandOverAfterTerm();
    }

    @Test
    void aStalledBestPeerIsPassedOverInAHandOff() throws Exception {
        stalledBestPeerIsPassedOverInAHandOff();
    }
}
