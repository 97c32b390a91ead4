import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RealtimeClient, backoffDelay, BoundedQueue, encodePositions } from '../realtime.js';
import { FakeTimers, fakeWebSocket, fakeEventSource, flush } from './fakes.mjs';

function client(extra = {}) {
  const timers = new FakeTimers();
  const ws = fakeWebSocket();
  const es = fakeEventSource();
  const posts = [];
  const fetch = async (url, init) => { posts.push({ url, body: JSON.parse(init.body) }); return { ok: true, status: 202 }; };
  const c = new RealtimeClient({ url: 'http://srv.test', token: 'tok', timers, WebSocket: ws.FakeWebSocket,
    EventSource: es.FakeEventSource, fetch, random: () => 1, ...extra });
  return { c, timers, ws, es, posts };
}

test('backoff doubles from reconnectDelay, is capped, and jitters within the upper half', () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6].map((a) => backoffDelay(a, 1000, 30000, () => 1)),
    [1000, 2000, 4000, 8000, 16000, 30000, 30000]);
  assert.deepEqual([0, 1, 2].map((a) => backoffDelay(a, 1000, 30000, () => 0)), [500, 1000, 2000]);
  for (let i = 0; i < 100; i++) {
    const d = backoffDelay(3, 1000, 30000);
    assert.ok(d >= 4000 && d <= 8000, String(d));
  }
});

test('reconnect schedule on fake timers: 1 s, 2 s, 4 s, 8 s, 16 s, then failed after maxReconnectAttempts 5', async () => {
  const { c, timers, ws } = client({ transports: ['websocket'] });
  const states = [];
  c.onState((s) => states.push(s));
  c.connect();
  await flush();
  ws.sockets[0].greet();
  assert.equal(c.isConnected, true);
  ws.sockets[0].drop();
  const delays = [];
  for (let i = 0; i < 5; i++) {
    delays.push(timers.pending().filter((ms) => ms !== 40000)[0]); // the other timer is the connect deadline
    const before = ws.sockets.length;
    await timers.advance(delays[i] - 1);
    assert.equal(ws.sockets.length, before, 'not before its delay');
    await timers.advance(1);
    assert.equal(ws.sockets.length, before + 1, 'attempt ' + (i + 1));
    ws.sockets.at(-1).fail();
    await flush();
  }
  assert.deepEqual(delays, [1000, 2000, 4000, 8000, 16000]);
  assert.equal(c.state, 'failed');
  assert.deepEqual(states, ['connecting', 'open', 'reconnecting', 'failed']);
});

test('a greeting resets the attempts; the URL carries the token', async () => {
  const { c, timers, ws } = client({ transports: ['websocket'] });
  c.connect();
  await flush();
  assert.equal(ws.sockets[0].url, 'ws://srv.test/ws?token=tok');
  ws.sockets[0].fail();
  await timers.advance(1000);
  ws.sockets[1].fail();
  await timers.advance(2000);
  ws.sockets[2].greet();
  ws.sockets[2].drop();
  assert.ok(timers.pending().includes(1000), 'back to the first step: ' + timers.pending());
});

test('heartbeat: silence beyond heartbeatMs + heartbeatTimeout closes and reconnects; pings are answered', async () => {
  const { c, timers, ws } = client({ transports: ['websocket'], heartbeatTimeout: 5000 });
  c.connect();
  await flush();
  ws.sockets[0].greet(10000);
  await timers.advance(14000);
  ws.sockets[0].message({ type: 'ping' });
  assert.deepEqual(ws.sockets[0].sent.at(-1), { type: 'pong' });
  await timers.advance(14999);
  assert.equal(c.isConnected, true, 'the ping reset the deadline');
  await timers.advance(1);
  assert.equal(ws.sockets[0].closed, true);
  assert.equal(c.state, 'reconnecting');
  await timers.advance(1000);
  assert.equal(ws.sockets.length, 2);
});

test('offline queue: bounded, flushed in order on reconnect, acks resolve', async () => {
  const { c, timers, ws } = client({ transports: ['websocket'], maxQueue: 3 });
  c.connect();
  await flush();
  const acks = [c.emit('note', { n: 1 }), c.emit('note', { n: 2 }), c.emit('note', { n: 3 })];
  assert.equal(c.queued, 3);
  await assert.rejects(c.emit('note', { n: 4 }), (e) => e.code === 'queue_full');
  assert.equal(c.send('note', { n: 5 }), false);
  ws.sockets[0].greet();
  const sent = ws.sockets[0].sent.filter((m) => m.type === 'emit');
  assert.deepEqual(sent.map((m) => m.data.n), [1, 2, 3]);
  assert.equal(c.queued, 0);
  for (const m of sent) ws.sockets[0].message({ type: 'ack', id: m.id, data: { ok: m.data.n } });
  assert.deepEqual((await Promise.all(acks)).map((a) => a.ok), [1, 2, 3]);
  await timers.advance(1);
});

