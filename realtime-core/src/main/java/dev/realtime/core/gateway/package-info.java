/**
 * The gateways existing frontends speak (seeds 000, 002, 003), written on the public application API alone, the
 * way an application writes its own: {@link dev.realtime.core.gateway.JobsGateway} ({@code /jobs}),
 * {@link dev.realtime.core.gateway.QuizGreeting} ({@code /quiz}) and
 * {@link dev.realtime.core.gateway.InterviewGreeting} ({@code /interview}; its sessions are
 * {@link dev.realtime.core.interview.InterviewGateway}). The hub installs them on its
 * Socket.IO namespaces; nothing here imports {@code dev.realtime.core.internal} (an ArchUnit rule checks it).
 */
package dev.realtime.core.gateway;
