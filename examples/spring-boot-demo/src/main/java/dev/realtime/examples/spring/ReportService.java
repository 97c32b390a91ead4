package dev.realtime.examples.spring;

import dev.realtime.core.jobs.JobPublisher;
import java.time.Duration;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Service;

/** Builds a (pretend) report step by step and reports progress to everyone watching {@code job:{id}}. */
@Service
public class ReportService {
    private static final String[] STEPS = {"Loading data", "Aggregating", "Rendering charts", "Writing PDF"};

    private final JobPublisher jobs;
    private final Duration stepDelay;

    public ReportService(JobPublisher jobs, @Value("${demo.step-delay:700ms}") Duration stepDelay) {
        this.jobs = jobs;
        this.stepDelay = stepDelay;
    }

    /** Runs on Spring's task executor; the caller returns at once. */
    @Async
    public void generate(String jobId, String title) {
        try {
            jobs.update(jobId, "started", Map.of("title", title));
            for (int i = 0; i < STEPS.length; i++) {
                Thread.sleep(stepDelay.toMillis()); // the real work would go here
                jobs.progress(jobId, (i + 1) * 100 / (STEPS.length + 1), STEPS[i]);
            }
            Thread.sleep(stepDelay.toMillis());
            jobs.completed(jobId, Map.of("title", title, "pages", 12, "url", "/reports/" + jobId + ".pdf"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            jobs.failed(jobId, "interrupted");
        } catch (RuntimeException e) {
            jobs.failed(jobId, e);
        }
    }
}
