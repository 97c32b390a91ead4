// The demo console: every flow of the example server on one page, with the unchanged npm socket.io-client
// (default transports: polling first, then the upgrade) and the native browser client (/realtime.js).
import { RealtimeClient } from '/realtime.js';

const $ = (id) => document.getElementById(id);
const text = (id, value) => { $(id).textContent = value; };
const errors = new Map();
/** Shows a failure on the page (never a silent stall); the same key replaces its previous message. */
function fail(key, message) {
  errors.set(key, message);
  renderErrors();
}
function clear(key) {
  if (errors.delete(key)) renderErrors();
}
function renderErrors() {
  $('errors').replaceChildren(...[...errors.values()].map((m) => {
    const d = document.createElement('div');
    d.className = 'error';
    d.textContent = m;
    return d;
  }));
}
async function api(path, options = {}) {
  let res;
  try {
    res = await fetch(path, options);
  } catch (e) {
    throw new Error('server unreachable: ' + e.message);
  }
  const body = await res.json().catch(() => ({}));
  if (!res.ok) {
    const err = body.error || {};
    throw new Error(`${res.status} ${err.code || ''}: ${err.message || res.statusText}`.trim());
  }
  return body;
}
function pill(id, state, ok) {
  const el = $(id);
  el.textContent = state;
  el.className = 'pill ' + (ok ? 'ok' : 'bad');
}

// ---- connection status ---------------------------------------------------------------------------------
const root = io({ reconnectionDelayMax: 2000 });
let reconnects = 0;
function showTransport() { text('sio-transport', root.io.engine ? root.io.engine.transport.name : '-'); }
root.on('connect', () => {
  pill('sio-state', 'connected', true);
  text('sio-recovered', reconnects > 0 ? String(root.recovered) : 'first connect');
  clear('sio');
  showTransport();
  root.io.engine.on('upgrade', showTransport);
});
root.on('disconnect', (reason) => { pill('sio-state', 'disconnected', false); fail('sio', 'Socket.IO disconnected: ' + reason); });
root.on('connect_error', (e) => { pill('sio-state', 'error', false); fail('sio', 'Socket.IO cannot connect: ' + e.message); });
root.io.on('reconnect_attempt', () => text('sio-reconnects', String(++reconnects)));

const native = new RealtimeClient({ rooms: ['all-jobs'] });
native.onState((state, info) => {
  pill('native-state', state + (info && info.transport ? ' (' + info.transport + ')' : ''), state === 'open');
  if (state === 'failed') fail('native', 'native client gave up reconnecting');
  if (state === 'open') clear('native');
});
native.connect();

// ---- jobs ---------------------------------------------------------------------------------------------------
const jobs = io('/jobs');
const jobRows = new Map();
function jobRow(jobId) {
  if (!jobRows.has(jobId)) {
    if (jobRows.size === 0) $('job-list').replaceChildren();
    const row = document.createElement('div');
    row.dataset.job = jobId;
    row.innerHTML = `<span class="name"></span> <span class="state small muted">queued</span><div class="bar"><div></div></div>`;
    row.querySelector('.name').textContent = jobId;
    $('job-list').appendChild(row);
    jobRows.set(jobId, row);
  }
  return jobRows.get(jobId);
}
jobs.on('job:progress', (d) => {
  const row = jobRow(d.jobId);
  row.querySelector('.bar > div').style.width = d.progress + '%';
  row.querySelector('.state').textContent = d.progress + '% ' + (d.message || '');
});
jobs.on('job:completed', (d) => {
  const row = jobRow(d.jobId);
  row.querySelector('.bar > div').style.width = '100%';
  row.querySelector('.state').textContent = 'completed';
  row.dataset.done = 'true';
});
jobs.on('job:error', (d) => { jobRow(d.jobId).querySelector('.state').textContent = 'failed: ' + d.error; });
$('start-jobs').onclick = async () => {
  try {
    for (let i = 0; i < 3; i++) {
      const { jobId } = await api('/api/demo-jobs', { method: 'POST', body: JSON.stringify({ steps: 8 + 2 * i, intervalMs: 200 }) });
      jobRow(jobId);
      const ack = await jobs.emitWithAck('subscribe:jobs', { jobId });
      if (!ack.success) throw new Error(ack.message);
    }
    clear('jobs');
  } catch (e) {
    fail('jobs', 'Demo jobs: ' + e.message);
  }
};

