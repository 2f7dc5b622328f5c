package dev.leader.lan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LanBackendSettingsTest {

    @Test
    void defaultsAreAnOrganisationLocalGroupWithTtlOneAndNoQuorum() {
        LanBackendSettings settings = LanBackendSettings.builder().build();
        assertThat(settings.multicastAddress().getHostAddress()).isEqualTo(LanBackendSettings.DEFAULT_ADDRESS);
        assertThat(settings.port()).isEqualTo(LanBackendSettings.DEFAULT_PORT);
        assertThat(settings.ttl()).isEqualTo(1);
        assertThat(settings.quorum()).isZero();
        assertThat(settings.majority()).isZero();
        assertThat(settings.lease()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.replayWindow()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.heartbeatInterval()).isEqualTo(Duration.ofMillis(3333).plusNanos(333_333));
    }

    @Test
    void quorumMeansAMajorityOfTheExpectedSize() {
        assertThat(LanBackendSettings.builder().quorum(3).build().majority()).isEqualTo(2);
        assertThat(LanBackendSettings.builder().quorum(4).build().majority()).isEqualTo(3);
        assertThat(LanBackendSettings.builder().quorum(5).build().majority()).isEqualTo(3);
    }

    @Test
    void badValuesNameTheProperty() {
        assertThatIllegalArgumentException().isThrownBy(() -> LanBackendSettings.builder().multicastAddress("10.0.0.1").build())
                .withMessageContaining("leader.lan.address").withMessageContaining("multicast");
        assertThatIllegalArgumentException().isThrownBy(() -> LanBackendSettings.builder().multicastAddress("example.com"))
                .withMessageContaining("leader.lan.address");
        assertThatIllegalArgumentException().isThrownBy(() -> LanBackendSettings.builder().port(0).build())
                .withMessageContaining("leader.lan.port");
        assertThatIllegalArgumentException().isThrownBy(() -> LanBackendSettings.builder().secret("").build())
                .withMessageContaining("leader.lan.secret");
        assertThatIllegalArgumentException().isThrownBy(() -> LanBackendSettings.builder().group("a/b").build())
                .withMessageContaining("leader.lan.group");
        assertThatIllegalArgumentException().isThrownBy(() -> LanBackendSettings.builder().networkInterface(" ").build())
                .withMessageContaining("leader.lan.interface");
        assertThatIllegalArgumentException().isThrownBy(() -> LanBackendSettings.builder().quorum(-1).build())
                .withMessageContaining("leader.lan.quorum");
        assertThatIllegalArgumentException().isThrownBy(() -> LanBackendSettings.builder().ttl(0).build())
                .withMessageContaining("leader.lan.ttl");
        assertThatIllegalArgumentException().isThrownBy(() -> LanBackendSettings.builder().lease(Duration.ofMillis(100)).build())
                .withMessageContaining("leader.lease-duration");
        assertThatIllegalArgumentException().isThrownBy(
                () -> LanBackendSettings.builder().lease(Duration.ofSeconds(5)).replayWindow(Duration.ofSeconds(1)).build())
                .withMessageContaining("leader.lan.replay-window");
    }

    @Test
    void aMissingInterfaceIsRefusedWithItsName() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new LanElectionBackend(LanBackendSettings.builder().networkInterface("nosuch0").build()))
                .withMessageContaining("leader.lan.interface 'nosuch0'");
    }

    @Test
    void claimsCompareByTermThenPriorityThenLowerIdThenLowerIncarnation() {
        PeerId a = new PeerId("a", 7);
        PeerId z = new PeerId("z", 1);
        assertThat(LanPeers.beats(3, 0, z, 2, 9, a)).isTrue();
        assertThat(LanPeers.beats(2, 1, z, 2, 0, a)).isTrue();
        assertThat(LanPeers.beats(2, 0, a, 2, 0, new PeerId("b", 1))).isTrue();
        assertThat(LanPeers.beats(2, 0, new PeerId("b", 1), 2, 0, a)).isFalse();
        assertThat(LanPeers.beats(2, 0, new PeerId("a", 6), 2, 0, a)).isTrue();
        assertThat(LanPeers.beats(2, 0, a, 2, 0, new PeerId("a", 6))).isFalse();
    }

    @Test
    void handoffGraceIsATenthOfTheHeartbeatIntervalAtMost25Milliseconds() {
        assertThat(LanBackendSettings.builder().lease(Duration.ofMillis(300)).build().handoffGrace())
                .isEqualTo(Duration.ofMillis(10));
        assertThat(LanBackendSettings.builder().lease(Duration.ofSeconds(2)).build().handoffGrace())
                .isEqualTo(Duration.ofMillis(25));
        assertThat(LanBackendSettings.builder().build().handoffGrace()).isEqualTo(Duration.ofMillis(25));
    }
}
