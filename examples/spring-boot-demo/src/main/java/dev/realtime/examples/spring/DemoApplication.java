package dev.realtime.examples.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableAsync;

/**
 * A Spring Boot app with live job progress: {@code POST /api/reports} starts a report job, the page at {@code /}
 * watches it over the native protocol at {@code /ws}. Everything realtime is auto-configured by
 * {@code realtime-spring-adapter}.
 *
 * <pre>
 * java -jar examples/spring-boot-demo/target/realtime-spring-demo.jar --server.port=8081
 * </pre>
 */
@SpringBootApplication
@EnableAsync
public class DemoApplication {

    public static void main(String[] args) {
        SpringApplication.run(DemoApplication.class, args);
    }
}
