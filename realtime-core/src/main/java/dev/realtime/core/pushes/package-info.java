/**
 * Application pushes to a user's browsers ({@code notification}, {@code analytics_update},
 * {@code document_processing}), built on the public {@link dev.realtime.core.RealtimeHub} API: see
 * {@link dev.realtime.core.pushes.PushPublisher}.
 */
package dev.realtime.core.pushes;
