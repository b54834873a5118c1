// index.html: the run for people, in one self-contained file (no network): summary,
// outcome matrices, the statechart coloured by coverage and divergence, and a card per
// divergence. Tokens appear only as fingerprints (the report's redacted requests).
import { isCompleted, type CompletedDocument, type ReportDocument } from '../document.ts';
import { describeWaiver } from '../gate.ts';
import { reportedDivergences } from '../reported.ts';
import { divergenceCard } from './divergences.ts';
import { esc } from './escape.ts';
import { outcomeMatrices } from './matrix.ts';
import { statechartSvg } from './statechart.ts';
import { CSS, SCRIPT } from './style.ts';

const page = (title: string, header: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>${esc(title)}</title><style>${CSS}</style></head>
<body><header>${header}</header><main>${body}</main>
<footer>ws-auth-conformance · report schema ws-auth-conformance/report@1</footer>
<script>${SCRIPT}</script></body></html>
`;

const card = (value: string | number, label: string, cls = '') => `<div class="card ${cls}"><b>${esc(value)}</b><span>${esc(label)}</span></div>`;

function summary(doc: CompletedDocument): string {
  const s = doc.summary;
  const p = doc.preflight;
  const cards = [
    card(s.cases, `cases (+${s.twins} relation twins)`),
    card(s.judged, 'judged'),
    card(s.notCovered, 'not covered', s.notCovered ? 'warnc' : ''),
    card(s.divergences, 'divergences', s.divergences ? 'bad' : ''),
    card(s.nonStrict, 'NON-STRICT', s.nonStrict ? 'warnc' : ''),
    card(s.vacuous, 'vacuous', s.vacuous ? 'bad' : ''),
    card(`${s.coverage.states.covered}/${s.coverage.states.total}`, 'model states covered'),
    card(`${s.coverage.transitions.covered}/${s.coverage.transitions.total}`, 'transitions covered'),
    card(`${(s.wallMs / 1000).toFixed(1)} s`, `${s.casesPerSecond} cases/s`),
  ].join('');
  const notes = [
    `preflight: ${p.reachable.detail}; ${p.health ? p.health.detail : 'no health endpoint'}; canary ${p.canary?.ok ? 'ok' : `FAILED (${p.canary?.detail ?? ''})`}`,
    ...(doc.stoppedAfterCanary ? ['stopped after the canary: every valid case would fail the same way'] : []),
    ...(doc.partial ? ['PARTIAL: the run was interrupted; these are the cases judged so far, their divergences unconfirmed'] : []),
    ...(doc.harness ? [`harness: concurrency ${doc.harness.concurrency.mode} ${doc.harness.concurrency.min}-${doc.harness.concurrency.max}, event-loop delay p99 ${doc.harness.loopDelay.p99Ms} ms; ${doc.harness.confirmation.candidates} divergent first observations replayed: ${doc.harness.confirmation.deterministic} deterministic, ${doc.harness.confirmation.flaky} flaky, ${doc.harness.confirmation.notReproduced} not reproduced`] : []),
    ...s.notCoveredFacts.map((n) => `not covered: ${n.fact}=${n.value} (${n.cases} cases): ${n.reason}`),
    ...(doc.gate ? [`gate: ${doc.gate.newDivergences.length} new, ${doc.gate.known.length} known${doc.gate.baseline ? ` from ${doc.gate.baseline}` : ''}, ${doc.gate.waived.length} waived`] : []),
    ...(doc.gate?.expiredWaivers ?? []).map((w) => `EXPIRED waiver (fails the run): ${describeWaiver(w)}`),
    `reproduce: npx ws-auth-conformance run --seed ${doc.seed}${doc.runs !== undefined ? ` --runs ${doc.runs}` : ''}`,
  ];
  return `<section><h2>Summary</h2><div class="cards">${cards}</div><ul class="notes">${notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul></section>`;
}

async function completed(doc: CompletedDocument): Promise<string> {
  const reported = reportedDivergences(doc);
  const chart = doc.policy
    ? `<div class="toolbar"><span><span class="swatch" style="background:#d3f9d8"></span>covered</span><span><span class="swatch" style="background:#f8f9fa;border-style:dashed"></span>not covered</span><span><span class="swatch" style="background:#ffe3e3;border-color:#c92a2a"></span>a divergent case ends here in the model</span><span><span class="swatch" style="background:#1c7ed6"></span><span id="trace-label">trace of the selected divergence</span></span><button type="button" id="zoom">fit to width</button></div><div class="chart">${await statechartSvg(doc.policy, doc.cases)}</div>`
    : '<p>This report has no policy, so the statechart cannot be drawn.</p>';
  const list = reported.length
    ? reported.map((r, i) => divergenceCard(doc, r, i)).join('\n')
    : '<p>No divergence: every judged case was observed as the model predicts.</p>';
  const aside = doc.notReproduced?.length
    ? `<section><h2>Not reproduced (${doc.notReproduced.length}): set aside, not divergences</h2><ul class="notes">${doc.notReproduced.map((n) => `<li><code>${esc(n.key)}</code> ${esc(n.description)}: expected ${esc(n.expected)}, first observed ${esc(n.firstObserved)} (${esc(n.verdicts)}); none of ${n.attempts} replays diverged</li>`).join('')}</ul></section>`
    : '';
  return [
    summary(doc),
    `<section><h2>Outcomes</h2>${outcomeMatrices(doc.cases)}</section>`,
    `<section><h2>Statechart: what this run covered and where it diverged</h2>${chart}</section>`,
    `<section><h2>Divergences (${reported.length})</h2>${list}</section>`,
    aside,
  ].join('\n');
}

export async function renderHtml(doc: ReportDocument): Promise<string> {
  const passed = doc.exitCode === 0;
  const shard = doc.shard ? ('merged' in doc.shard ? ` · merged shards ${doc.shard.merged.join(', ')} of ${doc.shard.count}` : ` · shard ${doc.shard.index}/${doc.shard.count}`) : '';
  const header = `<h1>ws-auth-conformance</h1><span class="verdict ${passed ? 'pass' : 'fail'}">${passed ? 'PASS' : doc.kind === 'completed' ? 'FAIL' : doc.kind.toUpperCase()}</span>
<span class="meta">${esc(doc.target?.description ?? '')}${doc.target ? ` (${esc(doc.target.url)})` : ''} · seed ${esc(doc.seed ?? '-')} · profile ${esc(doc.profile ?? '-')} · policy ${esc(doc.policyDigest ?? '-')}${esc(shard)} · ${esc(doc.startedAt)}</span>`;
  const body = isCompleted(doc) ? await completed(doc) : `<section><h2>${esc(doc.kind)}</h2><pre>${esc(doc.error?.message ?? '')}</pre></section>`;
  return page(`ws-auth-conformance: ${passed ? 'PASS' : 'FAIL'}`, header, body);
}
