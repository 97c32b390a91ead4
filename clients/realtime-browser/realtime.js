// @realtime/browser: the browser client of the realtime native protocol (WebSocket, Server-Sent Events as the
// fallback). An ES module without dependencies; types in realtime.d.ts. See README.md in this folder.

const DEFAULTS = Object.freeze({
  url: undefined, // the server's base URL (http or https); default: the page's origin
  wsPath: '/ws',
  ssePath: '/sse',
  token: undefined, // a string, or a function returning one (or a Promise of one), asked at every connect
  rooms: [],
  maxReconnectAttempts: 5, // consecutive failed attempts before giving up (state 'failed'); Infinity: never
  reconnectDelay: 1000, // first backoff step; doubles per attempt, with jitter
  maxReconnectDelay: 30000,
  heartbeatInterval: 30000, // until the server says its own (heartbeatMs)
  heartbeatTimeout: 10000, // silence beyond interval + timeout: the connection is dead
  maxQueue: 100, // messages kept while offline; beyond it emit() rejects with 'queue_full'
  ackTimeout: 10000,
  transports: ['websocket', 'sse'],
  fallbackAfter: 1, // WebSocket attempts that fail before opening, in a row, before using SSE
  upgradeInterval: 30000, // while on SSE, how often to try WebSocket again
});

/** An error with a protocol code: bad_request, unauthorized, forbidden, ..., or timeout, queue_full, disconnected, closed. */
export class RealtimeError extends Error {
  constructor(code, message) {
    super(message || code);
    this.name = 'RealtimeError';
    this.code = code;
  }
}