test('an error frame rejects its emit with the code; no ack in time rejects with timeout', async () => {
  const { c, timers, ws } = client({ transports: ['websocket'], ackTimeout: 500 });
  c.connect();
  await flush();
  ws.sockets[0].greet();
  const bad = c.emit('nope', {});
  const id = ws.sockets[0].sent.at(-1).id;
  ws.sockets[0].message({ type: 'error', id, code: 'unknown_event', message: 'no handler' });
  await assert.rejects(bad, (e) => e.code === 'unknown_event');
  const slow = c.emit('slow', {});
  await timers.advance(500);
  await assert.rejects(slow, (e) => e.code === 'timeout');
});

test('resume: every room is resubscribed from its last offset and epoch; duplicates are dropped; a gap is surfaced', async () => {
  const { c, timers, ws } = client({ transports: ['websocket'], rooms: ['user:alice'] });
  const got = [];
  const gaps = [];
  c.on('notification', (m) => got.push(m.offset));
  c.onGap((g) => gaps.push(g));
  c.connect();
  await flush();
  const s0 = ws.sockets[0].greet();
  assert.deepEqual(s0.sent[0], { type: 'subscribe', id: s0.sent[0].id, room: 'user:alice' });
  s0.message({ type: 'subscribed', id: s0.sent[0].id, room: 'user:alice', epoch: 'e1', offset: 0 });
  for (const o of [1, 2, 3]) s0.message({ type: 'event', room: 'user:alice', event: 'notification', offset: o, epoch: 'e1', data: {} });
  s0.drop();
  await timers.advance(1000);
  const s1 = ws.sockets[1].greet();
  const sub = s1.sent.find((m) => m.type === 'subscribe');
  assert.equal(sub.since, 3);
  assert.equal(sub.epoch, 'e1');
  s1.message({ type: 'subscribed', id: sub.id, room: 'user:alice', epoch: 'e1', offset: 5, recovered: true });
  for (const o of [3, 4, 5]) s1.message({ type: 'event', room: 'user:alice', event: 'notification', offset: o, epoch: 'e1', data: {} });
  assert.deepEqual(got, [1, 2, 3, 4, 5], 'offset 3 came twice and was delivered once');
  s1.drop();
  await timers.advance(1000);
  const s2 = ws.sockets[2].greet();
  const sub2 = s2.sent.find((m) => m.type === 'subscribe');
  s2.message({ type: 'subscribed', id: sub2.id, room: 'user:alice', epoch: 'e2', offset: 9, recovered: false });
  s2.message({ type: 'event', room: 'user:alice', event: 'notification', offset: 9, epoch: 'e2', data: {} });
  assert.deepEqual(gaps, [{ room: 'user:alice', offset: 9, epoch: 'e2', recovered: false }]);
  assert.deepEqual(got, [1, 2, 3, 4, 5, 9], 'the current state after a gap is delivered');
});

test('fallback: a refused WebSocket goes to SSE with the rooms and positions; posts carry pongs and emits; WebSocket returns', async () => {
  const { c, timers, ws, es, posts } = client({ rooms: ['user:alice'], upgradeInterval: 5000 });
  const states = [];
  c.onState((s, i) => states.push(s + ':' + i.transport));
  c.connect();
  await flush();
  ws.sockets[0].fail(); // 503 at the upgrade
  await timers.advance(1000);
  assert.equal(es.streams.length, 1, 'SSE after one failed WebSocket');
  assert.equal(es.streams[0].url.pathname, '/sse');
  assert.equal(es.streams[0].url.searchParams.get('rooms'), 'user:alice');
  assert.equal(es.streams[0].url.searchParams.get('token'), 'tok');
  const s = es.streams[0].greet();
  assert.equal(c.transport, 'sse');
  s.message({ type: 'subscribed', id: 'sse-1', room: 'user:alice', epoch: 'e1', offset: 7 });
  s.message({ type: 'event', room: 'user:alice', event: 'quiz_status', offset: 8, epoch: 'e1', data: { progress: 50 } });
  assert.deepEqual(c.position('user:alice'), { offset: 8, epoch: 'e1' });
  s.message({ type: 'ping' });
  const ack = c.emit('note', { n: 1 });
  await flush();
  assert.deepEqual(posts.map((p) => p.url), ['http://srv.test/sse/k1', 'http://srv.test/sse/k1']);
  assert.deepEqual(posts[0].body, [{ type: 'pong' }]);
  s.message({ type: 'ack', id: posts[1].body[0].id, data: 'ok' });
  assert.equal(await ack, 'ok');
  await timers.advance(5000);
  assert.equal(ws.sockets.length, 2, 'a WebSocket probe');
  ws.sockets[1].greet();
  assert.equal(s.closed, true, 'the SSE stream is closed once the WebSocket greets');
  assert.equal(c.transport, 'websocket');
  const sub = ws.sockets[1].sent.find((m) => m.type === 'subscribe');
  assert.equal(sub.since, 8);
  assert.ok(states.includes('open:sse') && states.at(-1) === 'open:websocket', states.join(' '));
});

