// Drives the official socket.io-client against a realtime server, one scenario per run.
// Usage: node peer.mjs <baseUrl> <scenario> [token]
// Prints one JSON object per line; the JUnit test reads them and answers on stdin when a scenario
// needs the server side to act ("ready" -> the test publishes, then writes "go").
import { io } from 'socket.io-client';

const [, , base, scenario, token] = process.argv;
// PEER_TRANSPORTS: 'websocket' (the default here), 'polling' (polling only), or 'default' (socket.io-client's own
// default: polling first, then the upgrade to WebSocket)
const mode = process.env.PEER_TRANSPORTS || 'websocket';
const transportOpts = mode === 'default' ? {} : { transports: [mode] };
const opts = { ...transportOpts, reconnection: false, timeout: 5000 };
// the transport a socket ends on: with the default options, wait for the upgrade to WebSocket
const finalTransport = (socket) => new Promise((resolve) => {
  const engine = socket.io.engine;
  if (mode !== 'default' || engine.transport.name === 'websocket') { resolve(engine.transport.name); return; }
  engine.once('upgrade', (t) => resolve(t.name));
});
const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const fail = (msg) => { out({ error: msg }); process.exit(2); };
const deadline = setTimeout(() => fail('scenario timed out'), 20000).unref();

const stdinLines = [];
let stdinWaiter = null;
process.stdin.setEncoding('utf8');
let buffered = '';
process.stdin.on('data', (chunk) => {
  buffered += chunk;
  let i;
  while ((i = buffered.indexOf('\n')) >= 0) {
    const line = buffered.slice(0, i);
    buffered = buffered.slice(i + 1);
    if (stdinWaiter) { const w = stdinWaiter; stdinWaiter = null; w(line); } else { stdinLines.push(line); }
  }
});
const nextLine = () => stdinLines.length ? Promise.resolve(stdinLines.shift())
  : new Promise((resolve) => { stdinWaiter = resolve; });
const once = (socket, event) => new Promise((resolve) => socket.once(event, (...args) => resolve(args)));
const connected = (socket) => new Promise((resolve, reject) => {
  socket.once('connect', resolve);
  socket.once('connect_error', (e) => reject(new Error('connect_error: ' + e.message)));
});
const collect = (socket, events, count) => new Promise((resolve) => {
  const got = [];
  for (const e of events) {
    socket.on(e, (data) => { got.push({ event: e, data }); if (got.length === count) resolve(got); });
  }
});

// {"$binary": base64} <-> Buffer, recursively (the driven scenario's way of carrying attachments over JSON lines)
const toBinary = (v) => {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    if (typeof v.$binary === 'string' && Object.keys(v).length === 1) return Buffer.from(v.$binary, 'base64');
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toBinary(x)]));
  }
  return Array.isArray(v) ? v.map(toBinary) : v;
};
const fromBinary = (v) => {
  if (v instanceof ArrayBuffer) return { $binary: Buffer.from(v).toString('base64') };
  if (Buffer.isBuffer(v) || ArrayBuffer.isView(v)) return { $binary: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') };
  if (Array.isArray(v)) return v.map(fromBinary);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fromBinary(x)]));
  return v;
};

