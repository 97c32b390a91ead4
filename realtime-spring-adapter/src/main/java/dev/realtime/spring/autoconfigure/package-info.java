/**
 * Spring Boot auto-configuration of the realtime hub: {@link dev.realtime.spring.autoconfigure.RealtimeProperties}
 * ({@code realtime.*}), the hub and job publisher beans, JWT, Redis, the servlet WebSocket endpoints, Micrometer
 * metrics and the Actuator health indicator. Registered through
 * {@code META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports}; never component-scanned.
 *
 * @since 0.1
 */
package dev.realtime.spring.autoconfigure;
