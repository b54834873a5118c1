// Outcome matrices in the spirit of Autobahn's table: predicted vs observed outcome,
// and the model's reason by placement, each cell coloured by how its cases fared.
import type { CaseEntry } from '../document.ts';
import { esc } from './escape.ts';

type Fate = 'ok' | 'warn' | 'fail' | 'skip';

function fateOf(c: CaseEntry): Fate {
  if (c.status === 'not-covered') return 'skip';
  if (c.divergent) return 'fail';
  if (c.verdict.handshake === 'NON-STRICT' || c.verdict.session === 'NON-STRICT') return 'warn';
  return 'ok';
}

const worstFate = (fates: Fate[]): Fate => (['fail', 'warn', 'ok', 'skip'] as const).find((f) => fates.includes(f)) ?? 'skip';

function cell(cases: CaseEntry[], label: string): string {
  if (!cases.length) return '<td class="empty"></td>';
  const fates = cases.map(fateOf);
  const bad = fates.filter((f) => f === 'fail').length;
  const text = bad ? `${bad}✗ / ${cases.length}` : String(cases.length);
  const keys = cases.slice(0, 12).map((c) => c.key).join('\n') + (cases.length > 12 ? `\n… ${cases.length - 12} more` : '');
  return `<td class="cell ${worstFate(fates)}" title="${esc(`${label}\n${keys}`)}">${esc(text)}</td>`;
}

function table(caption: string, rowHead: string, rows: string[], cols: string[], pick: (c: CaseEntry) => [string, string], cases: CaseEntry[]): string {
  const grid = new Map<string, CaseEntry[]>();
  for (const c of cases) {
    const [r, k] = pick(c);
    grid.set(`${r}\u0000${k}`, [...(grid.get(`${r}\u0000${k}`) ?? []), c]);
  }
  const head = `<tr><th>${esc(rowHead)}</th>${cols.map((c) => `<th>${esc(c)}</th>`).join('')}</tr>`;
  const body = rows.map((r) => `<tr><th class="row">${esc(r)}</th>${cols.map((k) => cell(grid.get(`${r}\u0000${k}`) ?? [], `${r} · ${k}`)).join('')}</tr>`).join('\n');
  return `<table class="matrix"><caption>${esc(caption)}</caption>${head}\n${body}</table>`;
}

const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort();

export function outcomeMatrices(all: CaseEntry[]): string {
  const cases = all.filter((c) => c.source.kind !== 'twin');
  const judged = cases.filter((c) => c.status === 'judged');
  const predicted = sorted(judged.map((c) => c.expected.outcome));
  const observed = sorted(judged.map((c) => c.observed ?? 'none'));
  const byOutcome = table('Predicted outcome (rows) against observed outcome (columns): judged cases, twins aside', 'predicted \\ observed', predicted, observed, (c) => [c.expected.outcome, c.observed ?? 'none'], judged);
  const reasons = sorted(cases.map((c) => c.expected.reason));
  const placements = sorted(cases.map((c) => c.facts.placement));
  const byReason = table("The model's reason (rows) by credential placement (columns): every case, twins aside", 'reason \\ placement', reasons, placements, (c) => [c.expected.reason, c.facts.placement], cases);
  const legend = '<p class="legend"><span class="cell ok">all as predicted</span> <span class="cell warn">a SHOULD missed (NON-STRICT)</span> <span class="cell fail">n✗ divergent</span> <span class="cell skip">not covered by this target</span></p>';
  return `${legend}<div class="matrices"><div>${byOutcome}</div><div>${byReason}</div></div>`;
}
