package dev.leader.election;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** Default candidate ids name the host and the process, and differ per call. */
class CandidateIdsTest {

    @Test
    void generatedIdNamesTheHostAsTheSystemDoesThenThePidThenARandomPart() throws Exception {
        String id = CandidateIds.generate();
        String env = System.getenv("HOSTNAME");
        String host = env != null && !env.isBlank() ? env : InetAddress.getLocalHost().getHostName();
        assertThat(id).startsWith(host + ":" + ProcessHandle.current().pid() + ":");
        assertThat(CandidateIds.generate()).isNotEqualTo(id);
    }

    @Test
    void blankIdsAndControlCharactersAreRefusedNamingTheProperty() {
        assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(() -> CandidateIds.requireValid("leader.candidate-id", " "))
                .withMessageContaining("leader.candidate-id");
        assertThatExceptionOfType(InvalidSettingException.class)
                .isThrownBy(() -> CandidateIds.requireValid("leader.candidate-id", "a\nb"));
    }
}
