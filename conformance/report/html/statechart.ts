// The model's statechart (the same Graphviz rendering as docs/model/lifecycle.svg),
// marked with what this run covered and where it diverged. States and edges get CSS
// classes, so the page colours them and draws a divergence's trace on click.
import { renderSvg, toDot } from '../../../model/diagram/dot.ts';
import { diagramOf } from '../../../model/diagram/graph.ts';
import { machineFor } from '../../../model/machine.ts';
import { policyDigest, type Policy } from '../../../model/policy.ts';
import type { CaseEntry } from '../document.ts';

const unescapeXml = (s: string) => s.replace(/&#45;/g, '-').replace(/&gt;/g, '>').replace(/&lt;/g, '<').replace(/&quot;/g, '"').replace(/&amp;/g, '&');

/** Consecutive pairs of a trace as `from->to`, from the start dot on. */
export const traceEdges = (trace: string[]) => ['start', ...trace].slice(1).map((to, i) => `${['start', ...trace][i]}->${to}`);

export interface Marks {
  covered: Set<string>;
  coveredEdges: Set<string>;
  diverged: Map<string, number>;
}

export function marksOf(cases: CaseEntry[]): Marks {
  const covered = new Set<string>(['start']);
  const coveredEdges = new Set<string>();
  const diverged = new Map<string, number>();
  for (const c of cases) {
    if (c.status !== 'judged') continue;
    c.expected.trace.forEach((s) => covered.add(s));
    traceEdges(c.expected.trace).forEach((e) => coveredEdges.add(e));
    if (c.divergent) {
      const end = c.expected.trace.at(-1)!;
      diverged.set(end, (diverged.get(end) ?? 0) + 1);
    }
  }
  return { covered, coveredEdges, diverged };
}

export async function statechartSvg(policy: Policy, cases: CaseEntry[]): Promise<string> {
  const title = `profile ${policy.profile}, policy ${policyDigest(policy)}`;
  const svg = await renderSvg(toDot(diagramOf(machineFor(policy)), title));
  const marks = marksOf(cases);
  return svg
    .replace(/^[\s\S]*?(<svg)/, '$1')
    .replace(/<svg width="[^"]*" height="[^"]*"/, '<svg class="statechart" preserveAspectRatio="xMinYMin meet"')
    .replace(/<g id="(node\d+|edge\d+)" class="(node|edge)">\s*<title>([^<]*)<\/title>/g, (_m, id: string, kind: string, rawTitle: string) => {
      const name = unescapeXml(rawTitle);
      let cls: string;
      if (kind === 'node') {
        cls = marks.diverged.has(name) ? 'st-diverged' : marks.covered.has(name) ? 'st-covered' : 'st-uncovered';
      } else {
        cls = marks.coveredEdges.has(name) ? 'tr-covered' : 'tr-uncovered';
      }
      const tip = kind === 'node' && marks.diverged.has(name) ? `${name}: ${marks.diverged.get(name)} divergent case(s) end here in the model` : name;
      return `<g id="${id}" class="${kind} ${cls}" data-name="${name.replace(/"/g, '&quot;')}">\n<title>${tip.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</title>`;
    });
}
