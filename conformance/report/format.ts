// Text of the final summary, shared by the console reporter and `replay`.
import type { CompletedRun, Confirmation, Divergence, RunResult } from '../result.ts';

const counts = (m: Record<string, number>) =>
  Object.entries(m)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${v}`)
    .join(', ') || '-';

export function formatDivergence(d: Divergence): string[] {
  const lines = [`  ${d.handshake}/${d.session}  ${d.key}: ${d.description}`, `      expected ${d.expected}, observed ${d.observed} (${confirmationText(d.confirmation)})`];
  if (d.hint) lines.push(`      hint [${d.hint.id}]: ${d.hint.text}`);
  const decisive = d.cause?.flips.find((f) => f.fact === d.cause?.fact);
  if (decisive && !d.hint?.text.includes(decisive.text)) lines.push(`      cause: ${decisive.fact}=${decisive.value} (${decisive.text})`);
  if (d.shrunk) lines.push(`      shrunk in ${d.shrunk.steps} steps to: ${d.shrunk.description}`);
  if (d.counterexampleFile) lines.push(`      counterexample: ${d.counterexampleFile}`);
  return lines;
}

/** `reproduced 2/2`, `flaky: reproduced 1 of 2 replays`, or `unconfirmed`. */
export function confirmationText(c: Confirmation | undefined): string {
  if (!c) return 'unconfirmed';
  if (c.status === 'deterministic') return `reproduced ${c.reproduced}/${c.attempts}`;
  if (c.status === 'flaky') return `flaky: reproduced ${c.reproduced} of ${c.attempts} replays`;
  return `not reproduced in ${c.attempts} replays${c.spoiled ? ` (${c.spoiled} more set aside: the moment was slow)` : ''}`;
}

export function formatSummary(result: RunResult, maxDivergences = 20): string {
  // The same prefix as every other error the CLI prints (cli/main.ts).
  if (result.kind === 'setup-error') return `error: ${result.error.message}
`;
  if (result.kind === 'interrupted') return `interrupted: ${result.detail}
`;
  if (result.kind === 'unreachable') return `target unreachable: ${result.detail}
  target: ${describeTarget(result.target)}
`;
  return formatCompleted(result, maxDivergences);
}

/** A target's description names its URL when the URL is not already in it (url targets' are). */
function describeTarget(target: { description: string; url: string }): string {
  return target.description.includes(target.url) ? target.description : `${target.description} (${target.url})`;
}

function formatCompleted(r: CompletedRun, maxDivergences: number): string {
  const s = r.summary;
  const p = r.preflight;
  const lines = [
    `target: ${describeTarget(r.target)}`,
    `seed ${r.seed} · profile ${r.profile} · policy ${r.policyDigest} · fuzz runs ${r.runs}${r.strict ? ' · strict' : ''}`,
    `preflight: ${p.reachable.detail}; ${p.health ? p.health.detail : 'no health endpoint'}; canary: ${p.canary?.ok ? 'ok' : `FAILED (${p.canary?.detail})`}`,
  ];
  if (r.partial) lines.push('PARTIAL: interrupted; the cases judged so far, divergences unconfirmed');
  if (r.stoppedAfterCanary) lines.push('stopped after the canary: every valid case would fail the same way');
  lines.push(
    `cases: ${s.cases} (+${s.twins} relation twins), ${s.judged} judged, ${s.notCovered} not covered, in ${(s.wallMs / 1000).toFixed(1)} s = ${s.casesPerSecond} cases/s`,
    `  predicted: ${counts(s.predicted)}`,
    `  observed:  ${counts(s.observed)}`,
    `  handshake verdicts: ${counts(s.handshakeVerdicts)}`,
    `  session verdicts:   ${counts(s.sessionVerdicts)}`,
    `coverage reached: states ${s.coverage.states.covered}/${s.coverage.states.total}, transitions ${s.coverage.transitions.covered}/${s.coverage.transitions.total}`,
  );
  for (const n of s.notCoveredFacts) lines.push(`  not covered: ${n.fact}=${n.value} (${n.cases} cases): ${n.reason}`);
  if (s.client) {
    lines.push(`  judged on what a browser page sees: 401, 403 and a missing WWW-Authenticate are not told apart`);
    for (const c of s.client.collapses) lines.push(`  collapse for a page: ${c.outcomes.join(', ')} all look like "${c.view}" (${c.reasons} reasons)`);
  }
  for (const d of s.declared) lines.push(`  declared: ${d.text} (policy.${d.field})`);
  lines.push(harnessLine(r));
  if (r.notReproduced.length) {
    lines.push(`not reproduced: ${r.notReproduced.length} first observations diverged and none of their replays did (not divergences)`);
    for (const n of r.notReproduced.slice(0, 5)) lines.push(`  ${n.key}: expected ${n.expected}, first observed ${n.firstObserved} (${n.verdicts})`);
    if (r.notReproduced.length > 5) lines.push(`  ... and ${r.notReproduced.length - 5} more (see --report)`);
  }
  if (r.divergences.length) {
    lines.push(`divergences: ${r.divergences.length}`);
    for (const d of r.divergences.slice(0, maxDivergences)) lines.push(...formatDivergence(d));
    if (r.divergences.length > maxDivergences) lines.push(`  ... and ${r.divergences.length - maxDivergences} more (see --report)`);
  }
  if (s.nonStrict && !r.strict) lines.push(`non-strict: ${s.nonStrict} cases missed a SHOULD (fail with --strict)`);
  if (s.vacuous) lines.push(`VACUOUS: ${s.vacuous} cases produced no wire evidence`);
  if (!r.passed) {
    const file = r.divergences.find((d) => d.counterexampleFile)?.counterexampleFile;
    lines.push(`reproduce: the same cases with --seed ${r.seed}${file ? `; one case with: npx ws-auth-conformance replay ${file}` : ''}`);
  }
  lines.push(r.passed ? 'result: PASS' : r.partial ? `result: INTERRUPTED (${r.divergences.length} unconfirmed divergences so far)` : `result: FAIL (${r.divergences.length} divergences${s.vacuous ? `, ${s.vacuous} vacuous` : ''})`);
  return `${lines.join('\n')}\n`;
}

/** How the harness ran: concurrency (fixed, or the adaptive range), its own loop delay, the confirmations. */
function harnessLine(r: CompletedRun): string {
  const { concurrency: c, loopDelay: l, confirmation: k } = r.harness;
  const conc = c.mode === 'fixed' ? `concurrency ${c.final} (fixed)` : `concurrency adaptive ${c.initial} -> ${c.min}..${c.max}, ${c.backoffs} back-offs`;
  const confirmed = k.candidates ? `; ${k.candidates} divergent first observations replayed ${k.attempts}x: ${k.deterministic} reproduced, ${k.flaky} flaky, ${k.notReproduced} not reproduced` : '';
  return `harness: ${conc}; engine loop delay p99 ${l.p99Ms} ms, max ${l.maxMs} ms${confirmed}`;
}