/** The delay before reconnect attempt `attempt` (0-based): exponential, capped, jittered within its upper half. */
export function backoffDelay(attempt, base, max, random = Math.random) {
  const ceiling = Math.min(max, base * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** A FIFO that refuses items beyond its bound. */
export class BoundedQueue {
  constructor(max) {
    if (!(max >= 0)) throw new RangeError('max must be >= 0');
    this.max = max;
    this.items = [];
  }
  push(item) {
    if (this.items.length >= this.max) return false;
    this.items.push(item);
    return true;
  }
  drain() {
    const all = this.items;
    this.items = [];
    return all;
  }
  get length() {
    return this.items.length;
  }
}

/** Room positions as the server's SSE ids and `since` carry them: `room|offset|epoch,room|offset|epoch`. */
export function encodePositions(positions) {
  const parts = [];
  for (const [room, p] of positions) if (p) parts.push(`${room}|${p.offset}|${p.epoch}`);
  return parts.join(',');
}

export class RealtimeClient {
  #o;
  #timers;
  #handlers = new Map(); // type -> Set<handler>
  #listeners = { state: new Set(), gap: new Set(), error: new Set() };
  #rooms = new Map(); // room -> { position: {offset, epoch} | null, info: last subscribed, waiters: [] }
  #pending = new Map(); // emit id -> { resolve, reject, timer }
  #queue;
  #nextId = 1;
  #state = 'idle';
  #conn = null; // the transport frames are taken from
  #probe = null; // a WebSocket tried while on SSE
  #attempts = 0;
  #wsFailures = 0;
  #reconnectTimer = null;
  #heartbeatTimer = null;
  #upgradeTimer = null;
  #heartbeatMs;
  #clientId = null;
  #closed = false;
  #notified = null; // the transport of the last state notification

  constructor(options = {}) {
    this.#o = { ...DEFAULTS, ...options };
    const g = globalThis;
    this.#o.WebSocket = options.WebSocket || g.WebSocket;
    this.#o.EventSource = options.EventSource || g.EventSource;
    this.#o.fetch = options.fetch || (g.fetch && g.fetch.bind(g));
    this.#o.random = options.random || Math.random;
    this.#timers = options.timers || { setTimeout: g.setTimeout.bind(g), clearTimeout: g.clearTimeout.bind(g) };
    this.#queue = new BoundedQueue(this.#o.maxQueue);
    this.#heartbeatMs = this.#o.heartbeatInterval;
    for (const room of this.#o.rooms) this.#rooms.set(room, { position: null, waiters: [] });
  }

  /** True while a transport is open and greeted (seed 001's `ws.isConnected`). */
  get isConnected() { return this.#state === 'open'; }
  /** idle, connecting, open, reconnecting, failed or closed. */
  get state() { return this.#state; }
  /** 'websocket', 'sse', or null when not connected. */
  get transport() { return this.#state === 'open' && this.#conn ? this.#conn.kind : null; }
  get clientId() { return this.#clientId; }
  /** Messages waiting for a connection. */
  get queued() { return this.#queue.length; }
  /** The last position seen in a room: { offset, epoch }, or undefined. */
  position(room) { return this.#rooms.get(room)?.position || undefined; }
  get rooms() { return [...this.#rooms.keys()]; }

  /** Calls `handler(message)` for every event of `type` ('*' for all); message = { type, data, room, offset, epoch }. Returns the unsubscribe function. */
  on(type, handler) {
    if (!this.#handlers.has(type)) this.#handlers.set(type, new Set());
    this.#handlers.get(type).add(handler);
    return () => this.off(type, handler);
  }
  off(type, handler) { this.#handlers.get(type)?.delete(handler); }
  /** `handler(state, { transport })` on every connection-state change. */
  onState(handler) { return this.#listen('state', handler); }
  /** `handler({ room, offset, epoch })` when a resume could not be gap-free (recovered:false): reload that state. */
  onGap(handler) { return this.#listen('gap', handler); }
  /** `handler(RealtimeError)` for errors not tied to a request. */
  onError(handler) { return this.#listen('error', handler); }

  connect() {
    if (this.#state !== 'idle' && this.#state !== 'failed') return this;
    globalThis.addEventListener?.('online', this.#online);
    this.#closed = false;
    this.#attempts = 0;
    this.#setState('connecting');
    this.#open();
    return this;
  }

  close() {
    globalThis.removeEventListener?.('online', this.#online);
    this.#closed = true;
    this.#clear('reconnect');
    this.#clear('heartbeat');
    this.#clear('upgrade');
    this.#conn?.close();
    this.#probe?.close();
    this.#conn = this.#probe = null;
    this.#failAll('closed', 'the client was closed', true);
    this.#setState('closed');
  }

  /** Follows a room; resolves with { room, offset, epoch, recovered } once the server confirms. */
  subscribe(room) {
    let r = this.#rooms.get(room);
    const fresh = !r;
    if (fresh) this.#rooms.set(room, (r = { position: null, waiters: [] }));
    if (!fresh && r.info && this.isConnected && this.#conn.kind === 'sse') return Promise.resolve(r.info); // already followed
    const confirmed = new Promise((resolve, reject) => r.waiters.push({ resolve, reject }));
    if (this.isConnected) {
      if (this.#conn.kind === 'websocket') this.#conn.send([this.#subscribeMessage(room)]);
      else if (fresh) this.#reopen(); // an SSE stream's rooms are in its URL
    }
    return confirmed;
  }

  unsubscribe(room) {
    if (!this.#rooms.delete(room)) return;
    if (this.isConnected && this.#conn.kind === 'websocket') this.#conn.send([{ type: 'unsubscribe', id: this.#id(), room }]);
    else if (this.isConnected) this.#reopen();
  }

  /** Sends a client event; resolves with the server's ack data. Queued (bounded) while offline. */
  emit(event, data, { timeout } = {}) {
    return new Promise((resolve, reject) => {
      const item = { msg: { type: 'emit', id: this.#id(), event, data }, resolve, reject, timeout: timeout ?? this.#o.ackTimeout };
      this.#enqueue(item);
    });
  }

  /** Sends a client event without asking for an ack; false when offline and the queue is full. */
  send(event, data) {
    return this.#enqueue({ msg: { type: 'emit', event, data } });
  }

  // ---- connection ------------------------------------------------------------------------------------

  /** The browser is back online: a pending reconnect goes now instead of after its backoff. */
  #online = () => {
    if (this.#reconnectTimer == null || this.#closed) return;
    this.#clear('reconnect');
    this.#open();
  };

  async #open() {
    if (this.#closed || this.#conn) return;
    const o = this.#o;
    const canWs = o.transports.includes('websocket') && typeof o.WebSocket === 'function';
    const canSse = o.transports.includes('sse') && typeof o.EventSource === 'function';
    const useSse = canSse && (!canWs || this.#wsFailures >= o.fallbackAfter);
    let token;
    try {
      token = typeof o.token === 'function' ? await o.token() : o.token;
    } catch (e) {
      this.#emitError(new RealtimeError('unauthorized', 'the token function failed: ' + e));
      this.#retry();
      return;
    }
    if (this.#closed || this.#conn) return; // closed, or another attempt (a promoted probe) won meanwhile
    if (useSse) this.#conn = this.#openSse(token);
    else if (canWs) this.#conn = this.#openWebSocket(token);
    else {
      this.#emitError(new RealtimeError('unavailable', 'neither WebSocket nor EventSource is available'));
      this.#setState('failed');
      return;
    }
    this.#armHeartbeat();
  }

  #url(path, token) {
    const base = this.#o.url || globalThis.location?.origin;
    const u = new URL(path, base);
    if (token) u.searchParams.set('token', token);
    return u;
  }

  #openWebSocket(token) {
    const u = this.#url(this.#o.wsPath, token);
    u.protocol = u.protocol === 'https:' ? 'wss:' : u.protocol === 'http:' ? 'ws:' : u.protocol;
    const ws = new this.#o.WebSocket(u.toString());
    const t = { kind: 'websocket', opened: false, done: false };
    t.send = (msgs) => { for (const m of msgs) ws.send(JSON.stringify(m)); };
    t.close = () => { t.done = true; try { ws.close(1000, 'client closed'); } catch { /* already closed */ } };
    ws.onopen = () => { t.opened = true; };
    ws.onmessage = (e) => this.#frame(t, e.data);
    ws.onclose = (e) => { if (!t.done) { t.done = true; this.#lost(t, e.code, e.reason); } };
    ws.onerror = () => { /* a close follows */ };
    return t;
  }

  #openSse(token) {
    const o = this.#o;
    const u = this.#url(o.ssePath, token);
    if (this.#rooms.size) u.searchParams.set('rooms', [...this.#rooms.keys()].join(','));
    const since = encodePositions([...this.#rooms].map(([room, r]) => [room, r.position]));
    if (since) u.searchParams.set('since', since);
    const es = new o.EventSource(u.toString(), { withCredentials: true });
    const t = { kind: 'sse', opened: false, done: false, key: null, outbox: [], posting: false };
    const post = async () => {
      if (!t.key || t.posting || !t.outbox.length || t.done) return;
      t.posting = true;
      const batch = t.outbox.splice(0, 100);
      try {
        // text/plain keeps this a simple request (no CORS preflight); the body is JSON
        const r = await o.fetch(this.#url(o.ssePath + '/' + t.key).toString(),
          { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: JSON.stringify(batch), credentials: 'include' });
        if (!r.ok) this.#emitError(new RealtimeError(r.status === 404 ? 'not_found' : 'unavailable', 'SSE post answered ' + r.status));
      } catch (e) {
        this.#emitError(new RealtimeError('unavailable', 'SSE post failed: ' + e));
      } finally {
        t.posting = false;
        post();
      }
    };
    t.send = (msgs) => { t.outbox.push(...msgs); post(); };
    t.close = () => { t.done = true; es.close(); };
    es.onmessage = (e) => {
      if (t.done) return;
      let f;
      try { f = JSON.parse(e.data); } catch { return; }
      if (f.type === 'sse') { t.key = f.stream; t.opened = true; post(); return; }
      if (f.type === 'close') { t.close(); this.#lost(t, f.code, f.reason); return; }
      this.#frame(t, f);
    };
    es.onerror = () => {
      if (t.done) return;
      if (es.readyState === 2 || !t.opened) { t.close(); this.#lost(t, 1006, 'SSE stream failed'); return; }
      // CONNECTING: the browser reconnects by itself, sending Last-Event-ID (every room's position)
      t.key = null;
      if (this.#conn === t) this.#setState('reconnecting');
    };
    return t;
  }

  #frame(t, raw) {
    let f = raw;
    if (typeof raw === 'string') {
      try { f = JSON.parse(raw); } catch { return; }
    }
    if (t === this.#probe) {
      if (f.type === 'connection') this.#promote(t, f);
      return;
    }
    if (t !== this.#conn) return;
    this.#armHeartbeat();
    switch (f.type) {
      case 'connection': this.#greeted(t, f); break;
      case 'subscribed': this.#subscribed(f); break;
      case 'event': this.#event(f); break;
      case 'ack': this.#settle(f.id, (p) => p.resolve(f.data)); break;
      case 'error':
        if (f.id != null && this.#pending.has(String(f.id))) this.#settle(f.id, (p) => p.reject(new RealtimeError(f.code, f.message)));
        else this.#emitError(new RealtimeError(f.code, f.message));
        break;
      case 'ping': t.send([{ type: 'pong' }]); break;
      case 'unsubscribed': if (f.id == null) this.#rooms.delete(f.room); break;
      default: break;
    }
  }

  #greeted(t, f) {
    this.#clientId = f.clientId;
    if (f.heartbeatMs > 0) this.#heartbeatMs = f.heartbeatMs;
    this.#attempts = 0;
    if (t.kind === 'websocket') {
      this.#wsFailures = 0;
      t.send([...this.#rooms.keys()].map((room) => this.#subscribeMessage(room))); // resume every room
    }
    this.#setState('open');
    this.#flush();
    if (t.kind === 'sse') this.#scheduleUpgrade();
  }

  #subscribeMessage(room) {
    const m = { type: 'subscribe', id: this.#id(), room };
    const p = this.#rooms.get(room)?.position;
    if (p) { m.since = p.offset; m.epoch = p.epoch; }
    return m;
  }

  #subscribed(f) {
    const r = this.#rooms.get(f.room);
    if (!r) return;
    if (typeof f.epoch === 'string') {
      if (f.recovered === undefined) r.position = { offset: f.offset, epoch: f.epoch };
      else if (f.recovered === false) r.position = { offset: Math.max(0, f.offset - 1), epoch: f.epoch }; // its current state follows
      else if (r.position) r.position = { offset: r.position.offset, epoch: f.epoch };
    }
    const info = { room: f.room, offset: f.offset, epoch: f.epoch, recovered: f.recovered };
    r.info = info;
    if (f.recovered === false) for (const h of this.#listeners.gap) this.#safe(h, info);
    for (const w of r.waiters.splice(0)) w.resolve(info);
  }

  #event(f) {
    if (f.room && typeof f.offset === 'number') {
      const r = this.#rooms.get(f.room);
      if (r) {
        const p = r.position;
        if (p && p.epoch === f.epoch && f.offset <= p.offset) return; // already delivered
        r.position = { offset: f.offset, epoch: f.epoch };
      }
    }
    const message = { type: f.event, data: f.data, room: f.room, offset: f.offset, epoch: f.epoch };
    for (const key of [f.event, '*']) {
      const hs = this.#handlers.get(key);
      if (hs) for (const h of [...hs]) this.#safe(h, message);
    }
  }

  #lost(t, code, reason) {
    if (t === this.#probe) { this.#probe = null; this.#scheduleUpgrade(); return; }
    if (t !== this.#conn) return;
    this.#conn = null;
    this.#clear('heartbeat');
    this.#clear('upgrade');
    if (t.kind === 'websocket' && !t.opened) this.#wsFailures++;
    if (t.kind === 'sse' && !t.opened) this.#wsFailures = 0; // neither opens (server down?): alternate, try WebSocket next
    this.#failAll('disconnected', 'the connection closed before the ack', false);
    if (this.#closed) return;
    if (code === 1008) {
      this.#emitError(new RealtimeError('unauthorized', reason || 'the server refused the token'));
      this.#setState('failed');
      return;
    }
    this.#retry();
  }

  #retry() {
    if (this.#closed) return;
    if (this.#attempts >= this.#o.maxReconnectAttempts) { this.#setState('failed'); return; }
    const delay = backoffDelay(this.#attempts++, this.#o.reconnectDelay, this.#o.maxReconnectDelay, this.#o.random);
    this.#setState('reconnecting');
    this.#clear('reconnect');
    this.#reconnectTimer = this.#timers.setTimeout(() => { this.#reconnectTimer = null; this.#open(); }, delay);
  }

  /** An SSE stream follows the rooms in its URL: a new room list means a new stream (resuming every room). */
  #reopen() {
    const old = this.#conn;
    this.#conn = null;
    old?.close();
    this.#setState('reconnecting');
    this.#open();
  }

  #scheduleUpgrade() {
    const o = this.#o;
    if (this.#closed || !o.transports.includes('websocket') || typeof o.WebSocket !== 'function') return;
    this.#clear('upgrade');
    this.#upgradeTimer = this.#timers.setTimeout(async () => {
      this.#upgradeTimer = null;
      if (this.#closed || this.#conn?.kind !== 'sse' || this.#probe) return;
      let token;
      try { token = typeof o.token === 'function' ? await o.token() : o.token; } catch { this.#scheduleUpgrade(); return; }
      if (this.#closed || this.#conn?.kind !== 'sse' || this.#probe) return;
      const probe = (this.#probe = this.#openWebSocket(token));
      // a probe that neither greets nor fails (a proxy holding it) is given up after heartbeatTimeout
      this.#upgradeTimer = this.#timers.setTimeout(() => {
        this.#upgradeTimer = null;
        if (this.#probe !== probe) return;
        this.#probe = null;
        probe.close();
        this.#scheduleUpgrade();
      }, o.heartbeatTimeout);
    }, o.upgradeInterval);
  }

  /** The probe WebSocket greeted us: it replaces the SSE stream, and every room resumes on it. */
  #promote(t, f) {
    const old = this.#conn;
    this.#probe = null;
    this.#clear('upgrade');
    this.#clear('reconnect'); // the SSE stream may have dropped meanwhile: this WebSocket is the reconnect
    this.#conn = t;
    old?.close();
    this.#armHeartbeat();
    this.#greeted(t, f);
  }

  #armHeartbeat() {
    this.#clear('heartbeat');
    const t = this.#conn;
    this.#heartbeatTimer = this.#timers.setTimeout(() => {
      this.#heartbeatTimer = null;
      if (t !== this.#conn) return;
      t.close();
      this.#lost(t, 4000, 'heartbeat timeout');
    }, this.#heartbeatMs + this.#o.heartbeatTimeout);
  }

  // ---- messages --------------------------------------------------------------------------------------

  #enqueue(item) {
    if (this.#closed) {
      item.reject?.(new RealtimeError('closed', 'the client was closed'));
      return false;
    }
    if (this.isConnected) { this.#transmit([item]); return true; }
    if (this.#queue.push(item)) return true;
    item.reject?.(new RealtimeError('queue_full', `the offline queue holds ${this.#o.maxQueue} messages`));
    return false;
  }

  #flush() {
    const items = this.#queue.drain();
    if (items.length) this.#transmit(items);
  }

  #transmit(items) {
    for (const item of items) {
      if (!item.resolve) continue;
      const id = item.msg.id;
      const timer = this.#timers.setTimeout(() => this.#settle(id, (p) => p.reject(new RealtimeError('timeout', 'no ack within ' + item.timeout + ' ms'))), item.timeout);
      this.#pending.set(id, { resolve: item.resolve, reject: item.reject, timer });
    }
    this.#conn.send(items.map((i) => i.msg));
  }

  #settle(id, fn) {
    const p = this.#pending.get(String(id));
    if (!p) return;
    this.#pending.delete(String(id));
    this.#timers.clearTimeout(p.timer);
    fn(p);
  }

  #failAll(code, message, queuedToo) {
    for (const id of [...this.#pending.keys()]) this.#settle(id, (p) => p.reject(new RealtimeError(code, message)));
    if (queuedToo) for (const item of this.#queue.drain()) item.reject?.(new RealtimeError(code, message));
    if (queuedToo) for (const r of this.#rooms.values()) for (const w of r.waiters.splice(0)) w.reject(new RealtimeError(code, message));
  }

  // ---- helpers ---------------------------------------------------------------------------------------

  #id() { return String(this.#nextId++); }

  #listen(kind, handler) {
    this.#listeners[kind].add(handler);
    return () => this.#listeners[kind].delete(handler);
  }

  #setState(state) {
    const transport = state === 'open' && this.#conn ? this.#conn.kind : null;
    if (this.#state === state && this.#notified === transport) return; // (open, sse) -> (open, websocket) is news
    this.#state = state;
    this.#notified = transport;
    const info = { transport };
    for (const h of [...this.#listeners.state]) this.#safe(h, state, info);
  }

  #emitError(e) {
    for (const h of [...this.#listeners.error]) this.#safe(h, e);
  }

  #safe(fn, ...args) {
    try { fn(...args); } catch (e) { globalThis.console?.error('realtime: a handler threw', e); }
  }

  #clear(name) {
    const t = name === 'reconnect' ? this.#reconnectTimer : name === 'heartbeat' ? this.#heartbeatTimer : this.#upgradeTimer;
    if (t != null) this.#timers.clearTimeout(t);
    if (name === 'reconnect') this.#reconnectTimer = null;
    else if (name === 'heartbeat') this.#heartbeatTimer = null;
    else this.#upgradeTimer = null;
  }

}

/** A client for `options`, connected. */
export function createRealtime(options) {
  return new RealtimeClient(options).connect();
}
