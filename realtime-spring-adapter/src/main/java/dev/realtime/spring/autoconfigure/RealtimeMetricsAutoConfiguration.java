package dev.realtime.spring.autoconfigure;

import dev.realtime.core.RealtimeHub;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Registers {@link RealtimeMetrics} (a {@link io.micrometer.core.instrument.binder.MeterBinder}, bound to every
 * registry by Spring Boot Actuator) when Micrometer is on the classpath and a {@link MeterRegistry} bean exists.
 *
 * @since 0.1
 */
@AutoConfiguration(after = RealtimeAutoConfiguration.class, afterName = {
        "org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration"})
@ConditionalOnClass({RealtimeHub.class, MeterRegistry.class})
@ConditionalOnBean({RealtimeHub.class, MeterRegistry.class})
public class RealtimeMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public RealtimeMetrics realtimeMetrics(RealtimeHub hub) {
        return new RealtimeMetrics(hub);
    }
}
