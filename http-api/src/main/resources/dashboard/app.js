// Hash routing (#/fleet, #/sensor/<id>, #/operations), the token form, and the poll of the open page
// (a page's refresh() reads the JSON API and redraws). A page that follows a live stream (stream.js:
// Fleet and Sensor, whose readings and alerts arrive as events) says live: true and is polled every
// 10 s only, for what no stream carries (counts, metadata); localStorage
// 'sensors.dashboard.slowPollSeconds' changes that. Others (Operations: lag, events/s, rebuild
// progress) are polled every second. Leaving a page closes its streams (its close()).
import { token } from './api.js';
import { retryNow } from './stream.js';
import { clearMessage, reportError, showMessage } from './ui.js';
import * as fleet from './fleet.js';
import * as sensor from './sensor.js';
import * as operations from './operations.js';

const PAGES = { fleet, sensor, operations };
const POLL_MILLIS = 1000;
const SLOW_POLL_MILLIS = 10000;
let page = null;
let busy = false;
let refreshedAt = 0;

function pollMillis() {
  if (!page || !page.live) return POLL_MILLIS;
  const seconds = Number(localStorage.getItem('sensors.dashboard.slowPollSeconds'));
  return seconds > 0 ? seconds * 1000 : SLOW_POLL_MILLIS;
}

function route() {
  const parts = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  return PAGES[parts[0]] ? { name: parts[0], args: parts.slice(1) } : { name: 'fleet', args: [] };
}

function open() {
  const { name, args } = route();
  for (const a of document.querySelectorAll('header nav a')) {
    a.classList.toggle('active', a.id === 'nav-' + name);
  }
  if (page && page.close) page.close();
  page = PAGES[name].mount(document.getElementById('view'), args, refresh);
  refresh();
}

async function refresh() {
  if (!token.get()) {
    document.getElementById('token-form').hidden = false;
    return;
  }
  if (busy) return;
  busy = true;
  refreshedAt = Date.now();
  const shown = page;
  try {
    await shown.refresh();
    if (shown === page) {
      clearMessage();
      document.getElementById('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
    }
  } catch (e) {
    if (shown === page) reportError(e);
  } finally {
    busy = false;
  }
}

document.getElementById('token-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const value = document.getElementById('token-input').value.trim();
  if (value) {
    token.set(value);
    document.getElementById('token-input').value = '';
    document.getElementById('token-form').hidden = true;
    showMessage(null);
    refresh();
    retryNow();
  }
});
document.getElementById('change-token').addEventListener('click', () => {
  const form = document.getElementById('token-form');
  form.hidden = !form.hidden;
});
window.addEventListener('hashchange', open);
setInterval(() => {
  if (Date.now() - refreshedAt >= pollMillis() - 50) refresh();
}, 250);
open();
