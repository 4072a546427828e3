// A Server-Sent Event stream of /api/v1 read with fetch() and a ReadableStream reader (EventSource
// cannot send the Authorization header): text/event-stream framing (id:, event:, data:, a blank line
// ends an event, lines starting with ':' are comments), reconnection with Last-Event-ID after a drop
// (backoff 1 s doubling to 30 s, back to 1 s once a connection delivered its 'ready' event), close()
// when the page changes. The header's #live element carries data-live: connecting, connected, retrying
// or off (no stream open), for people and for the browser test.
import { token } from './api.js';

const MIN_BACKOFF = 1000;
const MAX_BACKOFF = 30000;
const open = new Set();

/** Splits text/event-stream text into events; feed() takes chunks, calls onEvent({id, event, data}). */
export class SseParser {
  constructor(onEvent) {
    this.onEvent = onEvent;
    this.buffer = '';
    this.reset();
  }

  reset() {
    this.id = null;
    this.event = '';
    this.data = [];
  }

  feed(chunk) {
    this.buffer += chunk;
    let nl;
    while ((nl = this.buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = this.buffer.slice(0, nl);
      const width = this.buffer.startsWith('\r\n', nl) ? 2 : 1;
      if (this.buffer[nl] === '\r' && width === 1 && nl === this.buffer.length - 1) break; // a CR LF may be split
      this.buffer = this.buffer.slice(nl + width);
      this.line(line);
    }
  }

  line(line) {
    if (line === '') {
      if (this.data.length > 0 || this.event) {
        this.onEvent({ id: this.id, event: this.event || 'message', data: this.data.join('\n') });
      }
      this.reset();
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    else if (field === 'id' && !value.includes('\0')) this.id = value;
  }
}

/**
 * Opens GET /api/v1{path} as a stream: handlers maps event names (e.g. 'readings', 'alert-raised') to
 * functions of the parsed JSON data. Returns {close()}.
 */
export function subscribe(path, handlers) {
  const s = { path, handlers, lastId: null, backoff: MIN_BACKOFF, controller: null, timer: null, closed: false, state: 'connecting' };
  s.close = () => {
    s.closed = true;
    clearTimeout(s.timer);
    if (s.controller) s.controller.abort();
    open.delete(s);
    show();
  };
  open.add(s);
  connect(s);
  return { close: s.close };
}

/** Reconnects every waiting stream now (e.g. after a new token was entered). */
export function retryNow() {
  for (const s of open) {
    if (s.state === 'retrying') {
      clearTimeout(s.timer);
      s.backoff = MIN_BACKOFF;
      connect(s);
    }
  }
}

async function connect(s) {
  if (s.closed) return;
  setState(s, 'connecting');
  const controller = new AbortController();
  s.controller = controller;
  try {
    if (!token.get()) throw new Error('no token');
    const headers = { Accept: 'text/event-stream', Authorization: 'Bearer ' + token.get() };
    if (s.lastId) headers['Last-Event-ID'] = s.lastId;
    const response = await fetch('/api/v1' + s.path, { headers, signal: controller.signal, cache: 'no-store' });
    if (response.status === 400 && s.lastId) {
      s.lastId = null; // a position this stream no longer takes: start now (the slow poll fills the gap)
      throw new Error('400');
    }
    if (!response.ok || !response.body) throw new Error(String(response.status));
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    const parser = new SseParser((e) => deliver(s, e));
    for (;;) {
      const { value, done } = await reader.read();
      if (done || s.closed) break;
      parser.feed(value);
    }
  } catch (e) {
    // dropped, refused or unreachable: retried below
  }
  if (s.closed) return;
  setState(s, 'retrying');
  s.timer = setTimeout(() => connect(s), s.backoff);
  s.backoff = Math.min(MAX_BACKOFF, s.backoff * 2);
}

function deliver(s, e) {
  if (s.closed) return;
  if (e.id !== null && e.id !== '') s.lastId = e.id;
  if (e.event === 'ready') {
    s.backoff = MIN_BACKOFF;
    setState(s, 'connected');
  }
  const handler = s.handlers[e.event];
  if (!handler) return;
  let data = null;
  try {
    data = e.data ? JSON.parse(e.data) : null;
  } catch (err) {
    return;
  }
  try {
    handler(data);
  } catch (err) {
    console.error('stream handler of ' + e.event, err);
  }
}

function setState(s, state) {
  s.state = state;
  show();
}

/** The header's indicator: the worst state of the open streams ('off' when none is open). */
function show() {
  const live = document.getElementById('live');
  if (!live) return;
  const states = [...open].map((s) => s.state);
  const state = states.length === 0 ? 'off'
    : states.includes('retrying') ? 'retrying'
      : states.includes('connecting') ? 'connecting' : 'connected';
  live.dataset.live = state;
  live.textContent = state === 'off' ? '' : state === 'connected' ? '● live' : '○ ' + state;
  live.title = state === 'connected' ? 'readings and alerts arrive as the node streams them' : '';
}
