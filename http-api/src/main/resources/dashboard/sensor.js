// Sensor: metadata and thresholds (GET /api/v1/sensors/{id}), the latest reading, the chart of
// GET /api/v1/sensors/{id}/readings?step=auto over the last hour/day/week or a custom range (a drag
// on the chart zooms: a new query at the resolution step=auto picks), and the alert history
// (GET /api/v1/alerts?sensorId=). Live: GET /api/v1/sensors/{id}/stream moves the latest reading, the
// chart (raw points are added as they come; a bucketed chart is queried again, at most every 5 s) and
// the alert history; the slow poll of app.js refreshes the metadata (counts, state) and the rest.
import { api, query } from './api.js';
import { Chart } from './chart.js';
import { subscribe } from './stream.js';
import { el, fill, num, time } from './ui.js';

const RANGES = { hour: 3600e3, day: 86400e3, week: 7 * 86400e3 };
/** A bucketed chart is queried again at most this often while readings stream in. */
const REQUERY_MILLIS = 5000;

export function mount(view, args, refresh) {
  const id = args[0] || '';
  const path = '/sensors/' + encodeURIComponent(id);
  const range = { kind: 'hour', from: 0, to: 0 };
  const meta = el('dl', { class: 'meta', id: 'sensor-meta' });
  const latest = el('div', { class: 'latest', id: 'latest-value' });
  const latestAt = el('div', { class: 'muted', id: 'latest-at' });
  const fromInput = el('input', { type: 'datetime-local', id: 'range-from' });
  const toInput = el('input', { type: 'datetime-local', id: 'range-to' });
  const custom = el('span', { class: 'row', hidden: true }, fromInput, toInput,
    el('button', { type: 'button', id: 'range-apply', onclick: () => choose('custom', Date.parse(fromInput.value), Date.parse(toInput.value)) }, 'Apply'));
  const buttons = ['hour', 'day', 'week', 'custom'].map((kind) =>
    el('button', { type: 'button', class: 'plain', id: 'range-' + kind, onclick: () => choose(kind) }, kind === 'custom' ? 'Custom' : 'Last ' + kind));
  const chartInfo = el('div', { class: 'muted', id: 'chart-info' });
  const chartBox = el('div', { id: 'chart' });
  const alerts = el('tbody', { id: 'alert-rows' });
  const chart = new Chart(chartBox, (from, to) => choose('custom', from, to));
  const shown = { series: null, thresholds: null, unit: '', latestAt: 0 };
  let requery = null;

  function choose(kind, from, to) {
    range.kind = kind;
    if (kind === 'custom') {
      range.to = Number.isFinite(to) ? to : Date.now();
      range.from = Number.isFinite(from) ? from : range.to - RANGES.hour;
      fromInput.value = local(range.from);
      toInput.value = local(range.to);
    }
    custom.hidden = kind !== 'custom';
    buttons.forEach((b) => b.classList.toggle('active', b.id === 'range-' + kind));
    refresh();
  }

  function span() {
    if (range.kind === 'custom') {
      return { from: new Date(range.from).toISOString(), to: new Date(range.to).toISOString() };
    }
    return { from: new Date(Date.now() - RANGES[range.kind]).toISOString() };
  }

  fill(view,
    el('h2', {}, 'Sensor ', el('span', { id: 'sensor-id' }, id)),
    el('div', { class: 'grid2' },
      el('section', { class: 'card' }, el('h3', {}, 'Metadata'), meta),
      el('section', { class: 'card' }, el('h3', {}, 'Latest reading'), latest, latestAt)),
    el('section', { class: 'card' },
      el('div', { class: 'row' }, buttons, custom),
      chartInfo,
      chartBox),
    el('section', { class: 'card' },
      el('h3', {}, 'Alert history'),
      el('div', { class: 'scroll' }, el('table', {},
        el('thead', {}, el('tr', {}, el('th', {}, '#'), el('th', {}, 'State'), el('th', {}, 'Bound'),
          el('th', {}, 'Raised'), el('th', { class: 'num' }, 'Value'), el('th', {}, 'Cleared'),
          el('th', { class: 'num' }, 'Value'))),
        alerts))));
  buttons[0].classList.add('active');

  function showLatest(value, timestamp, unit, source) {
    const at = timestamp ? Date.parse(timestamp) : 0;
    if (value !== undefined && at < shown.latestAt) return; // an older one than shown
    if (value !== undefined && at === shown.latestAt && latest.dataset.value === String(value)) return;
    shown.latestAt = at;
    latest.textContent = value !== undefined ? `${num(value)} ${unit || ''}` : 'none yet';
    latest.dataset.value = value !== undefined ? String(value) : '';
    latest.dataset.source = source;
    latestAt.textContent = timestamp ? time(timestamp) : '';
  }

  /** New readings of the stream: the latest reading, and the chart when they fall into its range. */
  function streamed(event) {
    const readings = event.readings || [];
    for (const r of readings) showLatest(r.value, r.timestamp, shown.unit, 'stream');
    const series = shown.series;
    if (!series || range.kind === 'custom' || readings.length === 0) return;
    if (series.step !== 'raw' || series.truncated) {
      if (!requery) requery = setTimeout(() => { requery = null; refresh(); }, REQUERY_MILLIS);
      return;
    }
    const from = Date.now() - RANGES[range.kind];
    const known = new Set(series.points.map((p) => p.timestamp + '|' + p.value));
    const points = series.points.concat(readings.map((r) => ({ timestamp: r.timestamp, value: r.value }))
      .filter((p) => !known.has(p.timestamp + '|' + p.value)));
    series.points = points.filter((p) => Date.parse(p.timestamp) >= from)
      .sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));
    const newest = Date.parse(series.points.length ? series.points[series.points.length - 1].timestamp : series.to);
    if (newest > Date.parse(series.to)) series.to = new Date(newest).toISOString();
    chart.draw(series, shown.thresholds, shown.unit);
  }

  /** A raised or cleared alert of the stream: its row of the history, replaced or added on top. */
  function alerted(a) {
    const row = alertRow(a);
    const old = alerts.querySelector(`tr[data-alert='${Number(a.alertNumber)}']`);
    if (old) {
      old.replaceWith(row);
    } else {
      for (const empty of alerts.querySelectorAll('tr:not([data-alert])')) empty.remove();
      alerts.prepend(row);
    }
  }

  const stream = subscribe(path + '/stream', { readings: streamed, 'alert-raised': alerted, 'alert-cleared': alerted });

  return {
    live: true,
    close() {
      stream.close();
      clearTimeout(requery);
    },
    async refresh() {
      const readings = query({ step: 'auto', ...span() });
      const [sensor, series, history] = await Promise.all([
        api(path),
        api(path + '/readings' + readings),
        api('/alerts' + query({ sensorId: id, limit: 50 })),
      ]);
      fill(meta, describe(sensor));
      const last = sensor.lastReading;
      shown.unit = sensor.unit || '';
      if (last) showLatest(last.value, last.timestamp, sensor.unit, 'poll');
      else if (!shown.latestAt) showLatest(undefined, null, sensor.unit, 'poll');
      chartBox.dataset.query = readings;
      shown.series = series;
      shown.thresholds = sensor.thresholds;
      chart.draw(series, sensor.thresholds, sensor.unit);
      chartInfo.textContent = `${time(series.from)} to ${time(series.to)}, `
        + (series.step === 'raw' ? `${series.points.length} readings` : `${series.buckets.length} buckets of ${series.step} (min/max band)`)
        + (series.truncated ? ', truncated' : '');
      fill(alerts, history.items.map(alertRow));
      if (history.items.length === 0) alerts.append(el('tr', {}, el('td', { colspan: 7, class: 'muted' }, 'No alerts')));
    },
  };
}

