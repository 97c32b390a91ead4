// Types of @realtime/browser (realtime.js): the browser client of the realtime native protocol.

/** Connection states: `open` is the only one where `isConnected` is true. */
export type ConnectionState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'failed' | 'closed';
export type TransportName = 'websocket' | 'sse';

/** Error codes of the server (`bad_request` ... `internal`) and of the client itself. */
export type ErrorCode =
  | 'bad_request' | 'unauthorized' | 'forbidden' | 'not_found' | 'rate_limited' | 'too_large'
  | 'unknown_event' | 'unavailable' | 'internal'
  | 'timeout' | 'queue_full' | 'disconnected' | 'closed';

export class RealtimeError extends Error {
  readonly code: ErrorCode | string;
  constructor(code: ErrorCode | string, message?: string);
}

/** What `on(type, handler)` receives: seed-style `message.data` plus where it came from. */
export interface RealtimeMessage<T = unknown> {
  /** The event name, e.g. `quiz_status`. */
  type: string;
  data: T;
  /** The room (history stream) of the event; absent for direct and broadcast events. */
  room?: string;
  offset?: number;
  epoch?: string;
}

export interface Position {
  offset: number;
  epoch: string;
}

export interface SubscribeResult {
  room: string;
  offset?: number;
  epoch?: string;
  /** `false`: history did not reach back (a gap); the room's current state follows. */
  recovered?: boolean;
}

export interface RealtimeOptions {
  /** The server's base URL (http or https). Default: the page's origin. */
  url?: string;
  /** Native WebSocket path. Default `/ws`. */
  wsPath?: string;
  /** SSE fallback path. Default `/sse`. */
  ssePath?: string;
  /** A token, or a function giving one (asked at every connect); sent as `?token=`. */
  token?: string | (() => string | Promise<string>);
  /** Rooms followed from the start, e.g. `['user:alice']`. */
  rooms?: string[];
  /** Consecutive failed attempts before state `failed`. Default 5; `Infinity` never gives up. */
  maxReconnectAttempts?: number;
  /** First backoff step in ms (doubling, jittered within its upper half). Default 1000. */
  reconnectDelay?: number;
  /** Backoff cap in ms. Default 30000. */
  maxReconnectDelay?: number;
  /** Heartbeat interval until the server announces its own. Default 30000. */
  heartbeatInterval?: number;
  /** Silence tolerated beyond the heartbeat interval before the connection counts as dead. Default 10000. */
  heartbeatTimeout?: number;
  /** Messages kept while offline. Default 100. */
  maxQueue?: number;
  /** Time an emit waits for its ack, in ms. Default 10000. */
  ackTimeout?: number;
  /** Transports in order of preference. Default `['websocket', 'sse']`. */
  transports?: TransportName[];
  /** WebSocket attempts failing before they open, in a row, before SSE is used. Default 1. */
  fallbackAfter?: number;
  /** While on SSE, how often WebSocket is tried again, in ms. Default 30000. */
  upgradeInterval?: number;
  /** For tests and other runtimes. */
  WebSocket?: unknown;
  EventSource?: unknown;
  fetch?: (url: string, init: object) => Promise<{ ok: boolean; status: number }>;
  timers?: { setTimeout(fn: () => void, ms: number): unknown; clearTimeout(id: unknown): void };
  random?: () => number;
}

/**
 * One logical connection: WebSocket, or SSE when WebSocket cannot connect (and back when it can), reconnecting
 * with backoff and resuming every room from its last offset. Handlers run on the page's event loop, one at a time.
 */
export class RealtimeClient {
  constructor(options?: RealtimeOptions);
  readonly isConnected: boolean;
  readonly state: ConnectionState;
  readonly transport: TransportName | null;
  readonly clientId: string | null;
  /** Messages waiting for a connection. */
  readonly queued: number;
  readonly rooms: string[];
  position(room: string): Position | undefined;
  connect(): this;
  close(): void;
  /** `'*'` receives every event. Returns the function that removes the handler. */
  on<T = unknown>(type: string, handler: (message: RealtimeMessage<T>) => void): () => void;
  off(type: string, handler: (message: RealtimeMessage<any>) => void): void;
  onState(handler: (state: ConnectionState, info: { transport: TransportName | null }) => void): () => void;
  onGap(handler: (gap: SubscribeResult) => void): () => void;
  onError(handler: (error: RealtimeError) => void): () => void;
  subscribe(room: string): Promise<SubscribeResult>;
  unsubscribe(room: string): void;
  /** Resolves with the server's ack data; rejects with a RealtimeError (`queue_full`, `timeout`, a server code...). */
  emit<R = unknown>(event: string, data?: unknown, options?: { timeout?: number }): Promise<R>;
  /** Fire and forget; false when offline and the queue is full. */
  send(event: string, data?: unknown): boolean;
}

export function createRealtime(options?: RealtimeOptions): RealtimeClient;
export function backoffDelay(attempt: number, base: number, max: number, random?: () => number): number;
export function encodePositions(positions: Iterable<[string, Position | null | undefined]>): string;
export class BoundedQueue<T = unknown> {
  constructor(max: number);
  readonly max: number;
  readonly length: number;
  push(item: T): boolean;
  drain(): T[];
}

// Payloads of the five pushes (the `data` of each message type).
export interface QuizStatusData { jobId: string; quizId: string; status: string; progress: number; message?: string; stage?: string }
export interface QuestionReplaceData { jobId: string; quizId: string; questionIndex: number; status: string; progress: number; message?: string; question?: unknown }
export interface DocumentProcessingData { documentId: string; userId: string; status: 'uploaded' | 'processing' | 'completed' | 'failed'; progress: number; message?: string; filename?: string; timestamp: string }
export interface AnalyticsUpdateData { educatorId: string; updates: Record<string, unknown>; timestamp: string }
export interface NotificationData { id: string; userId?: string; title: string; message: string; level: 'info' | 'success' | 'warning' | 'error'; data?: unknown; timestamp: string }