const scenarios = {
  // Several users driven by commands on stdin, one JSON object a line:
  //   {op:'connect', as, url?, token?}  {op:'emit', as, event, data, ack?, tag?}  {op:'close', as}  {op:'end'}
  // Prints {as, connected} or {as, connectError}, {as, event, data} for every event received, {as, ack, tag}.
  // Binary values travel as {"$binary": base64} both ways: emitted as Buffers (Socket.IO attachments), and
  // received Buffers/ArrayBuffers are printed that way. {op:'emit', as, event, args:[...]} emits several arguments;
  // {op:'drop', as} cuts the transport without a Socket.IO DISCONNECT (as a network drop does).
  async driven() {
    const sockets = {};
    for (;;) {
      const cmd = JSON.parse(await nextLine());
      deadline.refresh();
      if (cmd.op === 'end') break;
      if (cmd.op === 'connect') {
        const s = io(cmd.url || base, { ...opts, forceNew: true, auth: cmd.token ? { token: cmd.token } : {} });
        s.onAny((event, ...args) => out({ as: cmd.as, event, data: fromBinary(args[0]), args: args.map(fromBinary) }));
        s.on('disconnect', (reason) => out({ as: cmd.as, disconnected: reason }));
        sockets[cmd.as] = s;
        try { await connected(s); out({ as: cmd.as, connected: s.id }); } catch (e) { out({ as: cmd.as, connectError: e.message }); }
      } else if (cmd.op === 'emit' && cmd.ack) {
        const args = cmd.args ? cmd.args.map(toBinary) : [toBinary(cmd.data)];
        out({ as: cmd.as, ack: fromBinary(await sockets[cmd.as].emitWithAck(cmd.event, ...args)), tag: cmd.tag || null });
      } else if (cmd.op === 'emit') {
        const args = cmd.args ? cmd.args.map(toBinary) : [toBinary(cmd.data)];
        sockets[cmd.as].emit(cmd.event, ...args);
      } else if (cmd.op === 'drop') {
        sockets[cmd.as].io.engine.close();
        out({ as: cmd.as, dropped: true });
      } else if (cmd.op === 'close') {
        sockets[cmd.as].disconnect();
        out({ as: cmd.as, closed: true });
      }
    }
    Object.values(sockets).forEach((s) => s.disconnect());
  },

  // Interview relay latency (InterviewMeasurementTest): the first stdin line is {url, sessions:[{id, a, b}] (tokens),
  // chunks, intervalMs, bytes}; every session's "a" streams chunks to its "b" over /interview, the time from each
  // emit to the other member's audio:received (same process clock) is recorded. Prints {latencies summary}.
  async interviewLoad() {
    const cfg = JSON.parse(await nextLine());
    deadline.refresh();
    const connect = (token) => new Promise((resolve, reject) => {
      const s = io(cfg.url, { ...opts, forceNew: true, auth: { token } });
      s.once('connect', () => resolve(s));
      s.once('connect_error', (e) => reject(e));
    });
    const pairs = [];
    for (let i = 0; i < cfg.sessions.length; i += 20) {
      const batch = cfg.sessions.slice(i, i + 20);
      pairs.push(...await Promise.all(batch.map(async (x) => {
        const [a, b] = await Promise.all([connect(x.a), connect(x.b)]);
        await a.emitWithAck('session:join', { sessionId: x.id });
        await b.emitWithAck('session:join', { sessionId: x.id });
        return { id: x.id, a, b };
      })));
      deadline.refresh();
    }
    const sent = new Map();
    const lat = []; const warm = [];
    let outOfOrder = 0; let echoes = 0;
    const audioData = Buffer.alloc(cfg.bytes, 7).toString('base64');
    const done = new Promise((resolve) => {
      let remaining = pairs.length * cfg.chunks;
      for (const p of pairs) {
        let last = 0;
        p.a.on('audio:received', () => { echoes++; });
        p.b.on('audio:received', (d) => {
          const t = performance.now() - sent.get(p.id + '/' + d.seq);
          lat.push(t);
          if (d.seq > (cfg.warmup || 0)) warm.push(t);
          if (d.seq !== last + 1) outOfOrder++;
          last = d.seq;
          if (--remaining === 0) resolve();
        });
      }
    });
    out({ joined: pairs.length });
    // each sender streams on its own timer, the senders' phases spread evenly over the interval (independent
    // microphones), or all at once per tick with cfg.burst
    pairs.forEach((p, i) => {
      let n = 0;
      const tick = () => {
        n++;
        sent.set(p.id + '/' + n, performance.now());
        p.a.emit('audio:stream', { audioData, format: 'pcm16', sampleRate: 16000 });
        if (n < cfg.chunks) setTimeout(tick, cfg.intervalMs);
      };
      setTimeout(tick, cfg.burst ? 0 : Math.floor(i * cfg.intervalMs / pairs.length));
    });
    const refresher = setInterval(() => deadline.refresh(), 1000);
    await done;
    clearInterval(refresher);
    lat.sort((x, y) => x - y);
    warm.sort((x, y) => x - y);
    const q = (a, f) => a[Math.min(a.length - 1, Math.floor(f * a.length))];
    out({ received: lat.length, p50: q(lat, 0.5), p90: q(lat, 0.9), p99: q(lat, 0.99), max: lat[lat.length - 1],
      warmCount: warm.length, warmP50: q(warm, 0.5), warmP99: q(warm, 0.99), outOfOrder, echoes });
    pairs.forEach((p) => { p.a.disconnect(); p.b.disconnect(); });
  },

  // the application API (ApplicationApiTest's /chat and /admin namespaces)
  async api() {
    const rejected = io(base + '/chat', { ...opts, forceNew: true, auth: {} });
    const [err] = await once(rejected, 'connect_error');
    out({ rejected: err.message, data: err.data });
    rejected.close();
    const ann = io(base + '/chat', { ...opts, forceNew: true, auth: { name: 'ann' } });
    const bob = io(base + '/chat', { ...opts, forceNew: true, auth: { name: 'bob' } });
    const admin = io(base + '/admin', { ...opts, forceNew: true });
    await Promise.all([connected(ann), connected(bob), connected(admin)]);
    // several arguments both ways, several ack values, and none
    const sum = await new Promise((resolve) => ann.emit('sum', 1, 2, 3, (...vals) => resolve(vals)));
    out({ sum });
    const none = await new Promise((resolve) => ann.emit('nothing', (...vals) => resolve(vals.length)));
    out({ noneAckValues: none });
    const zero = new Promise((resolve) => ann.once('zero', (...a) => resolve(a.length)));
    const pair = new Promise((resolve) => ann.once('pair', (...a) => resolve(a)));
    ann.emit('sendZero');
    out({ zeroArgs: await zero, pair: await pair });
    // an event nobody handles gets no answer: the client's ack timeout fires
    const unknown = await new Promise((resolve) => ann.timeout(700).emit('nobody', 1, (e) => resolve(e ? e.message : 'answered')));
    out({ unknown });
    out({ whoami: await ann.emitWithAck('whoami') });
    // rooms are per namespace: /admin's "lobby" does not hear /chat's
    await Promise.all([ann.emitWithAck('join', 'lobby'), bob.emitWithAck('join', 'lobby'), admin.emitWithAck('join', 'lobby')]);
    const bobHeard = new Promise((resolve) => bob.once('said', (m) => resolve(m)));
    let annHeard = false; ann.on('said', () => { annHeard = true; });
    let adminHeard = false; admin.on('said', () => { adminHeard = true; });
    await ann.emitWithAck('say', 'hello');
    const heard = await bobHeard;
    // a round trip after the broadcast: anything for ann or admin would have arrived before this ack
    await ann.emitWithAck('whoami'); await admin.emitWithAck('whoami');
    out({ bobHeard: heard, annHeard, adminHeard });
    // in order: a slow first handler is not overtaken by the second
    const order = await Promise.all([ann.emitWithAck('slow', 'first'), ann.emitWithAck('fast', 'second')]);
    out({ order: await ann.emitWithAck('order') , replies: order });
    const bobGone = once(bob, 'disconnect');
    out({ ready: true });
    await nextLine();
    // the server disconnected bob from the namespace
    const [reason] = await bobGone;
    out({ bobDisconnected: reason });
    ann.disconnect();
    admin.disconnect();
  },

  // a direct emit while the transport is cut comes back with connection state recovery
  async direct() {
    const socket = io(base + '/chat', { ...opts, auth: { name: 'dee' } });
    await connected(socket);
    const got = [];
    let firstSeen;
    let allSeen;
    const first = new Promise((resolve) => { firstSeen = resolve; });
    const three = new Promise((resolve) => { allSeen = resolve; });
    socket.on('direct', (n) => {
      got.push(n);
      if (got.length === 1) firstSeen();
      if (got.length === 3) allSeen();
    });
    out({ ready: true });
    await first; // the server sent direct 1 (its offset is the client's last)
    const closed = once(socket, 'disconnect');
    socket.io.engine.close();
    out({ disconnected: (await closed)[0] });
    await nextLine(); // the server sent direct 2 and 3 while we were away
    socket.connect();
    await connected(socket);
    out({ recovered: socket.recovered });
    await three;
    out({ got });
    socket.disconnect();
  },

  async namespaces() {
    const root = io(base, opts);
    await connected(root);
    out({ ns: '/', id: root.id });
    const quiz = io(base + '/quiz', opts);
    const [hello] = await once(quiz, 'connection');
    out({ ns: '/quiz', hello, sameConnection: quiz.io === root.io });
    const iv = io(base + '/interview', opts);
    const [success] = await once(iv, 'connection:success');
    out({ ns: '/interview', success });
    const bad = io(base + '/random', opts);
    const [err] = await once(bad, 'connect_error');
    out({ ns: '/random', connectError: err.message });
    root.disconnect(); quiz.disconnect(); iv.disconnect(); bad.disconnect();
  },

  // seed 002's JobMonitor, unchanged apart from the URL
  async jobs() {
    const socket = io(base + '/jobs', transportOpts);
    const ack = await socket.emitWithAck('subscribe:jobs', { jobId: 'job-7' });
    out({ ack, transport: await finalTransport(socket) });
    const all = collect(socket, ['job:update', 'job:progress', 'job:completed', 'job:error'], 4);
    out({ ready: true });
    out({ events: await all });
    const unsub = await socket.emitWithAck('unsubscribe:jobs', { jobId: 'job-7' });
    out({ unsub });
    socket.disconnect();
  },

  async acks() {
    const socket = io(base + '/peer', opts);
    socket.on('confirm', (data, callback) => callback({ ok: true, got: data }));
    await connected(socket);
    out({ echo: await socket.emitWithAck('echo', { a: [1, 2], s: 'x' }) });
    out({ asked: await socket.emitWithAck('ask', { jobId: 7 }) });
    out({ transport: await finalTransport(socket) });
    out({ echoAfter: await socket.emitWithAck('echo', 'after') });
    socket.disconnect();
  },

  async binary() {
    const socket = io(base + '/peer', opts);
    await connected(socket);
    const got = once(socket, 'got');
    const ack = await socket.emitWithAck('upload', { name: 'a.bin', file: Buffer.from([1, 2, 3, 250]) });
    const [pushed] = await got;
    out({ ackSize: ack.size, ackCopy: [...ack.copy], pushed: [...pushed.copy],
      transport: socket.io.engine.transport.name });
    socket.disconnect();
  },

  async disconnectOne() {
    const jobs = io(base + '/jobs', opts);
    const peer = io(base + '/peer', opts);
    await Promise.all([connected(jobs), connected(peer)]);
    jobs.disconnect();
    const echo = await peer.emitWithAck('echo', 'still here');
    out({ jobsConnected: jobs.connected, peerConnected: peer.connected, echo,
      engineOpen: peer.io.engine.readyState });
    peer.disconnect();
  },

  async recovery() {
    const socket = io(base + '/jobs', opts);
    await connected(socket);
    await socket.emitWithAck('subscribe:jobs', { jobId: 'rec-1' });
    const progress = [];
    let firstSeen;
    const first = new Promise((resolve) => { firstSeen = resolve; });
    socket.on('job:progress', (d) => { progress.push(d.progress); if (progress.length === 1) firstSeen(); });
    out({ ready: true });
    await first;
    const closed = once(socket, 'disconnect');
    socket.io.engine.close(); // the transport is cut, not a deliberate disconnect
    const [reason] = await closed;
    out({ disconnected: reason });
    await nextLine(); // the test published while we were away
    const done = new Promise((resolve) => socket.on('job:completed', resolve));
    socket.connect();
    await connected(socket);
    out({ recovered: socket.recovered });
    await done;
    out({ progress });
    socket.disconnect();
  },

  // the node this socket is on dies (kill -9): the test moves the balancer and publishes; recover elsewhere
  async crash() {
    const socket = io(base + '/jobs', opts);
    await connected(socket);
    await socket.emitWithAck('subscribe:jobs', { jobId: token });
    const progress = [];
    socket.on('job:progress', (d) => { progress.push(d.progress); if (progress.length === 5) out({ seen: 5 }); });
    const closed = once(socket, 'disconnect');
    out({ ready: true });
    const [reason] = await closed;
    out({ disconnected: reason });
    await nextLine(); // the other node acknowledged the events published while we were away
    const done = new Promise((resolve) => socket.on('job:completed', resolve));
    socket.connect();
    await connected(socket);
    out({ recovered: socket.recovered });
    await done;
    out({ progress });
    socket.disconnect();
  },

  // seed 000's quiz gateway: generate-quiz on /quiz, then every quiz-event type until quiz-complete
  async quiz() {
    const socket = io(base + '/quiz', { transports: ['websocket'] });
    const [hello] = await once(socket, 'connection');
    const types = [];
    const questions = [];
    socket.on('quiz-event', (e) => {
      types.push(e.type);
      if (e.type === 'question-generated') questions.push(e.data.question);
    });
    const finished = new Promise((resolve) => {
      socket.once('quiz-complete', (c) => resolve({ complete: c }));
      socket.once('quiz-error', (e) => resolve({ quizError: e }));
    });
    const ack = await socket.emitWithAck('generate-quiz', { filename: token, options: { questionsPerPage: 1 } });
    const result = await finished;
    out({ hello: hello.type, ack, types, questions: questions.length, ...result });
    socket.disconnect();
  },

  async auth() {
    const good = io(base + '/interview', { ...opts, auth: { token } });
    const [success] = await once(good, 'connection:success');
    out({ success });
    const bad = io(base + '/interview', { ...opts, forceNew: true, auth: { token: 'forged.token.value' } });
    const [err] = await once(bad, 'connect_error');
    out({ rejected: err.message, data: err.data });
    good.disconnect(); bad.disconnect();
  },
};

const run = scenarios[scenario];
if (!run) fail('unknown scenario ' + scenario);
run().then(() => { out({ done: true }); process.exit(0); }, (e) => fail(String(e && e.stack || e)));