function describe(s) {
  const t = s.thresholds || {};
  const pairs = [
    ['Name', s.name], ['Type', s.type], ['Unit', s.unit],
    ['Location', s.location ? `${s.location.lat}, ${s.location.lon}` : ''],
    ['Labels', Object.entries(s.labels || {}).map(([k, v]) => `${k}=${v}`).join(', ')],
    ['Thresholds', s.thresholds ? `min ${t.min ?? '-'}, max ${t.max ?? '-'}, hysteresis ${t.hysteresis ?? 0}` : ''],
    ['State', s.decommissionedAt ? 'decommissioned ' + time(s.decommissionedAt) : s.alerting ? 'alerting' : s.registered ? 'registered' : 'not registered'],
    ['Readings', num(s.readingCount)],
    ['Updated', time(s.lastUpdated)],
  ];
  return pairs.filter(([, v]) => v !== undefined && v !== '').flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]);
}

function alertRow(a) {
  return el('tr', { 'data-alert': a.alertNumber, 'data-state': a.state },
    el('td', {}, a.alertNumber),
    el('td', {}, el('span', { class: a.state === 'open' ? 'badge bad' : 'badge' }, a.state)),
    el('td', {}, a.bound),
    el('td', {}, time(a.raisedAt)),
    el('td', { class: 'num' }, num(a.raisedValue)),
    el('td', {}, time(a.clearedAt)),
    el('td', { class: 'num' }, num(a.clearedValue)));
}

/** Millis as the value of a datetime-local input (local time, minutes). */
function local(millis) {
  const d = new Date(millis);
  return new Date(millis - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
}
