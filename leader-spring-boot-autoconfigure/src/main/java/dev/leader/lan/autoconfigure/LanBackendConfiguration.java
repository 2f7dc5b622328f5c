package dev.leader.lan.autoconfigure;

import dev.leader.autoconfigure.ConditionalOnBackend;
import dev.leader.autoconfigure.LeaderProperties;
import dev.leader.election.ElectionBackend;
import dev.leader.lan.LanBackendSettings;
import dev.leader.lan.LanElectionBackend;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The serverless LAN backend: signed multicast heartbeats among peers. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBackend("lan")
@EnableConfigurationProperties(LanBackendProperties.class)
public final class LanBackendConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ElectionBackend leaderElectionBackend(LeaderProperties leader, LanBackendProperties properties) {
        LanBackendSettings.Builder settings = LanBackendSettings.builder();
        PropertyMapper map = PropertyMapper.get();
        map.from(properties::getGroup).to(settings::group);
        map.from(properties::getAddress).to(settings::multicastAddress);
        map.from(properties::getPort).to(settings::port);
        map.from(properties::getInterface).to(settings::networkInterface);
        map.from(properties::getSecret).to(settings::secret);
        map.from(leader::getLeaseDuration).to(settings::lease);
        map.from(properties::getPriority).to(settings::priority);
        map.from(properties::getQuorum).to(settings::quorum);
        map.from(properties::getTtl).to(settings::ttl);
        map.from(properties::getReplayWindow).to(settings::replayWindow);
        return new LanElectionBackend(settings.build());
    }
}
