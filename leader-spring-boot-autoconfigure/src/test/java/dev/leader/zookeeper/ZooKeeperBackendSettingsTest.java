package dev.leader.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ZooKeeperBackendSettingsTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        ZooKeeperBackendSettings settings = ZooKeeperBackendSettings.builder("127.0.0.1:2181").build();
        assertThat(settings.root()).isEqualTo("/leader");
        assertThat(settings.sessionTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.digestAuth()).isNull();
        assertThat(settings.tls()).isNull();
        assertThat(settings.electionPath("jobs")).isEqualTo("/leader/jobs");
    }

    @Test
    void leaseDurationBecomesTheSessionTimeoutUnlessOverridden() {
        assertThat(ZooKeeperBackendSettings.builder("zk:2181").leaseDuration(Duration.ofSeconds(4)).build().sessionTimeout())
                .isEqualTo(Duration.ofSeconds(4));
        assertThat(ZooKeeperBackendSettings.builder("zk:2181").leaseDuration(Duration.ofSeconds(4))
                .sessionTimeout(Duration.ofSeconds(7)).build().sessionTimeout()).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void connectStringMayListServersAndAChroot() {
        assertThat(ZooKeeperBackendSettings.builder("a:2181,b.example:2182,[::1]:2183/apps/x").build().connectString())
                .isEqualTo("a:2181,b.example:2182,[::1]:2183/apps/x");
    }

    @Test
    void badValuesNameTheProperty() {
        assertThatIllegalArgumentException().isThrownBy(() -> ZooKeeperBackendSettings.builder("").build())
                .withMessageContaining("leader.zookeeper.connect-string");
        assertThatIllegalArgumentException().isThrownBy(() -> ZooKeeperBackendSettings.builder("host").build())
                .withMessageContaining("leader.zookeeper.connect-string").withMessageContaining("host:port");
        assertThatIllegalArgumentException().isThrownBy(() -> ZooKeeperBackendSettings.builder("h:1/").build())
                .withMessageContaining("chroot");
        assertThatIllegalArgumentException().isThrownBy(() -> ZooKeeperBackendSettings.builder("h:1").root("leader").build())
                .withMessageContaining("leader.zookeeper.root");
        assertThatIllegalArgumentException().isThrownBy(() -> ZooKeeperBackendSettings.builder("h:1").root("/a/").build())
                .withMessageContaining("leader.zookeeper.root");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ZooKeeperBackendSettings.builder("h:1").sessionTimeout(Duration.ofMillis(10)).build())
                .withMessageContaining("leader.zookeeper.session-timeout");
        assertThatIllegalArgumentException().isThrownBy(() -> ZooKeeperBackendSettings.builder("h:1").digestAuth("nopassword").build())
                .withMessageContaining("leader.zookeeper.auth");
        assertThatIllegalArgumentException().isThrownBy(() -> ZooKeeperBackendSettings.builder("h:1")
                .tls(new ZooKeeperBackendSettings.Tls(java.nio.file.Path.of("k.p12"), null, null, null)).build())
                .withMessageContaining("key-store-password");
    }

    @Test
    void toStringHidesSecrets() {
        ZooKeeperBackendSettings settings = ZooKeeperBackendSettings.builder("h:1").digestAuth("alice:s3cret")
                .tls(new ZooKeeperBackendSettings.Tls(java.nio.file.Path.of("k.p12"), "kpass", null, "tpass")).build();
        assertThat(settings.toString()).contains("alice").doesNotContain("s3cret", "kpass", "tpass");
    }
}
