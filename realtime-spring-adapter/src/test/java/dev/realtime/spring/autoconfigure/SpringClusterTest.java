package dev.realtime.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.realtime.core.RealtimeHub;
import dev.realtime.jakarta.client.RealtimeClient;
import dev.realtime.jakarta.client.RealtimeEvent;
import dev.realtime.jakarta.client.SubscribeResult;
import dev.realtime.redis.RedisTestServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two Spring Boot applications on real Tomcats sharing one real redis-server through the auto-configured
 * {@code RedisBackend}: presence joined on A is seen on B, and a client whose node went away resumes on the other
 * with exactly the events it missed.
 */
@Timeout(90)
class SpringClusterTest {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
    }

    private static ConfigurableApplicationContext app(String redisUrl, String prefix) {
        return new SpringApplicationBuilder(App.class).run("--server.port=0", "--realtime.redis.url=" + redisUrl,
                "--realtime.redis.key-prefix=" + prefix, "--spring.main.banner-mode=off");
    }

    private static int port(ConfigurableApplicationContext ctx) {
        return ((ServletWebServerApplicationContext) ctx).getWebServer().getPort();
    }

    private static RealtimeClient client(int port) throws Exception {
        RealtimeClient c = RealtimeClient.builder(URI.create("ws://127.0.0.1:" + port + "/ws")).build();
        c.connect().get(10, TimeUnit.SECONDS);
        return c;
    }

    @Test
    void presenceAndResumeWorkAcrossTwoSpringBootNodes() throws Exception {
        String prefix = "spring-cluster-" + System.nanoTime() + ":";
        try (RedisTestServer redis = RedisTestServer.start(false);
             ConfigurableApplicationContext a = app(redis.url(), prefix);
             ConfigurableApplicationContext b = app(redis.url(), prefix)) {
            RealtimeHub hubA = a.getBean(RealtimeHub.class);
            RealtimeHub hubB = b.getBean(RealtimeHub.class);

            // presence: a member joined on A is present on B
            try (RealtimeClient member = client(port(a))) {
                member.subscribe("session:s1").get(10, TimeUnit.SECONDS);
                await().atMost(Duration.ofSeconds(10)).until(() -> !hubB.presence("session:s1").isEmpty());
                assertThat(hubB.presence("session:s1")).isEqualTo(hubA.presence("session:s1"));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> hubB.presence("session:s1").isEmpty());

            // resume: a client reaches offset 3 on A; A goes away; 5 more events on B; it resumes on B from 3
            String job = "spring-" + System.nanoTime();
            List<Long> seen = new CopyOnWriteArrayList<>();
            SubscribeResult first;
            try (RealtimeClient onA = client(port(a))) {
                onA.on("job:progress", (RealtimeEvent e) -> seen.add(e.offset()));
                first = onA.subscribe("job:" + job).get(10, TimeUnit.SECONDS);
                for (int i = 1; i <= 3; i++) {
                    hubA.jobs().progress(job, i * 10, null);
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 3);
            }
            a.close();
            for (int i = 4; i <= 8; i++) {
                hubB.jobs().progress(job, i * 10, null);
            }
            try (RealtimeClient onB = client(port(b))) {
                onB.on("job:progress", (RealtimeEvent e) -> seen.add(e.offset()));
                SubscribeResult resumed = onB.subscribe("job:" + job, 3, seen.isEmpty() ? null
                        : hubB.history("job:" + job, 0, 1).position().epoch()).get(10, TimeUnit.SECONDS);
                assertThat(resumed.recovered()).isTrue();
                await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 8);
            }
            assertThat(seen).containsExactlyElementsOf(LongStream.rangeClosed(1, 8).boxed().toList());
            assertThat(first.room()).isEqualTo("job:" + job);
        }
    }
}
