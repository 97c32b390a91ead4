// The reference peer: socket.io 4 on Node, its default transports (HTTP long-polling and WebSocket: the harness's
// WebSocket clients connect with transport=websocket, its polling clients stay on polling), namespace /jobs
// with the seed-002 "subscribe:jobs" event joining job:{jobId}, and a room broadcast of job:progress.
// Control plane on its own loopback port, the same as the Java servers (benchmarks/.../Control.java):
//   POST /bench/publish?prefix=job:fan-&rooms=1&count=N&rate=R   (R events/s over all rooms, 0 = max)
//   GET  /bench/mem    heap used after gc (run node with --expose-gc) and rss
// Prints "READY port=<ws> control=<control>".
'use strict';
const http = require('http');
const { Server } = require('socket.io');

const httpServer = http.createServer();
const io = new Server(httpServer, { transports: ['polling', 'websocket'], serveClient: false });
const jobs = io.of('/jobs');
jobs.on('connection', (socket) => {
  socket.on('subscribe:jobs', (req, ack) => {
    const room = req && req.jobId ? `job:${req.jobId}` : 'all-jobs';
    socket.join(room);
    if (typeof ack === 'function') ack({ success: true, room, message: `Subscribed to ${room}` });
  });
});

// Epoch microseconds on the wall clock, as the harness and the Java servers stamp them (Instant.now()). Node's
// monotonic clock (performance.now(), hrtime) drifts from the wall clock by up to ~1 ms in 30 s on this VM, and
// Date.now() has only millisecond resolution, so the monotonic clock is re-anchored to the wall clock every second,
// at the instant Date.now() ticks over (a spin of at most 1 ms), which pins the offset to the microsecond.
let wallOffset = 0;
function anchor() {
  const t0 = Date.now();
  let t;
  do { t = Date.now(); } while (t === t0);
  wallOffset = t * 1000 - Number(process.hrtime.bigint() / 1000n);
}
anchor();
setInterval(anchor, 1000).unref();

function micros() {
  return Number(process.hrtime.bigint() / 1000n) + wallOffset;
}

function publishOne(room, jobId, progress) {
  const ts = micros();
  jobs.to(room).emit('job:progress', {
    jobId, status: 'in_progress', progress, message: 'Analyzing content',
    timestamp: new Date(ts / 1000).toISOString(), ts,
  });
}

function publish(q, done) {
  const prefix = q.get('prefix') || 'job:fan-';
  const rooms = parseInt(q.get('rooms') || '1', 10);
  const count = parseInt(q.get('count') || '1', 10);
  const rate = parseFloat(q.get('rate') || '0');
  const names = [];
  for (let i = 0; i < rooms; i++) names.push(prefix + i);
  const total = rooms * count;
  const start = process.hrtime.bigint();
  let seq = 0;
  const emitNext = () => {
    const r = seq % rooms;
    publishOne(names[r], names[r].substring(names[r].indexOf(':') + 1), Math.floor(seq / rooms) % 101);
    seq++;
  };
  const finish = () => done({ published: seq, nanos: Number(process.hrtime.bigint() - start) });
  if (rate <= 0) {
    // as fast as possible, but yield to I/O between events (a tight loop would only write after it ends)
    const step = () => {
      emitNext();
      if (seq < total) setImmediate(step); else finish();
    };
    step();
  } else {
    const intervalNs = 1e9 / rate;
    const step = () => {
      const elapsed = Number(process.hrtime.bigint() - start);
      while (seq < total && seq * intervalNs <= elapsed) emitNext();
      if (seq < total) setTimeout(step, 1); else finish();
    };
    step();
  }
}

const control = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  const reply = (obj) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(obj));
  };
  if (url.pathname === '/bench/publish') {
    publish(url.searchParams, reply);
  } else if (url.pathname === '/bench/mem') {
    if (global.gc) { global.gc(); global.gc(); }
    const m = process.memoryUsage();
    reply({ heapUsed: m.heapUsed, rss: m.rss, gc: !!global.gc });
  } else if (url.pathname === '/bench/stats') {
    reply({ sockets: jobs.sockets.size });
  } else {
    res.writeHead(404);
    res.end();
  }
});

httpServer.listen(0, '127.0.0.1', () => {
  control.listen(0, '127.0.0.1', () => {
    console.log(`READY port=${httpServer.address().port} control=${control.address().port}`);
  });
});
process.on('SIGTERM', () => process.exit(0));