// ---- PDF to quiz ----------------------------------------------------------------------------------------------
const quiz = io('/quiz');
let questions = 0;
quiz.on('quiz-event', (e) => {
  if (e.type === 'question-generated') {
    const li = document.createElement('li');
    li.textContent = e.data.question.question || e.data.question.text || JSON.stringify(e.data.question);
    $('quiz-questions').appendChild(li);
    questions++;
  }
  if (e.data && typeof e.data.progress === 'number') $('quiz-bar').style.width = e.data.progress + '%';
  text('quiz-status', e.type + (e.data && e.data.page ? ' (page ' + e.data.page + ')' : '') + ' · ' + questions + ' question(s)');
});
quiz.on('quiz-complete', (c) => {
  $('quiz-bar').style.width = '100%';
  text('quiz-status', 'completed · ' + c.data.totalQuestions + ' question(s)');
  const a = document.createElement('a');
  // the link's path on this page's origin (the server may not know the address it is reached by)
  const u = new URL(c.data.magicLink || c.data.shareUrl, location.href);
  a.href = u.pathname + u.search + u.hash;
  a.textContent = 'Open the shared quiz';
  a.id = 'quiz-link';
  $('quiz-share').replaceChildren(a);
});
quiz.on('quiz-error', (e) => fail('quiz', 'Quiz: ' + e.message));
$('make-quiz').onclick = async () => {
  const file = $('pdf').files[0];
  if (!file) { fail('quiz', 'Quiz: choose a PDF first'); return; }
  try {
    clear('quiz');
    questions = 0;
    $('quiz-questions').replaceChildren();
    $('quiz-share').replaceChildren();
    text('quiz-status', 'uploading…');
    const form = new FormData();
    form.append('file', file);
    const { filename } = await api('/api/files', { method: 'POST', body: form });
    text('quiz-status', 'uploaded; generating…');
    const ack = await quiz.emitWithAck('generate-quiz', { filename, options: { questionsPerPage: 1 } });
    if (ack && ack.error) throw new Error(ack.error.message);
  } catch (e) {
    fail('quiz', 'Quiz: ' + e.message);
  }
};

// ---- one question ---------------------------------------------------------------------------------------------
root.on('question:generating', () => text('q-status', 'generating…'));
root.on('question:generated', (d) => {
  text('q-status', 'generated');
  text('q-text', (d.question && (d.question.question || d.question.text)) || JSON.stringify(d.question));
});
root.on('question:error', (d) => { text('q-status', 'error'); fail('question', 'Question: ' + d.code + ' ' + d.message); });
$('generate').onclick = async () => {
  clear('question');
  text('q-status', 'requested');
  const ack = await root.emitWithAck('question:generate', { examType: 'demo', subject: $('q-subject').value,
    difficulty: $('q-difficulty').value, questionType: 'multiple-choice', requestId: 'q-' + Date.now(),
    context: $('q-context').value });
  if (ack && ack.error) { text('q-status', 'refused'); fail('question', 'Question: ' + ack.error.code + ' ' + ack.error.message); }
};

// ---- contest ---------------------------------------------------------------------------------------------------
function renderBoard(board) {
  $('leaderboard').replaceChildren(...(board || []).map((s, i) => {
    const tr = document.createElement('tr');
    tr.innerHTML = '<td></td><td></td><td></td>';
    tr.children[0].textContent = s.rank || i + 1;
    tr.children[1].textContent = s.userId;
    tr.children[2].textContent = s.score;
    return tr;
  }));
}
function player(name) {
  const s = io({ forceNew: true });
  s.on('contest:leaderboard_update', (u) => {
    if (name === 'you') {
      renderBoard(u.leaderboard);
      const t = $('leaderboard');
      t.dataset.updates = String(Number(t.dataset.updates || 0) + 1);
    }
  });
  s.on('contest:error', (e) => { if (name === 'you') fail('contest', 'Contest: ' + e.code + ' ' + e.message); });
  return s;
}
$('join-contest').onclick = async () => {
  try {
    clear('contest');
    const names = ['you', 'bot-ada', 'bot-bo', 'bot-cy'];
    const players = names.map((n) => ({ name: n, socket: player(n) }));
    const user = 'you-' + Math.random().toString(36).slice(2, 7);
    for (const p of players) {
      const joined = await p.socket.emitWithAck('contest:join', { contestId: 'demo', userId: p.name === 'you' ? user : p.name + '-' + user.slice(4) });
      if (joined.status !== 'ok') throw new Error((joined.error && joined.error.message) || joined.message || 'join refused');
      p.contest = joined.contest;
      p.userId = joined.userId;
      if (p.name === 'you') renderBoard(joined.leaderboard);
    }
    const qs = players[0].contest.questions || [];
    text('contest-status', `joined as ${players[0].userId} with 3 bots · ${qs.length} question(s)`);
    // everyone answers every question: you pick the first option, bots answer at random, a little apart
    let answered = 0;
    for (const q of qs) {
      for (const p of players) {
        const answer = p.name === 'you' ? 0 : Math.floor(Math.random() * (q.options || [0, 1]).length);
        const r = await p.socket.emitWithAck('contest:submit_answer', { contestId: 'demo', userId: p.userId, questionId: q.id, answer });
        if (r.status && r.status !== 'ok' && r.error) throw new Error(r.error.message);
        if (p.name === 'you') {
          answered++;
          text('contest-question', `answered ${answered}/${qs.length}: ${r.correct ? 'correct' : 'wrong'} (+${r.points || 0}, score ${r.score})`);
        }
      }
    }
    const board = await players[0].socket.emitWithAck('contest:get_leaderboard', { contestId: 'demo' });
    if (board && board.leaderboard) renderBoard(board.leaderboard);
  } catch (e) {
    fail('contest', 'Contest: ' + e.message);
  }
};

