/**
 * Redis implementations of the hub's SPIs for a cluster of nodes: {@link dev.realtime.redis.RedisHistoryStore},
 * {@link dev.realtime.redis.RedisBroker}, {@link dev.realtime.redis.RedisRecoveryLog},
 * {@link dev.realtime.redis.RedisPresenceStore}, plus the standalone
 * {@link dev.realtime.redis.RedisSessionRegistry}, all configured by {@link dev.realtime.redis.RedisOptions}.
 * Every component is thread-safe and closes only what it opened.
 *
 * @since 0.1
 */
package dev.realtime.redis;
