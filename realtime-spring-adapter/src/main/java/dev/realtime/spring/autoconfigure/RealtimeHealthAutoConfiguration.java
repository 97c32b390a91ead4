package dev.realtime.spring.autoconfigure;

import dev.realtime.core.RealtimeHub;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Registers {@link RealtimeHealthIndicator} as the {@code realtime} health contributor when Spring Boot Actuator
 * is on the classpath; {@code management.health.realtime.enabled=false} turns it off.
 *
 * @since 0.1
 */
@AutoConfiguration(after = RealtimeAutoConfiguration.class)
@ConditionalOnClass({RealtimeHub.class, HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class})
@ConditionalOnBean(RealtimeHub.class)
@ConditionalOnEnabledHealthIndicator("realtime")
public class RealtimeHealthAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "realtimeHealthIndicator")
    public RealtimeHealthIndicator realtimeHealthIndicator(RealtimeHub hub) {
        return new RealtimeHealthIndicator(hub);
    }
}
