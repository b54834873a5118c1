// Text of the final summary, shared by the console reporter and `replay`.
import type { CompletedRun, Divergence, RunResult } from '../result.ts';

const counts = (m: Record<string, number>) =>
  Object.entries(m)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${v}`)
    .join(', ') || '-';

export function formatDivergence(d: Divergence): string[] {
  const lines = [`  ${d.handshake}/${d.session}  ${d.key}: ${d.description}`, `      expected ${d.expected}, observed ${d.observed}${d.stability ? ` (${d.stability})` : ''}`];
  if (d.hint) lines.push(`      hint [${d.hint.id}]: ${d.hint.text}`);
  if (d.shrunk) lines.push(`      shrunk in ${d.shrunk.steps} steps to: ${d.shrunk.description}`);
  if (d.counterexampleFile) lines.push(`      counterexample: ${d.counterexampleFile}`);
  return lines;
}

export function formatSummary(result: RunResult, maxDivergences = 20): string {
  // The same prefix as every other error the CLI prints (cli/main.ts).
  if (result.kind === 'setup-error') return `error: ${result.error.message}\n`;
  if (result.kind === 'unreachable') return `target unreachable: ${result.detail}\n  target: ${describeTarget(result.target)}\n`;
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
  lines.push(r.passed ? 'result: PASS' : `result: FAIL (${r.divergences.length} divergences${s.vacuous ? `, ${s.vacuous} vacuous` : ''})`);
  return `${lines.join('\n')}\n`;
}