test('a reconnect on SSE passes the positions as since, in the Last-Event-ID form', async () => {
  const { c, timers, es } = client({ transports: ['sse'], rooms: ['user:alice', 'job:42'] });
  c.connect();
  await flush();
  const s = es.streams[0].greet();
  s.message({ type: 'subscribed', id: 'sse-1', room: 'user:alice', epoch: 'e1', offset: 3 });
  s.message({ type: 'subscribed', id: 'sse-2', room: 'job:42', epoch: 'x_y', offset: 0 });
  s.message({ type: 'close', code: 1001, reason: 'bye' });
  await timers.advance(1000);
  assert.equal(es.streams[1].url.searchParams.get('since'), 'user:alice|3|e1,job:42|0|x_y');
  assert.equal(encodePositions(new Map([['a', { offset: 1, epoch: 'e' }], ['b', null]])), 'a|1|e');
});

test('close rejects what waits and stops reconnecting', async () => {
  const { c, timers, ws } = client({ transports: ['websocket'] });
  c.connect();
  await flush();
  const queued = c.emit('x', {});
  c.close();
  await assert.rejects(queued, (e) => e.code === 'closed');
  await timers.advance(60000);
  assert.equal(ws.sockets.length, 1);
  assert.equal(c.state, 'closed');
});

test('BoundedQueue refuses beyond its bound', () => {
  const q = new BoundedQueue(2);
  assert.equal(q.push(1), true);
  assert.equal(q.push(2), true);
  assert.equal(q.push(3), false);
  assert.deepEqual(q.drain(), [1, 2]);
  assert.equal(q.length, 0);
});

test('a WebSocket probe that hangs is given up after heartbeatTimeout, and tried again later', async () => {
  const { c, timers, ws, es } = client({ rooms: ['user:alice'], upgradeInterval: 5000, heartbeatTimeout: 2000 });
  c.connect();
  await flush();
  ws.sockets[0].fail();
  await timers.advance(1000);
  es.streams[0].greet();
  await timers.advance(5000);
  assert.equal(ws.sockets.length, 2, 'first probe');
  await timers.advance(2000);
  assert.equal(ws.sockets[1].closed, true, 'the hanging probe is closed');
  assert.equal(c.transport, 'sse', 'still on SSE');
  await timers.advance(5000);
  assert.equal(ws.sockets.length, 3, 'a new probe');
  ws.sockets[2].greet();
  assert.equal(c.transport, 'websocket');
});

test('a refused token (close 1008) is not retried', async () => {
  const { c, timers, ws } = client({ transports: ['websocket'] });
  const errors = [];
  c.onError((e) => errors.push(e.code));
  c.connect();
  await flush();
  ws.sockets[0].open().drop(1008, 'unauthorized');
  await timers.advance(60000);
  assert.equal(ws.sockets.length, 1);
  assert.equal(c.state, 'failed');
  assert.deepEqual(errors, ['unauthorized']);
});

test('when SSE fails to open too, the next attempt tries WebSocket again (server down: alternate)', async () => {
  const { c, timers, ws, es } = client({ rooms: ['user:alice'], maxReconnectAttempts: Infinity });
  c.connect();
  await flush();
  ws.sockets[0].fail();
  await timers.advance(1000);
  es.streams[0].onerror(); // refused before its first message
  await timers.advance(2000);
  assert.equal(ws.sockets.length, 2, 'WebSocket again');
  ws.sockets[1].greet();
  assert.equal(c.transport, 'websocket');
});

test('a probe that greets while the SSE stream is reconnecting becomes the connection; no second transport opens', async () => {
  const { c, timers, ws, es } = client({ rooms: ['user:alice'], upgradeInterval: 5000, reconnectDelay: 10000 });
  c.connect();
  await flush();
  ws.sockets[0].fail();
  await timers.advance(10000);
  const s = es.streams[0].greet();
  await timers.advance(5000); // the probe starts
  s.message({ type: 'close', code: 1012, reason: 'restart' }); // the stream drops: a reconnect is scheduled
  assert.equal(c.state, 'reconnecting');
  ws.sockets[1].greet(); // the probe greets first
  assert.equal(c.transport, 'websocket');
  await timers.advance(30000); // past the reconnect's delay (within the heartbeat deadline)
  assert.equal(es.streams.length, 1, 'no new SSE stream');
  assert.equal(ws.sockets.length, 2, 'no new WebSocket');
});

test('on SSE, subscribing a followed room resolves at once; a new room reopens the stream with every position', async () => {
  const { c, timers, ws, es } = client({ transports: ['sse'], rooms: ['user:alice'] });
  c.connect();
  await flush();
  const s = es.streams[0].greet();
  s.message({ type: 'subscribed', id: 'sse-1', room: 'user:alice', epoch: 'e1', offset: 4 });
  assert.equal((await c.subscribe('user:alice')).offset, 4);
  const job = c.subscribe('job:42');
  await flush();
  assert.equal(s.closed, true);
  const s2 = es.streams[1];
  assert.equal(s2.url.searchParams.get('rooms'), 'user:alice,job:42');
  assert.equal(s2.url.searchParams.get('since'), 'user:alice|4|e1');
  s2.greet().message({ type: 'subscribed', id: 'sse-2', room: 'job:42', epoch: 'j', offset: 0 });
  assert.equal((await job).room, 'job:42');
  assert.equal(ws.sockets.length, 0);
  await timers.advance(1);
});
