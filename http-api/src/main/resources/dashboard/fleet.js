// Fleet: the counts of GET /api/v1/stats (silent sensors among them) and the sensor list of
// GET /api/v1/sensors (type, label and alerting filters; cursor paging; alerting and silent marked).
// Live: GET /api/v1/stream with the type and label filters moves the latest reading and the alerting
// state of the listed sensors; the slow poll of app.js refreshes the counts and the list itself
// (sensors added, paging, the alerting filter).
import { api, query } from './api.js';
import { subscribe } from './stream.js';
import { el, fill, num, time } from './ui.js';

const PAGE_SIZE = 20;

export function mount(view, args, refresh) {
  const filters = { type: '', label: '', alerting: '' };
  let cursors = [null]; // cursors[i]: the cursor of page i
  let index = 0;
  let next = null;
  const tiles = el('div', { class: 'tiles', id: 'stats' });
  const rows = el('tbody', { id: 'sensor-rows' });
  const pageInfo = el('span', { class: 'muted', id: 'page-info' });
  const prev = el('button', { type: 'button', class: 'plain', id: 'prev-page', onclick: () => go(index - 1) }, 'Previous');
  const more = el('button', { type: 'button', class: 'plain', id: 'next-page', onclick: () => go(index + 1) }, 'Next');
  const listed = new Map(); // sensorId -> the sensor as the list shows it
  let stream = null;
  const changed = (key) => (event) => {
    filters[key] = event.target.value.trim();
    cursors = [null];
    follow();
    go(0);
  };

  /** Replaces the row of a listed sensor after a change the stream told. */
  function redraw(id, change) {
    const s = listed.get(id);
    const tr = s && rows.querySelector(`tr[data-sensor='${CSS.escape(id)}']`);
    if (!tr) return;
    change(s);
    tr.replaceWith(row(s));
  }

  function follow() {
    if (stream) stream.close();
    stream = subscribe('/stream' + query({ type: filters.type, label: filters.label }), {
      readings: (e) => {
        const newest = (e.readings || []).reduce((a, r) => (!a || Date.parse(r.timestamp) >= Date.parse(a.timestamp) ? r : a), null);
        if (newest) redraw(e.sensorId, (s) => {
          if (!s.lastReading || Date.parse(newest.timestamp) >= Date.parse(s.lastReading.timestamp)) {
            s.lastReading = { timestamp: newest.timestamp, value: newest.value };
          }
        });
      },
      'alert-raised': (a) => redraw(a.sensorId, (s) => { s.alerting = true; }),
      'alert-cleared': (a) => redraw(a.sensorId, (s) => { s.alerting = false; }),
    });
  }
  follow();

  function go(i) {
    if (i > index) cursors[i] = next;
    index = i;
    refresh();
  }

  fill(view,
    el('h2', {}, 'Fleet'),
    tiles,
    el('section', { class: 'card' },
      el('h3', {}, 'Sensors'),
      el('div', { class: 'filters' },
        el('input', { id: 'filter-type', placeholder: 'type', onchange: changed('type') }),
        el('input', { id: 'filter-label', placeholder: 'label key or key:value', onchange: changed('label') }),
        el('select', { id: 'filter-alerting', onchange: changed('alerting') },
          el('option', { value: '' }, 'alerting or not'),
          el('option', { value: 'true' }, 'alerting'),
          el('option', { value: 'false' }, 'not alerting'))),
      el('div', { class: 'scroll' },
        el('table', {},
          el('thead', {}, el('tr', {},
            el('th', {}, 'Sensor'), el('th', {}, 'Name'), el('th', {}, 'Type'), el('th', { class: 'num' }, 'Latest'),
            el('th', {}, 'At'), el('th', {}, 'State'))),
          rows)),
      el('div', { class: 'pager' }, prev, more, pageInfo)));

  return {
    live: true,
    close() {
      if (stream) stream.close();
    },
    async refresh() {
      const [stats, list] = await Promise.all([
        api('/stats'),
        api('/sensors' + query({ ...filters, limit: PAGE_SIZE, cursor: cursors[index] })),
      ]);
      fill(tiles,
        tile('Sensors', stats.sensors, 'stat-sensors'),
        tile('Sensors alerting', stats.openAlerts, 'stat-alerting', stats.openAlerts > 0),
        tile('Silent sensors', stats.silent, 'stat-silent', stats.silent > 0),
        tile('Readings last minute', stats.readingsLastMinute, 'stat-minute'),
        tile('Readings last hour', stats.readingsLastHour, 'stat-hour'),
        tile('Decommissioned', stats.decommissioned, 'stat-decommissioned'),
        Object.entries(stats.sensorsByType || {}).map(([type, n]) => tile('Type ' + (type || '(none)'), n)));
      listed.clear();
      list.items.forEach((s) => listed.set(s.sensorId, s));
      fill(rows, list.items.map(row));
      if (list.items.length === 0) rows.append(el('tr', {}, el('td', { colspan: 6, class: 'muted' }, 'No sensors')));
      next = list.nextCursor || null;
      prev.disabled = index === 0;
      more.disabled = !next;
      pageInfo.textContent = `page ${index + 1}`;
    },
  };
}

function tile(label, value, id, bad) {
  return el('div', { class: bad ? 'tile bad' : 'tile', id },
    el('div', { class: 'value' }, num(value)), el('div', { class: 'label' }, label));
}

function row(s) {
  const last = s.lastReading;
  return el('tr', { 'data-sensor': s.sensorId },
    el('td', {}, el('a', { href: '#/sensor/' + encodeURIComponent(s.sensorId) }, s.sensorId)),
    el('td', {}, s.name || ''),
    el('td', {}, s.type || ''),
    el('td', { class: 'num' }, last ? `${num(last.value)} ${s.unit || ''}` : ''),
    el('td', {}, last ? time(last.timestamp) : ''),
    el('td', {}, s.decommissionedAt ? el('span', { class: 'badge' }, 'decommissioned')
      : !s.alerting && !s.silent ? el('span', { class: 'badge' }, 'ok')
      : [s.alerting ? el('span', { class: 'badge bad' }, 'alerting') : null, ' ',
        s.silent ? el('span', { class: 'badge bad', 'data-silent': true, title: 'silent since ' + time(s.silentSince) }, 'silent')
          : null]));
}
