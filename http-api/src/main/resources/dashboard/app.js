// Hash routing (#/fleet, #/sensor/<id>, #/operations), the token form, and the poll of the open page
// every second (a page's refresh() reads the JSON API and redraws).
import { token } from './api.js';
import { clearMessage, reportError, showMessage } from './ui.js';
import * as fleet from './fleet.js';
import * as sensor from './sensor.js';
import * as operations from './operations.js';

const PAGES = { fleet, sensor, operations };
const POLL_MILLIS = 1000;
let page = null;
let busy = false;

function route() {
  const parts = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  return PAGES[parts[0]] ? { name: parts[0], args: parts.slice(1) } : { name: 'fleet', args: [] };
}

function open() {
  const { name, args } = route();
  for (const a of document.querySelectorAll('header nav a')) {
    a.classList.toggle('active', a.id === 'nav-' + name);
  }
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
  }
});
document.getElementById('change-token').addEventListener('click', () => {
  const form = document.getElementById('token-form');
  form.hidden = !form.hidden;
});
window.addEventListener('hashchange', open);
setInterval(refresh, POLL_MILLIS);
open();
