// The time series of one GET /api/v1/sensors/{id}/readings answer drawn with uPlot (the WebJar's
// global build): raw values, or bucket averages with a min/max band; thresholds as dashed lines.
// Dragging over the chart calls onZoom(fromMillis, toMillis). The element carries data-points (how
// many points or buckets are drawn), data-step and data-bands (how many min/max bands).
const BLUE = '#2563eb';
const RED = '#c0262d';

export class Chart {
  constructor(container, onZoom) {
    this.container = container;
    this.onZoom = onZoom;
    this.plot = null;
    this.shape = '';
    this.range = [0, 0];
    window.addEventListener('resize', () => this.plot && this.plot.setSize(this.size()));
  }

  size() {
    const phone = window.innerWidth < 700;
    return { width: Math.max(200, this.container.clientWidth), height: phone ? 240 : 320 };
  }

  /** Draws series (the API's answer) with the sensor's thresholds (may be absent). */
  draw(series, thresholds, unit) {
    const raw = series.step === 'raw';
    const rows = (raw ? series.points : series.buckets) || [];
    const xs = rows.map((p) => Date.parse(raw ? p.timestamp : p.start) / 1000);
    const data = [xs];
    const lines = [{}];
    const bands = [];
    if (raw) {
      data.push(rows.map((p) => p.value));
      lines.push({ label: unit ? `value (${unit})` : 'value', stroke: BLUE, width: 1.5, points: { show: rows.length < 120 } });
    } else {
      data.push(rows.map((b) => b.avg), rows.map((b) => b.min), rows.map((b) => b.max));
      lines.push({ label: `avg per ${series.step}`, stroke: BLUE, width: 1.5 },
        { label: 'min', stroke: 'rgba(37,99,235,.35)', width: 1 },
        { label: 'max', stroke: 'rgba(37,99,235,.35)', width: 1 });
      bands.push({ series: [3, 2], fill: 'rgba(37,99,235,.15)' });
    }
    for (const [label, bound] of [['max threshold', thresholds && thresholds.max], ['min threshold', thresholds && thresholds.min]]) {
      if (bound !== undefined && bound !== null) {
        data.push(xs.map(() => bound));
        lines.push({ label, stroke: RED, width: 1, dash: [6, 4], points: { show: false } });
      }
    }
    this.range = [Date.parse(series.from) / 1000, Date.parse(series.to) / 1000];
    const shape = lines.map((l) => l.label).join('|');
    if (this.plot && shape === this.shape) {
      this.plot.setData(data);
    } else {
      this.replot(shape, lines, bands, data);
    }
    // what uPlot holds, once it took the data
    this.container.dataset.points = String(this.plot.data[0].length);
    this.container.dataset.step = series.step;
    this.container.dataset.bands = String(this.plot.bands.length);
  }

  replot(shape, lines, bands, data) {
    if (this.plot) this.plot.destroy();
    this.shape = shape;
    this.plot = new uPlot({
      ...this.size(),
      series: lines,
      bands,
      scales: { x: { time: true, range: () => this.range } },
      cursor: { drag: { x: true, y: false, setScale: false } },
      hooks: { setSelect: [(u) => this.selected(u)] },
    }, data, this.container);
  }

  selected(u) {
    if (u.select.width < 3) return;
    const from = u.posToVal(u.select.left, 'x');
    const to = u.posToVal(u.select.left + u.select.width, 'x');
    u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
    this.onZoom(Math.round(from * 1000), Math.round(to * 1000));
  }
}
