// Operations: the cluster (GET /api/v1/admin/cluster: members, shards), every read model's
// generations, lag and events/s (GET /api/v1/admin/projections), and a rebuild button per read model
// (POST /api/v1/admin/projections/{name}/rebuild) whose progress the poll shows until the new
// generation is live. Needs an admin token.
import { api } from './api.js';
import { el, fill, num, reportError, showMessage } from './ui.js';

export function mount(view, args, refresh) {
  const summary = el('div', { class: 'tiles', id: 'cluster-summary' });
  const members = el('tbody', { id: 'member-rows' });
  const models = el('tbody', { id: 'projection-rows' });
  const rebuilds = {}; // read model -> generation being built from this page

  async function rebuild(name) {
    if (!confirm(`Rebuild read model ${name} from the whole journal?`)) return;
    try {
      const started = await api('/admin/projections/' + encodeURIComponent(name) + '/rebuild', { method: 'POST' });
      rebuilds[name] = started.generation;
      showMessage(null);
      refresh();
    } catch (e) {
      reportError(e, 10000);
    }
  }

  fill(view,
    el('h2', {}, 'Operations'),
    summary,
    el('section', { class: 'card' }, el('h3', {}, 'Cluster members'),
      el('div', { class: 'scroll' }, el('table', {},
        el('thead', {}, el('tr', {}, el('th', {}, 'Address'), el('th', {}, 'Status'), el('th', {}, 'Reachable'),
          el('th', {}, 'Role'), el('th', {}, 'Version'), el('th', { class: 'num' }, 'Shards'),
          el('th', { class: 'num' }, 'Entities'))),
        members))),
    el('section', { class: 'card' }, el('h3', {}, 'Read models'),
      el('div', { class: 'scroll' }, el('table', {},
        el('thead', {}, el('tr', {}, el('th', {}, 'Read model'), el('th', {}, 'Generation'), el('th', {}, 'State'),
          el('th', { class: 'num' }, 'Lag (events)'), el('th', { class: 'num' }, 'Lag (ms)'),
          el('th', { class: 'num' }, 'Events/s'), el('th', {}, 'Rebuild'))),
        models))));

  return {
    async refresh() {
      const [cluster, list] = await Promise.all([api('/admin/cluster'), api('/admin/projections')]);
      fill(summary,
        tile('Members', cluster.members.length),
        tile('Unreachable', cluster.unreachable, cluster.unreachable > 0),
        tile('Writes', cluster.acceptingWrites ? 'accepted' : 'refused', !cluster.acceptingWrites));
      if (cluster.writeRefusal) summary.append(el('div', { class: 'tile bad' }, cluster.writeRefusal));
      fill(members, cluster.members.map((m) => el('tr', {},
        el('td', {}, m.address), el('td', {}, m.status), el('td', {}, m.reachable ? 'yes' : 'no'),
        el('td', {}, [m.leader ? 'leader' : '', m.self ? 'this node' : ''].filter(Boolean).join(', ')),
        el('td', {}, m.appVersion || ''), el('td', { class: 'num' }, num(m.shards)),
        el('td', { class: 'num' }, num(m.entities)))));
      fill(models, group(list.projections).map((g) => modelRow(g, rebuilds, rebuild)));
    },
  };
}

/** The per-tag rows of one read model and generation, summed. */
function group(projections) {
  const byKey = new Map();
  for (const p of projections) {
    const key = p.name + '/' + p.generation;
    const g = byKey.get(key) || { name: p.name, generation: p.generation, tags: 0, caughtUp: 0, states: new Set(),
      lagEvents: 0, lagMillis: 0, eventsPerSecond: 0 };
    g.tags++;
    g.caughtUp += p.lagEvents === 0 ? 1 : 0;
    g.states.add(p.state);
    g.lagEvents += p.lagEvents;
    g.lagMillis = Math.max(g.lagMillis, p.lagMillis);
    g.eventsPerSecond += p.eventsPerSecond;
    byKey.set(key, g);
  }
  return [...byKey.values()].sort((a, b) => a.name.localeCompare(b.name) || a.generation - b.generation);
}

function modelRow(g, rebuilds, rebuild) {
  const building = g.states.has('rebuilding');
  const mine = rebuilds[g.name] === g.generation;
  let progress = '';
  if (building) {
    progress = `${g.caughtUp}/${g.tags} tags caught up`;
  } else if (mine) {
    progress = 'rebuilt: live';
  }
  return el('tr', { 'data-model': g.name, 'data-generation': g.generation, 'data-state': [...g.states].join(' '),
    'data-rebuild': mine ? (building ? 'running' : 'done') : null },
  el('td', {}, g.name),
  el('td', {}, g.generation),
  el('td', {}, [...g.states].join(', ')),
  el('td', { class: 'num' }, num(g.lagEvents)),
  el('td', { class: 'num' }, num(g.lagMillis)),
  el('td', { class: 'num' }, num(Math.round(g.eventsPerSecond * 10) / 10)),
  el('td', {}, building ? el('span', { class: 'progress' }, progress)
    : el('span', { class: 'row' },
      el('button', { type: 'button', class: 'plain', 'data-rebuild-button': g.name, onclick: () => rebuild(g.name) }, 'Rebuild'),
      progress ? el('span', { class: 'badge' }, progress) : null)));
}

function tile(label, value, bad) {
  return el('div', { class: bad ? 'tile bad' : 'tile' },
    el('div', { class: 'value' }, typeof value === 'number' ? num(value) : value), el('div', { class: 'label' }, label));
}
