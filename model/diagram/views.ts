// Views of the lifecycle sized for a page: an overview, left to right, with one box per
// stage group and one per outcome; and one view per group with its checks, the ends it
// decides and the group it hands over to. The full picture stays in lifecycle.svg.
import { outcomeFamily, type Diagram } from './graph.ts';
import { OUTCOME_COLOURS, q, wrap } from './dot.ts';

type Group = Diagram['groups'][number];

const HEAD = [
  'node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="Helvetica", fontsize=11];',
  'edge [fontname="Helvetica", fontsize=9, color="#555555"];',
];

/** File-name key of a group: the last segment of its state id (`handshake`, `token`, ...). */
export function groupKey(group: Group): string {
  return group.id.slice(group.id.lastIndexOf('.') + 1);
}

function indexes(diagram: Diagram) {
  const groupOf = new Map(diagram.groups.flatMap((g) => g.nodes.map((n) => [n.id, g] as const)));
  const outcomeOf = new Map(diagram.outcomes.flatMap((o) => o.nodes.map((n) => [n.id, o] as const)));
  return { groupOf, outcomeOf };
}

function outcomeNode(name: string, outcome: Diagram['outcomes'][number], label: string): string {
  const [fill, stroke] = OUTCOME_COLOURS[outcomeFamily(outcome.outcome)]!;
  return `  ${q(name)} [label=${q(label)}, fillcolor=${q(fill)}, color=${q(stroke)}, fontcolor=${q(stroke)}, style="rounded,filled,bold"];`;
}

/** Stage groups in order, then the outcomes; an edge per group pair, and per group and outcome with its reason count. */
export function overviewDot(diagram: Diagram, title: string): string {
  const { groupOf, outcomeOf } = indexes(diagram);
  const out = ['digraph overview {', `  label=${q(title)}; labelloc=t; fontsize=14; fontname="Helvetica"; rankdir=LR; ranksep=0.6;`, ...HEAD.map((l) => `  ${l}`)];
  out.push('  start [shape=circle, label="", width=0.18, style=filled, fillcolor="#000000"];');
  for (const g of diagram.groups) out.push(`  ${q(g.id)} [label=${q(`${g.label}\n${g.nodes.length} check${g.nodes.length === 1 ? '' : 's'}`)}, fillcolor="#f1f3f5", color="#adb5bd"];`);
  for (const o of diagram.outcomes) out.push(outcomeNode(o.outcome, o, wrap(o.label, 22)));
  out.push(`  start -> ${q(groupOf.get(diagram.initial)!.id)};`);
  const between = new Set<string>();
  const ends = new Map<string, Set<string>>();
  for (const e of diagram.edges) {
    const from = groupOf.get(e.from);
    if (!from) continue;
    const to = groupOf.get(e.to);
    const outcome = outcomeOf.get(e.to);
    if (to && to !== from) between.add(`  ${q(from.id)} -> ${q(to.id)};`);
    if (outcome) {
      const key = `${from.id}\u0000${outcome.outcome}`;
      ends.set(key, (ends.get(key) ?? new Set()).add(e.to));
    }
  }
  out.push(...between);
  for (const [key, reasons] of ends) {
    const [from, outcome] = key.split('\u0000') as [string, string];
    out.push(`  ${q(from)} -> ${q(outcome)} [label=${q(`${reasons.size} reason${reasons.size === 1 ? '' : 's'}`)}];`);
  }
  out.push('}');
  return `${out.join('\n')}\n`;
}

/** One group: its checks, every end it decides (coloured by outcome), and where it hands over. */
export function stageDot(diagram: Diagram, group: Group, title: string): string {
  const { groupOf, outcomeOf } = indexes(diagram);
  const out = ['digraph stage {', `  label=${q(title)}; labelloc=t; fontsize=14; fontname="Helvetica"; rankdir=LR; nodesep=0.15; ranksep=0.5;`, ...HEAD.map((l) => `  ${l}`)];
  out.push(`  subgraph ${q(`cluster_${group.id}`)} {`, `    label=${q(group.label)}; style="rounded,filled"; fillcolor="#f1f3f5"; color="#adb5bd";`);
  for (const n of group.nodes) out.push(`    ${q(n.id)} [label=${q(n.label)}];`);
  out.push('  }');
  const outside = new Set<string>();
  const edgeLines: string[] = [];
  for (const e of diagram.edges) {
    const from = groupOf.get(e.from);
    const to = groupOf.get(e.to);
    if (to === group && from !== group) {
      const name = `from ${from?.label ?? 'the request'}`;
      if (!outside.has(name)) out.push(`  ${q(name)} [shape=plaintext, style="", fontcolor="#555555"];`);
      outside.add(name);
      edgeLines.push(`  ${q(name)} -> ${q(e.to)} [style=dashed];`);
    }
    if (from !== group) continue;
    const outcome = outcomeOf.get(e.to);
    if (outcome) {
      if (!outside.has(e.to)) out.push(outcomeNode(e.to, outcome, `${e.to}\n${outcome.outcome}`));
      outside.add(e.to);
      edgeLines.push(`  ${q(e.from)} -> ${q(e.to)} [label=${q(wrap(e.label))}];`);
    } else if (to && to !== group) {
      const name = `to ${to.label}`;
      if (!outside.has(name)) out.push(`  ${q(name)} [shape=plaintext, style="", fontcolor="#555555"];`);
      outside.add(name);
      edgeLines.push(`  ${q(e.from)} -> ${q(name)} [label=${q(wrap(e.label))}, style=dashed];`);
    } else {
      edgeLines.push(`  ${q(e.from)} -> ${q(e.to)} [label=${q(wrap(e.label))}];`);
    }
  }
  if (group.nodes.some((n) => n.id === diagram.initial)) {
    out.push('  start [shape=circle, label="", width=0.18, style=filled, fillcolor="#000000"];');
    edgeLines.unshift(`  start -> ${q(diagram.initial)};`);
  }
  out.push(...edgeLines, '}');
  return `${out.join('\n')}\n`;
}
