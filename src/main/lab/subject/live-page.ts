/**
 * GET /live: the attendee page. One self-contained document (inline CSS and JS, no external asset, no framework) so
 * a phone on the workshop network can follow the broadcast. It long-polls /wait like nodecast did — since = last
 * id + 1 — drops duplicates by id, backs off on errors (capped, jittered), and lists messages newest first.
 */

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>Loopscope · live</title>
<style>
  :root { --bg: #fff; --fg: #1b1f24; --muted: #5b6570; --line: #d8dde3; --accent: #0a66c2; --bad: #b3261e; }
  @media (prefers-color-scheme: dark) {
    :root { --bg: #111418; --fg: #e6e9ec; --muted: #98a2ad; --line: #2b3138; --accent: #6cb4ff; --bad: #ff8a80; }
  }
  * { box-sizing: border-box; }
  body { margin: 0; background: var(--bg); color: var(--fg);
         font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
  main { max-width: 40rem; margin: 0 auto; padding: 1rem; }
  h1 { font-size: 1.25rem; margin: 0 0 .25rem; }
  #status { color: var(--muted); font-size: .875rem; margin: 0 0 1rem; }
  #status.bad { color: var(--bad); }
  form { display: flex; gap: .5rem; margin-bottom: 1rem; }
  input { flex: 1; min-width: 0; font: inherit; padding: .6rem .7rem; border: 1px solid var(--line);
          border-radius: .5rem; background: transparent; color: inherit; }
  button { font: inherit; padding: .6rem 1rem; border: 0; border-radius: .5rem; background: var(--accent);
           color: var(--bg); cursor: pointer; }
  button:disabled { opacity: .5; }
  ol { list-style: none; margin: 0; padding: 0; }
  li { padding: .6rem 0; border-top: 1px solid var(--line); overflow-wrap: anywhere; }
  li time { display: block; color: var(--muted); font-size: .8rem; font-variant-numeric: tabular-nums; }
  li.note { color: var(--muted); font-style: italic; }
</style>
</head>
<body>
<main>
  <h1>Live</h1>
  <p id="status" role="status">connecting…</p>
  <form id="send">
    <input id="text" name="text" maxlength="280" autocomplete="off" placeholder="Say something (1–280 characters)"
           aria-label="Message" required>
    <button id="go">Send</button>
  </form>
  <ol id="list" aria-live="polite"></ol>
</main>
<script>
(() => {
  const KEEP = 200, BASE_MS = 500, CAP_MS = 15000;
  const list = document.getElementById('list'), status = document.getElementById('status');
  let last = 0, failures = 0;

  const say = (text, bad) => { status.textContent = text; status.className = bad ? 'bad' : ''; };
  const clock = (ms) => {
    const d = new Date(ms), p = (n, w) => String(n).padStart(w || 2, '0');
    return p(d.getHours()) + ':' + p(d.getMinutes()) + ':' + p(d.getSeconds()) + '.' + p(d.getMilliseconds(), 3);
  };
  const add = (node) => {
    list.prepend(node);
    while (list.children.length > KEEP) list.lastElementChild.remove();
  };
  const note = (text) => { const li = document.createElement('li'); li.className = 'note'; li.textContent = text; add(li); };
  const show = (m) => {
    const li = document.createElement('li'), t = document.createElement('time');
    t.dateTime = new Date(m.publishedAt).toISOString();
    t.textContent = '#' + m.id + ' · ' + clock(m.publishedAt);
    li.append(t, document.createTextNode(m.text));
    add(li);
  };

  async function poll() {
    for (;;) {
      const since = last + 1;
      try {
        const res = await fetch('/wait?since=' + since, { cache: 'no-store' });
        if (!res.ok) throw new Error('HTTP ' + res.status);
        const messages = await res.json();
        const missed = Number(res.headers.get('x-loopscope-missed') || 0);
        if (missed > 0) note(missed + ' older message(s) had already left the log');
        // Ids below what we asked for: the subject restarted and counts from 1 again.
        if (messages.length && messages[0].id < since) { last = 0; note('the server restarted'); }
        for (const m of messages) if (m.id > last) { show(m); last = m.id; }
        failures = 0;
        say('connected · waiting for news');
      } catch (err) {
        failures++;
        const delayMs = Math.min(CAP_MS, BASE_MS * 2 ** (failures - 1)) * (0.5 + Math.random() / 2);
        say('connection lost (' + err.message + ') · retrying in ' + (delayMs / 1000).toFixed(1) + ' s', true);
        await new Promise((r) => setTimeout(r, delayMs));
      }
    }
  }

  document.getElementById('send').addEventListener('submit', async (e) => {
    e.preventDefault();
    const input = document.getElementById('text'), go = document.getElementById('go');
    const text = input.value.trim();
    if (!text) return;
    go.disabled = true;
    try {
      const res = await fetch('/publish', { method: 'POST', headers: { 'content-type': 'application/json' },
                                            body: JSON.stringify({ text }) });
      if (!res.ok) throw new Error((await res.json().catch(() => ({}))).message || 'HTTP ' + res.status);
      input.value = '';
    } catch (err) {
      say('not sent: ' + err.message, true);
    } finally {
      go.disabled = false;
    }
  });

  poll();
})();
</script>
</body>
</html>
`

/** The attendee page's HTML (self-contained: it only talks to /wait and /publish on its own origin). */
export function livePage(): string {
  return PAGE
}
