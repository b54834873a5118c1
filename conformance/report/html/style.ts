// The HTML report's stylesheet and script, inlined: the file must open without network.
export const CSS = `
:root { --ok:#2b8a3e; --ok-bg:#d3f9d8; --warn:#e67700; --warn-bg:#fff3bf; --fail:#c92a2a; --fail-bg:#ffe3e3; --skip:#868e96; --skip-bg:#f1f3f5; --ink:#212529; --muted:#495057; --line:#dee2e6; --accent:#1c7ed6; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: var(--ink); background: #f8f9fa; }
header { background: #fff; border-bottom: 1px solid var(--line); padding: 16px 28px; display: flex; align-items: center; gap: 18px; flex-wrap: wrap; }
header h1 { font-size: 20px; margin: 0; }
header .meta { color: var(--muted); }
main { padding: 16px 28px 40px; max-width: 1600px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 14px 18px; margin: 14px 0; }
h2 { font-size: 16px; margin: 0 0 10px; }
.verdict { font-weight: 700; padding: 4px 12px; border-radius: 6px; font-size: 16px; }
.verdict.pass { background: var(--ok-bg); color: var(--ok); } .verdict.fail { background: var(--fail-bg); color: var(--fail); }
.cards { display: flex; flex-wrap: wrap; gap: 10px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 8px 14px; min-width: 120px; }
.card b { display: block; font-size: 20px; } .card span { color: var(--muted); font-size: 12px; }
.card.bad b { color: var(--fail); } .card.warnc b { color: var(--warn); }
.notes { color: var(--muted); margin: 8px 0 0; padding-left: 18px; }
.matrices { display: flex; flex-wrap: wrap; gap: 24px; align-items: flex-start; }
table.matrix { border-collapse: collapse; font-size: 12px; }
table.matrix caption { text-align: left; font-weight: 600; padding-bottom: 6px; }
table.matrix th { background: #f1f3f5; border: 1px solid var(--line); padding: 3px 6px; font-weight: 600; white-space: nowrap; }
table.matrix th.row { text-align: left; }
table.matrix td { border: 1px solid var(--line); padding: 3px 8px; text-align: center; min-width: 44px; }
.cell.ok { background: var(--ok-bg); color: var(--ok); } .cell.warn { background: var(--warn-bg); color: var(--warn); }
.cell.fail { background: var(--fail-bg); color: var(--fail); font-weight: 700; } .cell.skip { background: var(--skip-bg); color: var(--skip); }
.legend .cell { display: inline-block; padding: 2px 8px; border-radius: 4px; margin-right: 6px; font-size: 12px; }
.chart { overflow: auto; border: 1px solid var(--line); border-radius: 6px; background: #fff; }
svg.statechart { height: 460px; width: auto; max-width: none; display: block; }
.chart.fit svg.statechart { width: 100%; height: auto; }
.st-covered > path, .st-covered > polygon, .st-covered > ellipse { fill: var(--ok-bg); }
.st-uncovered > path, .st-uncovered > polygon { fill: #f8f9fa; stroke: #adb5bd; stroke-dasharray: 3 2; }
.st-uncovered > text { fill: #868e96; }
.st-diverged > path, .st-diverged > polygon { fill: var(--fail-bg); stroke: var(--fail); stroke-width: 3; }
.st-diverged > text { fill: var(--fail); font-weight: 700; }
.tr-uncovered > path { stroke: #ced4da; stroke-dasharray: 4 3; } .tr-uncovered > polygon { fill: #ced4da; stroke: #ced4da; }
.tr-covered > path { stroke: #495057; }
.on-trace > path, .on-trace > polygon, .on-trace > ellipse { stroke: var(--accent) !important; stroke-width: 4 !important; stroke-dasharray: none !important; }
.edge.on-trace > polygon { fill: var(--accent) !important; }
.toolbar { display: flex; gap: 12px; align-items: center; margin-bottom: 8px; color: var(--muted); flex-wrap: wrap; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 3px; vertical-align: -2px; margin-right: 4px; border: 1px solid var(--line); }
button { font: inherit; font-size: 12px; border: 1px solid var(--line); background: #fff; border-radius: 5px; padding: 2px 8px; cursor: pointer; }
button:hover { border-color: var(--accent); color: var(--accent); }
details.divergence { border: 1px solid var(--line); border-left: 5px solid var(--fail); border-radius: 6px; margin: 8px 0; padding: 6px 12px; }
details.divergence.warning { border-left-color: var(--warn); }
details.divergence.selected { box-shadow: 0 0 0 2px var(--accent); }
details summary { cursor: pointer; }
.hint { color: var(--muted); margin: 2px 0 0 4px; }
.badge { font-size: 11px; font-weight: 700; padding: 1px 6px; border-radius: 4px; }
.badge.error { background: var(--fail-bg); color: var(--fail); } .badge.warning { background: var(--warn-bg); color: var(--warn); }
.badge.known, .badge.waived { background: var(--skip-bg); color: var(--muted); }
dl { display: grid; grid-template-columns: 120px 1fr; gap: 4px 12px; margin: 10px 0 4px; }
dt { color: var(--muted); font-weight: 600; } dd { margin: 0; min-width: 0; }
pre { margin: 0; background: #f8f9fa; border: 1px solid var(--line); border-radius: 4px; padding: 6px 8px; white-space: pre-wrap; word-break: break-all; font-size: 12px; }
pre.cmd { background: #212529; color: #f8f9fa; }
.trace .step { background: #e7f5ff; color: #1864ab; border-radius: 4px; padding: 0 5px; font-family: ui-monospace, monospace; font-size: 12px; }
.trace .arrow { color: var(--muted); margin: 0 3px; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; }
footer { color: var(--muted); padding: 0 28px 28px; }
`;

/** Draws a divergence's model trace on the statechart: its states and the edges between them. */
export const SCRIPT = `
(function () {
  var chart = document.querySelector('.chart');
  function draw(card) {
    document.querySelectorAll('.on-trace').forEach(function (g) { g.classList.remove('on-trace'); });
    document.querySelectorAll('details.selected').forEach(function (d) { d.classList.remove('selected'); });
    if (!card) return;
    card.classList.add('selected');
    var steps = ['start'].concat((card.getAttribute('data-trace') || '').split(' ').filter(Boolean));
    var names = new Set(steps);
    for (var i = 1; i < steps.length; i++) names.add(steps[i - 1] + '->' + steps[i]);
    document.querySelectorAll('svg.statechart g[data-name]').forEach(function (g) {
      if (names.has(g.getAttribute('data-name'))) g.classList.add('on-trace');
    });
    var marked = document.querySelectorAll('svg.statechart g.node.on-trace');
    var last = marked[marked.length - 1];
    if (last && !chart.classList.contains('fit')) {
      var box = last.getBoundingClientRect(), frame = chart.getBoundingClientRect();
      chart.scrollLeft += box.left - frame.left - frame.width / 2;
    }
    var label = document.getElementById('trace-label');
    if (label) label.textContent = 'trace drawn: ' + card.querySelector('summary code').textContent;
  }
  document.querySelectorAll('button.show-trace').forEach(function (b) {
    b.addEventListener('click', function () {
      draw(document.getElementById(b.getAttribute('data-target')));
      chart.scrollIntoView({ behavior: 'smooth', block: 'center' });
    });
  });
  var zoom = document.getElementById('zoom');
  if (zoom) zoom.addEventListener('click', function () {
    chart.classList.toggle('fit');
    zoom.textContent = chart.classList.contains('fit') ? 'zoom in' : 'fit to width';
  });
  draw(document.querySelector('details.divergence'));
})();
`;
