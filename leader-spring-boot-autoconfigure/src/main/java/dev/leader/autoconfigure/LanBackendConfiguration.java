package dev.leader.autoconfigure;

import dev.leader.election.ElectionBackend;
import dev.leader.lan.LanBackendSettings;
import dev.leader.lan.LanElectionBackend;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The serverless LAN backend: signed multicast heartbeats among peers. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBackend("lan")
class LanBackendConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ElectionBackend leaderElectionBackend(LeaderProperties properties) {
        LeaderProperties.Lan lan = properties.getLan();
        try {
            LanBackendSettings.Builder settings = LanBackendSettings.builder().group(lan.getGroup())
                    .multicastAddress(lan.getAddress()).port(lan.getPort()).networkInterface(lan.getInterface())
                    .secret(lan.getSecret()).priority(lan.getPriority())
                    .quorum(lan.getQuorum()).ttl(lan.getTtl());
            if (properties.getLeaseDuration() != null) {
                settings.lease(properties.getLeaseDuration());
            }
            if (lan.getReplayWindow() != null) {
                settings.replayWindow(lan.getReplayWindow());
            }
            return new LanElectionBackend(settings.build());
        }
        catch (IllegalArgumentException ex) {
            throw LeaderConfigurationException.fromSettings("leader.lan", ex);
        }
    }
}