// ---- interview --------------------------------------------------------------------------------------------------
let interview = null;
const ivPresent = new Set();
function ivLog(line) {
  const d = document.createElement('div');
  d.textContent = line;
  $('iv-log').prepend(d);
}
function renderPresent() { text('iv-present', [...ivPresent].sort().join(', ') || '-'); }
$('iv-join').onclick = async () => {
  const name = $('iv-user').value || 'guest-' + Math.random().toString(36).slice(2, 6);
  $('iv-user').value = name;
  interview = io('/interview', { forceNew: true, auth: { userId: name } });
  interview.on('connect_error', (e) => fail('interview', 'Interview: ' + e.message));
  interview.on('user:joined', (d) => { ivPresent.add(d.userId); renderPresent(); ivLog(d.userId + ' joined'); });
  interview.on('user:left', (d) => { ivPresent.delete(d.userId); renderPresent(); ivLog(d.userId + ' left'); });
  interview.on('user:disconnected', (d) => { ivPresent.delete(d.userId); renderPresent(); ivLog(d.userId + ' disconnected'); });
  interview.on('session:status:updated', (d) => { text('iv-current', d.status); ivLog('status ' + d.status); });
  interview.on('session:error', (d) => fail('interview', 'Interview: ' + d.code + ' ' + d.message));
  interview.on('transcription:processing', () => ivLog('transcribing…'));
  interview.on('transcription:result', (d) => ivLog((d.isFinal || d.final ? 'final: ' : 'partial: ') + d.text));
  interview.on('transcription:error', (d) => fail('interview', 'Transcription: ' + d.code + ' ' + d.message));
  interview.on('responses:suggestions', (d) => ivLog('suggestions: ' + (d.suggestions || []).map((s) => s.text || s).join(' | ')));
  const joined = new Promise((resolve) => interview.once('session:joined', resolve));
  interview.emit('session:join', { sessionId: $('iv-session').value });
  const j = await joined;
  (j.participants || []).forEach((p) => ivPresent.add(p.userId || p));
  renderPresent();
  if (j.status) text('iv-current', j.status.status || j.status);
  text('iv-state', 'joined ' + j.sessionId + ' as ' + name);
  clear('interview');
};
$('iv-set-status').onclick = () => {
  if (!interview) { fail('interview', 'Interview: join a session first'); return; }
  interview.emit('session:status', { sessionId: $('iv-session').value, status: $('iv-status').value });
};
$('iv-say').onclick = async () => {
  if (!interview) { fail('interview', 'Interview: join a session first'); return; }
  const file = $('iv-wav').files[0];
  if (!file) { fail('interview', 'Interview: choose a WAV recording first'); return; }
  try {
    const bytes = new Uint8Array(await file.arrayBuffer());
    let bin = '';
    for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    interview.emit('transcription:request', { sessionId: $('iv-session').value, audioData: btoa(bin), format: 'wav' });
    clear('interview');
  } catch (e) {
    fail('interview', 'Transcription: ' + e.message);
  }
};

// ---- the hub, live ----------------------------------------------------------------------------------------------
const samples = [];
let last = null;
async function pollHealth() {
  try {
    const h = await api('/health');
    clear('health');
    const now = performance.now();
    text('h-connections', h.connections ?? '-');
    text('h-rooms', h.rooms ?? '-');
    text('h-conflated', h.conflated ?? '-');
    text('h-slow', h.slowConsumerCloses ?? '-');
    if (last && h.messagesOut !== undefined) {
      const rate = Math.max(0, Math.round((h.messagesOut - last.out) * 1000 / (now - last.at)));
      text('h-rate', rate);
      samples.push(rate);
      if (samples.length > 60) samples.shift();
      draw();
    }
    last = { out: h.messagesOut, at: now };
  } catch (e) {
    fail('health', 'Server: ' + e.message);
  }
}
function draw() {
  const c = $('h-chart');
  const g = c.getContext('2d');
  g.clearRect(0, 0, c.width, c.height);
  const max = Math.max(10, ...samples);
  g.strokeStyle = '#0969da';
  g.lineWidth = 2;
  g.beginPath();
  samples.forEach((v, i) => {
    const x = i * (c.width / 59);
    const y = c.height - 4 - (v / max) * (c.height - 20);
    if (i === 0) g.moveTo(x, y); else g.lineTo(x, y);
  });
  g.stroke();
  g.fillStyle = '#656d76';
  g.fillText('messages/s (max ' + max + ')', 6, 12);
}
pollHealth();
setInterval(pollHealth, 1000);
