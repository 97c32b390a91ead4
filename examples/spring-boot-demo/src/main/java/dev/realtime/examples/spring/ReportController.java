package dev.realtime.examples.spring;

import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /api/reports} starts a report job and answers {@code {"jobId": "..."}} at once (202). */
@RestController
@RequestMapping("/api/reports")
public class ReportController {
    private final ReportService reports;

    public ReportController(ReportService reports) {
        this.reports = reports;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.ACCEPTED)
    public Map<String, String> start(@RequestBody(required = false) Map<String, String> body) {
        String jobId = UUID.randomUUID().toString().substring(0, 8);
        String title = body != null && body.get("title") != null ? body.get("title") : "Monthly report";
        reports.generate(jobId, title);
        return Map.of("jobId", jobId);
    }
}
