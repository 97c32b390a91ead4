package dev.realtime.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realtime.core.Client;
import dev.realtime.core.RealtimeHub;
import dev.realtime.core.interview.InterviewGateway;
import dev.realtime.core.interview.SessionAccess;
import dev.realtime.core.interview.SessionDirectory;
import dev.realtime.core.interview.Transcriber;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The interview gateway bean: off by default; on by property, with the join rule, transcriber and suggester. */
class RealtimeInterviewAutoConfigurationTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RealtimeAutoConfiguration.class,
                    RealtimeInterviewAutoConfiguration.class));

    @Test
    void offUnlessEnabled() {
        runner.run(ctx -> assertThat(ctx).doesNotHaveBean(InterviewGateway.class));
    }

    @Test
    void enabledGivesAGatewayWithTheJoinRuleAndYourBeansWin() {
        Transcriber mine = Transcriber.unavailable("mine");
        runner.withPropertyValues("realtime.interview.enabled=true")
                .withBean(SessionDirectory.class, SessionDirectory::anyAuthenticatedUser)
                .withBean(Transcriber.class, () -> mine)
                .run(ctx -> {
                    assertThat(ctx).hasSingleBean(InterviewGateway.class).hasSingleBean(SessionAccess.class);
                    assertThat(ctx.getBean(Transcriber.class)).isSameAs(mine);
                    assertThat(ctx.getBean(RealtimeHub.class).namespace("/interview").name()).isEqualTo("/interview");
                    assertThat(ctx.getBean(SessionAccess.class).test(dummy(), "session:s1"))
                            .as("no principal: refused by the hub-side rule").isFalse();
                    assertThat(ctx.getBean(InterviewGateway.class).stats().sessions()).isZero();
                });
    }

    private static Client dummy() {
        return (Client) java.lang.reflect.Proxy.newProxyInstance(Client.class.getClassLoader(),
                new Class<?>[] {Client.class}, (p, m, a) -> m.isDefault()
                        ? java.lang.reflect.InvocationHandler.invokeDefault(p, m, a) : null);
    }
}
