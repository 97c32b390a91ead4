/**
 * The public API of realtime: {@link dev.realtime.core.RealtimeHub} (rooms, publishing, handlers, namespaces),
 * {@link dev.realtime.core.Client}, the {@link dev.realtime.core.Transport} SPI for adapters and the
 * {@link dev.realtime.core.ClusterBackend} bundle for clusters.
 *
 * <h2>Threads the library creates</h2>
 * Whoever creates a thread or executor shuts it down; every thread is a daemon and named
 * ({@link dev.realtime.core.DaemonThreads#named}: a prefix and a counter, so a single thread ends in {@code -1}).
 * <table>
 *   <caption>Threads</caption>
 *   <tr><th>name</th><th>owner (closed by)</th><th>count</th><th>what runs there</th></tr>
 *   <tr><td>{@code realtime-scheduler-1}</td><td>{@code RealtimeHub} (unless a scheduler is given)</td><td>1</td>
 *       <td>heartbeat sweep, Engine.IO timers, recovery-log expiry; never store I/O (refreshes are handed
 *       to the handler pool)</td></tr>
 *   <tr><td>{@code realtime-handler-N}</td><td>{@code RealtimeHub} (unless an executor is given)</td>
 *       <td>{@code max(4, 2 × cores)}</td><td>each connection's serial executors (its opening and inbound frames in
 *       order, then its application handlers in order), history hole fills and catch-ups, slow-consumer
 *       teardowns, presence and registry refreshes and writes</td></tr>
 *   <tr><td>{@code realtime-writer-N}</td><td>{@code RealtimeHub}</td><td>cores</td>
 *       <td>connections' write loops</td></tr>
 *   <tr><td>{@code quiz-worker-N}, {@code quiz-outbox-N}, {@code quiz-heartbeat-1}</td><td>{@code QuizPipeline}</td>
 *       <td>configured, 2, 1</td><td>page extraction and question generation; a run's emits and job publishes in
 *       order; run heartbeats</td></tr>
 *   <tr><td>{@code question-flow-N}, {@code question-flow-timeout-1}</td><td>{@code QuestionFlow}</td>
 *       <td>configured, 1</td><td>{@code question:generate} generations (bounded queue); their deadlines</td></tr>
 *   <tr><td>{@code contest-gateway-1}</td><td>{@code ContestGateway} (unless a scheduler is given)</td><td>1</td>
 *       <td>contest windows, leaderboard coalescing, start/end announcements</td></tr>
 *   <tr><td>{@code interview-transcription-N}, {@code interview-cleanup-1}</td><td>{@code InterviewGateway}
 *       (unless an executor is given)</td><td>configured, 1</td><td>transcriptions (bounded queue); idle
 *       cleanup</td></tr>
 *   <tr><td>{@code realtime-redis-subscriber-NODE}</td><td>{@code RedisBroker} (realtime-redis)</td><td>1</td>
 *       <td>the pub/sub subscription; it only hands envelopes to the hub and schedules catch-ups</td></tr>
 *   <tr><td>{@code realtime-http-guard-1}</td><td>{@code RealtimeServer} (realtime-jakarta)</td><td>1</td>
 *       <td>the connection guard's deadline sweep (header, idle and body-rate timeouts); heartbeat comments of
 *       Server-Sent Events streams (non-blocking writes)</td></tr>
 *   <tr><td>{@code realtime-http-N}</td><td>{@code RealtimeServer}'s Grizzly transport</td>
 *       <td>{@code ServerLimits.workerThreads}</td><td>HTTP routes, Engine.IO polling, WebSocket callbacks</td></tr>
 *   <tr><td>{@code realtime-client-N-1}, {@code realtime-client-N-connect-1}</td><td>{@code RealtimeClient}
 *       (realtime-jakarta)</td><td>1 + 1 per client</td><td>the client's events, timers and listeners; its
 *       blocking connects and closes</td></tr>
 * </table>
 */
package dev.realtime.core;
