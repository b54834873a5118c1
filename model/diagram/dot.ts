// Graphviz DOT for the SVG rendering: stages in their lifecycle groups, terminals in
// one coloured cluster per outcome, so the five ways a connection can end stand out.
import { Graphviz } from '@hpcc-js/wasm-graphviz';
import { outcomeFamily, type Diagram } from './graph.ts';

export const q = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

export const OUTCOME_COLOURS: Record<string, [fill: string, stroke: string]> = {
  accept: ['#d8f3dc', '#2d6a4f'],
  'reject-401': ['#ffe8cc', '#d9480f'],
  'reject-403': ['#ffe3e3', '#c92a2a'],
  'close-1008': ['#e5dbff', '#5f3dc4'],
  timeout: ['#e9ecef', '#495057'],
};

export function toDot(diagram: Diagram, title: string): string {
  const out = [
    'digraph lifecycle {',
    `  label=${q(title)}; labelloc=t; fontsize=16; fontname="Helvetica"; rankdir=LR; nodesep=0.2; ranksep=0.5; newrank=true; compound=true;`,
    '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="Helvetica", fontsize=11];',
    '  edge [fontname="Helvetica", fontsize=9, color="#555555"];',
    '  start [shape=circle, label="", width=0.18, style=filled, fillcolor="#000000"];',
  ];
  for (const group of diagram.groups) {
    out.push(`  subgraph ${q(`cluster_${group.id}`)} {`, `    label=${q(group.label)}; style="rounded,filled"; fillcolor="#f1f3f5"; color="#adb5bd";`);
    for (const node of group.nodes) out.push(`    ${q(node.id)} [label=${q(node.label)}];`);
    out.push('  }');
  }
  for (const { outcome, label, nodes } of diagram.outcomes) {
    const [fill, stroke] = OUTCOME_COLOURS[outcomeFamily(outcome)]!;
    out.push(
      `  subgraph ${q(`cluster_${outcome}`)} {`,
      `    label=${q(label)}; style="rounded,filled"; fillcolor=${q(fill)}; color=${q(stroke)}; fontcolor=${q(stroke)};`,
      `    node [shape=box, style="rounded,filled,bold", fillcolor="#ffffff", color=${q(stroke)}, fontsize=10];`,
    );
    for (const node of nodes) out.push(`    ${q(node.id)} [label=${q(node.label)}];`);
    out.push('  }');
  }
  out.push(`  start -> ${q(diagram.initial)};`);
  const groupOf = new Map(diagram.groups.flatMap((g) => g.nodes.map((n) => [n.id, g] as const)));
  const terminalOutcome = new Map(diagram.outcomes.flatMap((o) => o.nodes.map((n) => [n.id, o.outcome] as const)));
  const folded = new Set<string>();
  for (const edge of diagram.edges) {
    const outcome = terminalOutcome.get(edge.to);
    const group = groupOf.get(edge.from);
    if (outcome === 'close-1008' && edge.label.startsWith('after accept') && group) {
      // Every check after the upgrade fails the same way: one edge per group, from its border.
      const key = `${group.id}->${edge.to}`;
      if (folded.has(key)) continue;
      folded.add(key);
      const label = `after accept: ${group.label.toLowerCase()} check fails`;
      out.push(`  ${q(group.nodes[0]!.id)} -> ${q(edge.to)} [ltail=${q(`cluster_${group.id}`)}, label=${q(wrap(label))}, style=dashed];`);
    } else if (outcome === 'reject-401' || outcome === 'reject-403') {
      // The terminal's name already says why; a label would only crowd the picture.
      out.push(`  ${q(edge.from)} -> ${q(edge.to)};`);
    } else {
      out.push(`  ${q(edge.from)} -> ${q(edge.to)} [label=${q(wrap(edge.label))}];`);
    }
  }
  out.push('}');
  return `${out.join('\n')}\n`;
}

/** Long merged labels wrap so edges stay readable. */
export function wrap(label: string, width = 28): string {
  const words = label.split(' ');
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line && line.length + w.length + 1 > width) {
      lines.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  return lines.join('\n');
}

export async function renderSvg(dot: string): Promise<string> {
  const graphviz = await Graphviz.load();
  return graphviz.dot(dot, 'svg');
}
