// Fakes for the client's environment: timers on a virtual clock, a scriptable WebSocket and EventSource.

export class FakeTimers {
  now = 0;
  #next = 1;
  #tasks = new Map(); // id -> { at, fn }
  setTimeout = (fn, ms) => {
    const id = this.#next++;
    this.#tasks.set(id, { at: this.now + Math.max(0, ms), fn, ms });
    return id;
  };
  clearTimeout = (id) => { this.#tasks.delete(id); };
  /** Delays of the timers now pending, in creation order. */
  pending() { return [...this.#tasks.values()].map((t) => t.ms); }
  /** Moves the clock forward, running every timer that falls due (in time order). */
  async advance(ms) {
    const until = this.now + ms;
    for (;;) {
      let best = null;
      for (const [id, t] of this.#tasks) if (t.at <= until && (!best || t.at < best[1].at)) best = [id, t];
      if (!best) break;
      this.#tasks.delete(best[0]);
      this.now = best[1].at;
      best[1].fn();
      await flush();
    }
    this.now = until;
    await flush();
  }
}

export async function flush() {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

/** WebSockets the client opened, each scriptable: open(), greet(), message(obj), fail(), drop(code). */
export function fakeWebSocket() {
  const sockets = [];
  class FakeWebSocket {
    constructor(url) {
      this.url = url;
      this.sent = [];
      this.closed = false;
      sockets.push(this);
    }
    send(text) { this.sent.push(JSON.parse(text)); }
    close() { this.closed = true; }
    open() { this.onopen?.(); return this; }
    message(obj) { this.onmessage?.({ data: JSON.stringify(obj) }); return this; }
    greet(heartbeatMs = 30000) { return this.open().message({ type: 'connection', clientId: 'c-' + sockets.length, timestamp: 't', heartbeatMs }); }
    fail() { this.onclose?.({ code: 1006, reason: '' }); return this; }
    drop(code = 1012, reason = 'restart') { this.onclose?.({ code, reason }); return this; }
  }
  return { FakeWebSocket, sockets };
}

export function fakeEventSource() {
  const streams = [];
  class FakeEventSource {
    constructor(url) { this.url = new URL(url); this.readyState = 0; this.closed = false; streams.push(this); }
    close() { this.closed = true; this.readyState = 2; }
    message(obj) { this.readyState = 1; this.onmessage?.({ data: JSON.stringify(obj) }); return this; }
    greet(key = 'k' + streams.length) { return this.message({ type: 'sse', stream: key }).message({ type: 'connection', clientId: 's', timestamp: 't', heartbeatMs: 30000 }); }
  }
  return { FakeEventSource, streams };
}
