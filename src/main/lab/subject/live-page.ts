/**
 * GET /live: the attendee page. One self-contained document (inline CSS and JS, no external asset, no framework) so
 * a phone on the workshop network can follow the broadcast. It long-polls /wait like nodecast did — since = last
 * id + 1 — drops duplicates by id, and lists messages newest first, each with how late it came.
 *
 * What it reads from each /wait answer (src/shared/wire.ts): how many are held (the line that says what this is),
 * the subject's own clock as it answered (delay = that − publishedAt, both on the server's clock, so a phone whose
 * clock is wrong still reads true), the poll timeout (a wait unanswered well past it means a blocked loop: said while
 * it lasts), the run (after any break the page asks from #1; a new subject counts ids from 1 again, and the run
 * says so, so the page starts over instead of dropping them as duplicates) and
 * whether the subject is stopping (said plainly; the page then reconnects by itself, backing off up to 5 s, so it
 * is back within seconds of the next Start on the same port).
 */
import {
  HELD_HEADER,
  MISSED_HEADER,
  POLL_TIMEOUT_HEADER,
  RUN_HEADER,
  SENT_AT_HEADER,
  STOPPING_HEADER,
  TEXT_MAX_CHARS
} from '../../../shared/wire'

/** A held wait this much past its poll timeout is said to be unanswered (a timer firing a little late is not). */
export const LIVE_STUCK_MARGIN_MS = 2000
/** On a stream (WebSocket, SSE) the page asks the server something this often, to see its loop answer. */
export const LIVE_PROBE_EVERY_MS = 1000

const HEADERS = JSON.stringify({
  held: HELD_HEADER,
  missed: MISSED_HEADER,
  pollTimeout: POLL_TIMEOUT_HEADER,
  run: RUN_HEADER,
  sentAt: SENT_AT_HEADER,
  stopping: STOPPING_HEADER
})

const STYLE = `
  :root { --bg: #fff; --fg: #1b1f24; --muted: #59636e; --line: #d8dde3; --accent: #0a5cad; --bad: #b3261e;
          --warn-bg: #fff4e5; --slow: #9a4a00; }
  @media (prefers-color-scheme: dark) {
    :root { --bg: #111418; --fg: #e6e9ec; --muted: #a2acb7; --line: #2b3138; --accent: #6cb4ff; --bad: #ff8a80;
            --warn-bg: #2d2010; --slow: #ffb867; }
  }
  * { box-sizing: border-box; }
  html { -webkit-text-size-adjust: 100%; }
  body { margin: 0; background: var(--bg); color: var(--fg);
         font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
  main { max-width: 40rem; margin: 0 auto; padding: 1rem; }
  h1 { font-size: 1.25rem; margin: 0 0 .35rem; }
  p { margin: 0; }
  #what { font-size: 1.0625rem; margin-bottom: .5rem; overflow-wrap: anywhere; }
  #status { font-size: 1.0625rem; color: var(--muted); margin-bottom: .75rem; overflow-wrap: anywhere; }
  #status.bad { color: var(--bad); font-weight: 600; }
  #stuck { font-size: 1.0625rem; font-weight: 600; color: var(--bad); background: var(--warn-bg);
           border-left: 4px solid var(--bad); padding: .5rem .75rem; margin-bottom: .75rem; overflow-wrap: anywhere; }
  form { display: flex; gap: .5rem; }
  input { flex: 1 1 auto; width: 0; min-width: 0; font: inherit; padding: .6rem .7rem; border: 1px solid var(--line);
          border-radius: .5rem; background: transparent; color: inherit; }
  input::placeholder { color: var(--muted); opacity: 1; }
  button { flex: 0 0 auto; font: inherit; font-weight: 600; padding: .6rem 1rem; border: 0; border-radius: .5rem;
           background: var(--accent); color: var(--bg); cursor: pointer; }
  button:disabled { opacity: .5; }
  .hint { color: var(--muted); font-size: .9375rem; margin: .35rem 0 1rem; overflow-wrap: anywhere; }
  .hint.bad { color: var(--bad); }
  ol { list-style: none; margin: 0; padding: 0; }
  li { padding: .6rem 0; border-top: 1px solid var(--line); overflow-wrap: anywhere; }
  .meta { display: flex; flex-wrap: wrap; gap: .1rem .75rem; color: var(--muted); font-size: .9375rem;
          font-variant-numeric: tabular-nums; }
  .delay { font-weight: 600; color: var(--fg); }
  .delay.slow { color: var(--slow); }
  li.note { color: var(--muted); font-style: italic; }
`

