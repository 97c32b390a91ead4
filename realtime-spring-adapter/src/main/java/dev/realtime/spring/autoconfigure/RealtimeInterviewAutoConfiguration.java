package dev.realtime.spring.autoconfigure;

import dev.realtime.core.RealtimeHub;
import dev.realtime.core.interview.InterviewGateway;
import dev.realtime.core.interview.OfflineSuggester;
import dev.realtime.core.interview.PocketsphinxTranscriber;
import dev.realtime.core.interview.SessionAccess;
import dev.realtime.core.interview.SessionDirectory;
import dev.realtime.core.interview.Suggester;
import dev.realtime.core.interview.Transcriber;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Seed 003's interview gateway on {@code /interview} when {@code realtime.interview.enabled=true}: an
 * {@link InterviewGateway} bean (closed with the context) with the join rule {@link SessionAccess} over your
 * {@link SessionDirectory} bean (default: an empty {@link SessionDirectory#inMemory()}, so only admins join until
 * you add participants; declare {@code SessionDirectory.anyAuthenticatedUser()} or {@code fromClaim("sessions")}
 * as a bean instead), the same rule given to the hub through a {@link RealtimeHubCustomizer}, the offline
 * transcriber ({@link PocketsphinxTranscriber#detect()}) and {@link OfflineSuggester} unless you declare a
 * {@link Transcriber} or {@link Suggester}.
 *
 * @since 0.2
 */
@AutoConfiguration(before = RealtimeAutoConfiguration.class)
@ConditionalOnClass(InterviewGateway.class)
@ConditionalOnProperty(prefix = "realtime.interview", name = "enabled", havingValue = "true")
public class RealtimeInterviewAutoConfiguration {

    /** Participants registered by the application; only admins may join until it adds some. */
    @Bean
    @ConditionalOnMissingBean
    public SessionDirectory realtimeSessionDirectory() {
        return SessionDirectory.inMemory();
    }

    /** Participant or admin. */
    @Bean
    @ConditionalOnMissingBean
    public SessionAccess realtimeSessionAccess(SessionDirectory directory) {
        return SessionAccess.of(directory);
    }

    /** Gives the join rule to the hub, so native subscribes and recoveries of {@code session:*} obey it too. */
    @Bean
    public RealtimeHubCustomizer realtimeInterviewRooms(SessionAccess access) {
        return hub -> hub.allowRooms(SessionAccess.PREFIX, access);
    }

    /** Offline speech to text when pocketsphinx is installed, else {@code unavailable} with how to enable it. */
    @Bean
    @ConditionalOnMissingBean
    public Transcriber realtimeTranscriber() {
        return PocketsphinxTranscriber.detect();
    }

    /** Offline answer suggestions. */
    @Bean
    @ConditionalOnMissingBean
    public Suggester realtimeSuggester() {
        return new OfflineSuggester();
    }

    /** The gateway: registers the session, audio and transcription events on {@code /interview}. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public InterviewGateway realtimeInterviewGateway(RealtimeHub hub, SessionAccess access, Transcriber transcriber,
                                                     Suggester suggester) {
        return InterviewGateway.builder(hub).access(access).transcriber(transcriber).suggester(suggester).build();
    }
}