// Plain ES2017 in the page: whatever browser a phone has. Every text goes in with textContent, never as HTML.
const SCRIPT = `
(() => {
  const H = ${HEADERS};
  const KEEP = 200, BASE_MS = 500, CAP_MS = 5000, STUCK_MARGIN_MS = ${LIVE_STUCK_MARGIN_MS}, SLOW_MS = 1000;
  const PROBE_EVERY_MS = ${LIVE_PROBE_EVERY_MS};
  const $ = (id) => document.getElementById(id);
  const list = $('list'), status = $('status'), what = $('what'), stuck = $('stuck'), hint = $('hint'), via = $('via');
  let last = 0, failures = 0, run = null, pollTimeoutMs = Number(document.documentElement.dataset.pollTimeoutMs) || 10000;
  // Since when this page has waited for the server to answer (a held wait, a ping, a probe); how long is too long.
  let waitingSince = null, stuckAfterMs = pollTimeoutMs + STUCK_MARGIN_MS;
  // Until the first answer, what it brings may be history: messages already in the log when this page asked.
  let firstAnswer = true;

  const say = (text, bad) => { status.textContent = text; status.className = bad ? 'bad' : ''; };
  // a number and its unit never part at a line break
  const seconds = (ms) => (ms / 1000).toFixed(ms < 10000 ? 1 : 0) + '\\u00a0s';
  const late = (ms) => ms < 1000 ? Math.max(0, Math.round(ms)) + '\\u00a0ms' : seconds(ms);
  const clock = (ms) => {
    const d = new Date(ms), p = (n) => String(n).padStart(2, '0');
    return p(d.getHours()) + ':' + p(d.getMinutes()) + ':' + p(d.getSeconds());
  };
  const add = (node) => {
    list.prepend(node);
    while (list.children.length > KEEP) list.lastElementChild.remove();
  };
  const note = (text) => { const li = document.createElement('li'); li.className = 'note'; li.textContent = text; add(li); };
  const span = (cls, text) => { const s = document.createElement('span'); s.className = cls; s.textContent = text; return s; };

  function show(m, sentAt, early) {
    const li = document.createElement('li'), meta = document.createElement('div');
    li.dataset.id = m.id;
    meta.className = 'meta';
    meta.append(span('id', '#' + m.id));
    if (early || !(sentAt > 0)) meta.append(span('delay', 'sent before you joined'));
    else {
      const ms = sentAt - m.publishedAt;
      const d = span('delay' + (ms >= SLOW_MS ? ' slow' : ''), 'delivered ' + late(ms) + ' after it was sent');
      d.dataset.delayMs = Math.round(ms);
      meta.append(d);
    }
    const t = document.createElement('time');
    t.dateTime = new Date(m.publishedAt).toISOString();
    t.textContent = clock(m.publishedAt);
    meta.append(t);
    const text = document.createElement('div');
    text.className = 'text';
    text.textContent = m.text;
    li.append(meta, text);
    add(li);
  }

  function held(n, joined) {
    const many = n.toLocaleString('en-US');
    what.textContent = n <= 1
      ? 'You are the only connection the speaker\\'s Loopscope server is holding open right now.'
      : joined ? 'You joined as one of ' + many + ' held connections on the speaker\\'s Loopscope server.'
      : 'You are one of ' + many + ' held connections on the speaker\\'s Loopscope server.';
  }

  // While the server leaves this page unanswered too long, the loop that should answer it is not running.
  setInterval(() => {
    const ms = waitingSince === null ? 0 : performance.now() - waitingSince;
    if (ms > stuckAfterMs) {
      stuck.hidden = false;
      stuck.textContent = 'The server has not answered for ' + Math.floor(ms / 1000) + '\\u00a0s — its event loop may be blocked.';
    } else stuck.hidden = true;
  }, 250);

  const pause = () => {
    failures++;
    const ms = Math.min(CAP_MS, BASE_MS * 2 ** (failures - 1)) * (0.5 + Math.random() / 2);
    return new Promise((r) => setTimeout(r, ms));
  };
  const away = () => { what.textContent = 'You are not connected to the speaker\\'s Loopscope server right now.'; };
  const connected = () => { failures = 0; stopped = false; say('Connected · waiting for the next message'); };
  const stopping = () => { stopped = true; away(); say('The speaker stopped the server — reconnecting…', true); };

  // After a break (a failed connection, a stop) the page asks from #1: the answer comes at once if the log holds
  // anything, and its run says whether this is the same run (keep what is new) or another one, counting from #1.
  let resync = true, stopped = false;
  /** A run as a connection says it: false when it is a new one (then everything from #1 is new). */
  function sameRun(answeredRun) {
    const same = run === null || answeredRun === run;
    if (!same) { note('The speaker started a new run: messages count from #1 again.'); last = 0; }
    run = answeredRun;
    return same;
  }
  /** The messages of one answer or replay, in order; sentAt on the server's clock; askedOnServer for history. */
  function deliver(messages, sentAt, askedOnServer) {
    for (const m of messages) {
      if (m.id <= last) continue;
      if (resync && last > 0 && m.id > last + 1) note((m.id - last - 1) + ' message(s) left the server\\'s log while you were away.');
      resync = false;
      show(m, sentAt, firstAnswer && m.publishedAt < askedOnServer - 50);
      last = m.id;
    }
  }

  // ── the three transports, best first; each resolves when its connection ends: whether it ever worked ──
  const NAMES = { websocket: 'WebSocket', sse: 'Server-Sent Events', 'long-poll': 'long polling' };
  const ORDER = ['websocket', 'sse', 'long-poll'];

  /** For a stream: the server's clock now, from its hello (as a wait's answer carries its own). */
  let helloAt = null;
  const serverNow = () => helloAt === null ? 0 : helloAt.server + (performance.now() - helloAt.here);
  function hello(h) {
    helloAt = { server: h.now, here: performance.now() };
    sameRun(h.run);
    held(h.subscribers, true);
    connected();
    return h.now;
  }
  function streamFrame(f, askedOnServer) {
    if (f.type === 'message') deliver([f], serverNow(), askedOnServer());
    else if (f.type === 'missed') note(f.count + ' message(s) had already left the server\\'s log.');
    else if (f.type === 'stopping') stopping();
  }

  function viaWebSocket() {
    return new Promise((resolve) => {
      let ws, worked = false, askedOnServer = 0, ping = 0;
      try {
        ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws?since=' + (resync ? 1 : last + 1));
      } catch (err) { return resolve(false); }
      // The loop answers a ping at once; one left unanswered means it is not running.
      const probe = setInterval(() => {
        if (ws.readyState !== 1 || waitingSince !== null) return;
        waitingSince = performance.now();
        ws.send(JSON.stringify({ ping: ++ping }));
      }, PROBE_EVERY_MS);
      ws.onmessage = (e) => {
        let f;
        try { f = JSON.parse(e.data); } catch (err) { return; }
        if (f.type === 'pong') { waitingSince = null; return; }
        if (f.type === 'hello') { worked = true; askedOnServer = hello(f); return; }
        streamFrame(f, () => askedOnServer);
        if (f.type === 'message') waitingSince = null;
      };
      ws.onclose = () => { clearInterval(probe); waitingSince = null; resolve(worked); };
    });
  }

  function viaSse() {
    return new Promise((resolve) => {
      if (typeof EventSource !== 'function') return resolve(false);
      let worked = false, askedOnServer = 0;
      const es = new EventSource('/events?since=' + (resync ? 1 : last + 1));
      // No way to ask on the stream itself: a HEAD of the hello-world route, answered at once by a free loop.
      const probe = setInterval(() => {
        if (waitingSince !== null) return;
        waitingSince = performance.now();
        fetch('/', { method: 'HEAD', cache: 'no-store' }).then(() => { waitingSince = null; }, () => {});
      }, PROBE_EVERY_MS);
      es.addEventListener('hello', (e) => { worked = true; askedOnServer = hello(JSON.parse(e.data)); });
      es.addEventListener('missed', (e) => streamFrame(JSON.parse(e.data), () => askedOnServer));
      es.addEventListener('stopping', () => streamFrame({ type: 'stopping' }));
      es.onmessage = (e) => streamFrame(Object.assign({ type: 'message' }, JSON.parse(e.data)), () => askedOnServer);
      // EventSource would reconnect by itself, but without asking from #1 after a break: this page does it.
      es.onerror = () => { es.close(); clearInterval(probe); waitingSince = null; resolve(worked); };
    });
  }

  async function viaLongPoll() {
    let worked = false;
    for (;;) {
      const since = resync ? 1 : last + 1;
      let res;
      const askedAt = performance.now();
      waitingSince = askedAt;
      try {
        res = await fetch('/wait?since=' + since, { cache: 'no-store' });
      } catch (err) {
        return worked;
      } finally {
        waitingSince = null;
      }
      try {
        if (res.headers.get(H.stopping) === '1') { stopping(); return true; }
        if (!res.ok) {
          const body = await res.json().catch(() => ({}));
          say('The server refused (' + (body.message || 'HTTP ' + res.status) + ') — retrying…', true);
          return worked;
        }
        const messages = await res.json();
        const timeout = Number(res.headers.get(H.pollTimeout));
        if (timeout > 0) { pollTimeoutMs = timeout; stuckAfterMs = timeout + STUCK_MARGIN_MS; }
        if (!sameRun(res.headers.get(H.run)) && !resync) { resync = true; continue; }
        worked = true;
        connected();
        const missed = Number(res.headers.get(H.missed) || 0);
        if (!resync && missed > 0) note(missed + ' message(s) had already left the server\\'s log.');
        const sentAt = Number(res.headers.get(H.sentAt));
        // When this page asked, on the server's clock: its answer time less how long the answer took here.
        deliver(messages, sentAt, sentAt - (performance.now() - askedAt));
        firstAnswer = false;
        resync = false;
        held(Number(res.headers.get(H.held)) || 1, false);
      } catch (err) {
        say('The server sent something this page cannot read — retrying…', true);
        return worked;
      }
    }
  }

  const CONNECT = { websocket: viaWebSocket, sse: viaSse, 'long-poll': viaLongPoll };
  // A transport that never worked here (a proxy that does not pass it, an old browser) gives way to the next at
  // once; one that has worked is kept, and retried with a backoff, through a stop and a restart of the server.
  async function follow() {
    let at = 0, proven = false;
    for (;;) {
      const name = ORDER[at];
      via.dataset.transport = name;
      via.textContent = 'Receiving over ' + NAMES[name] + (at + 1 < ORDER.length ? ' (if it cannot, ' + ORDER.slice(at + 1).map((n) => NAMES[n]).join(', then ') + ').' : '.');
      stuckAfterMs = name === 'long-poll' ? pollTimeoutMs + STUCK_MARGIN_MS : STUCK_MARGIN_MS;
      const worked = await CONNECT[name]();
      if (worked) { proven = true; firstAnswer = false; }
      else if (!proven && at + 1 < ORDER.length) { at++; continue; }
      resync = true;
      if (!stopped) {
        away();
        say('Cannot reach the speaker\\'s server (stopped, or this phone is off its network) — reconnecting…', true);
      }
      await pause();
    }
  }

  $('send').addEventListener('submit', async (e) => {
    e.preventDefault();
    const input = $('text'), go = $('go');
    const text = input.value.trim();
    if (!text) return;
    go.disabled = true;
    try {
      const res = await fetch('/publish', { method: 'POST', headers: { 'content-type': 'application/json' },
                                            body: JSON.stringify({ text }) });
      if (!res.ok) throw new Error((await res.json().catch(() => ({}))).message || 'HTTP ' + res.status);
      input.value = '';
      hint.textContent = 'Sent. It appears below when the server delivers it.';
      hint.className = 'hint';
    } catch (err) {
      hint.textContent = 'Not sent: ' + (err instanceof TypeError ? 'the server cannot be reached' : err.message);
      hint.className = 'hint bad';
    } finally {
      go.disabled = false;
    }
  });

  follow();
})();
`

/** The attendee page's HTML (self-contained: it only talks to /ws, /events, /wait, / and /publish on its origin). */
export function livePage(pollTimeoutMs: number): string {
  return `<!doctype html>
<html lang="en" data-poll-timeout-ms="${Math.round(pollTimeoutMs)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>Loopscope · live</title>
<style>${STYLE}</style>
</head>
<body>
<main>
  <h1>Loopscope · live</h1>
  <p id="what" data-testid="what">Connecting to the speaker's Loopscope server…</p>
  <p id="via" data-testid="via" class="hint"></p>
  <p id="status" role="status">connecting…</p>
  <p id="stuck" role="alert" hidden></p>
  <form id="send">
    <input id="text" name="text" maxlength="${TEXT_MAX_CHARS}" autocomplete="off" placeholder="Say something…"
           aria-label="Message to everyone" aria-describedby="hint" required>
    <button id="go">Send</button>
  </form>
  <p id="hint" class="hint">Up to ${TEXT_MAX_CHARS} characters, to everyone here. Each message shows how long the server took to deliver it.</p>
  <ol id="list" aria-live="polite"></ol>
</main>
<script>${SCRIPT}</script>
</body>
</html>
`
}
