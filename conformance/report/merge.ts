// `merge`: the reports of `run --shard K/N` joined into the report of one run. The
// shards planned the same cases (same seed, runs and policy), so the union of their
// cases is the one run's; coverage is measured again over all of them.
import { measureCoverage } from '../../model/paths.ts';
import { ConfigError } from '../../model/errors.ts';
import { NOT_APPLICABLE } from '../judge/verdict.ts';
import type { Divergence, HarnessReport, Summary } from '../result.ts';
import { isCompleted, type CaseEntry, type CompletedDocument, type ReportDocument } from './document.ts';

/** Minimal cases first, as the engine orders divergences: canary, paths, noise variants, fuzz, twins. */
const rank = (key: string) => (key === 'canary' ? 0 : key.startsWith('path:') ? (key.endsWith('+noise') ? 2 : 1) : key.includes('~') ? 4 : 3);
const byRank = (a: string, b: string) => rank(a) - rank(b) || a.localeCompare(b, 'en', { numeric: true });

function checkShards(docs: CompletedDocument[], files: string[]): number {
  const first = docs[0]!;
  const count = first.shard && 'index' in first.shard ? first.shard.count : 0;
  const seen = new Map<number, string>();
  docs.forEach((d, i) => {
    const f = files[i]!;
    if (!d.shard || !('index' in d.shard)) throw new ConfigError(f, 'is not the report of a shard', 'merge the report directories of "run --shard K/N"');
    for (const field of ['seed', 'runs', 'policyDigest', 'strict'] as const) {
      if (d[field] !== first[field]) throw new ConfigError(f, `${field} ${JSON.stringify(d[field])} differs from ${files[0]}'s ${JSON.stringify(first[field])}`, 'shards must come from the same run settings');
    }
    if (d.shard.count !== count) throw new ConfigError(f, `is shard ${d.shard.index}/${d.shard.count}, not of ${count}`, 'merge shards of one split');
    if (seen.has(d.shard.index)) throw new ConfigError(f, `shard ${d.shard.index}/${count} given twice (also ${seen.get(d.shard.index)})`, 'give each shard once');
    seen.set(d.shard.index, f);
  });
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((k) => !seen.has(k));
  if (missing.length) throw new ConfigError('merge', `shard ${missing.map((k) => `${k}/${count}`).join(', ')} missing`, 'give the report of every shard');
  return count;
}

export function mergeReports(docs: ReportDocument[], files: string[]): ReportDocument {
  if (docs.length === 0) throw new ConfigError('merge', 'no reports given', 'give the report directories of the shards');
  // A shard that did not complete decides the merge's exit, as it decided its run's.
  const failed = docs.find((d) => !isCompleted(d));
  if (failed) return { ...failed, passed: false };
  const shards = docs as CompletedDocument[];
  const count = checkShards(shards, files);
  const first = shards[0]!;
  if (!first.policy) throw new ConfigError(files[0]!, 'has no policy (written by an older version)', 'run the shards again with this version');
  const canaries = shards.map((d) => d.cases.find((c) => c.key === 'canary')).filter((c): c is CaseEntry => c !== undefined);
  const canary = canaries.find((c) => c.divergent) ?? canaries[0];
  const cases = [...(canary ? [canary] : []), ...shards.flatMap((d) => d.cases.filter((c) => c.key !== 'canary'))].sort((a, b) => byRank(a.key, b.key));
  const canaryDivergence = canary?.divergent ? shards.flatMap((d) => d.divergences).find((x) => x.key === 'canary') : undefined;
  const divergences: Divergence[] = [...(canaryDivergence ? [canaryDivergence] : []), ...shards.flatMap((d) => d.divergences.filter((x) => x.key !== 'canary'))].sort((a, b) => byRank(a.key, b.key));
  const summary = mergedSummary(first, shards, cases);
  const passed = divergences.length === 0 && summary.vacuous === 0;
  const partial = shards.some((d) => d.partial);
  return {
    ...first,
    startedAt: shards.map((d) => d.startedAt).sort()[0]!,
    exitCode: partial ? 130 : passed ? 0 : 1,
    passed,
    partial,
    notReproduced: shards.flatMap((d) => d.notReproduced ?? []).sort((a, b) => byRank(a.key, b.key)),
    harness: mergedHarness(shards.map((d) => d.harness).filter((h): h is HarnessReport => h !== undefined)),
    shard: { merged: shards.map((d) => (d.shard as { index: number }).index).sort((a, b) => a - b), count },
    stoppedAfterCanary: shards.some((d) => d.stoppedAfterCanary),
    summary,
    divergences,
    cases,
    gate: undefined,
  };
}

/** Shards ran apart: the widest concurrency range, the worst loop delay, confirmations added up. */
function mergedHarness(hs: HarnessReport[]): HarnessReport | undefined {
  const [h0] = hs;
  if (!h0) return undefined;
  const sum = (f: (h: HarnessReport) => number) => hs.reduce((n, h) => n + f(h), 0);
  const max = (f: (h: HarnessReport) => number) => Math.max(...hs.map(f));
  const firsts = hs.map((h) => h.firstConfirmedMs).filter((ms): ms is number => ms !== null);
  return {
    concurrency: { ...h0.concurrency, min: Math.min(...hs.map((h) => h.concurrency.min)), max: max((h) => h.concurrency.max), backoffs: sum((h) => h.concurrency.backoffs) },
    loopDelay: { p50Ms: max((h) => h.loopDelay.p50Ms), p99Ms: max((h) => h.loopDelay.p99Ms), maxMs: max((h) => h.loopDelay.maxMs) },
    confirmation: {
      candidates: sum((h) => h.confirmation.candidates),
      deterministic: sum((h) => h.confirmation.deterministic),
      flaky: sum((h) => h.confirmation.flaky),
      notReproduced: sum((h) => h.confirmation.notReproduced),
      attempts: sum((h) => h.confirmation.attempts),
    },
    firstConfirmedMs: firsts.length ? Math.min(...firsts) : null,
  };
}

function mergedSummary(first: CompletedDocument, shards: CompletedDocument[], cases: CaseEntry[]): Summary {
  const count = (xs: string[]) => xs.reduce<Record<string, number>>((m, x) => ((m[x] = (m[x] ?? 0) + 1), m), {});
  const judged = cases.filter((c) => c.status === 'judged');
  const verdicts = (v: 'handshake' | 'session') => judged.map((c) => (c.verdict[v] ?? NOT_APPLICABLE) as string);
  const facts = new Map<string, Summary['notCoveredFacts'][number]>();
  for (const n of shards.flatMap((d) => d.summary.notCoveredFacts)) {
    const k = `${n.fact}=${n.value}`;
    const had = facts.get(k);
    facts.set(k, had ? { ...had, cases: had.cases + n.cases } : { ...n });
  }
  // Shards run side by side: the merged run took as long as the slowest shard.
  const wallMs = Math.max(...shards.map((d) => d.summary.wallMs));
  return {
    cases: cases.filter((c) => c.source.kind !== 'twin').length,
    judged: judged.length,
    notCovered: cases.length - judged.length,
    twins: cases.filter((c) => c.source.kind === 'twin').length,
    predicted: count(cases.map((c) => c.expected.outcome)),
    observed: count(judged.map((c) => c.observed ?? 'none')),
    handshakeVerdicts: count(verdicts('handshake')),
    sessionVerdicts: count(verdicts('session')),
    divergences: judged.filter((c) => c.divergent).length,
    vacuous: judged.filter((c) => c.verdict.handshake === 'VACUOUS' || c.verdict.session === 'VACUOUS').length,
    nonStrict: judged.filter((c) => c.verdict.handshake === 'NON-STRICT' || c.verdict.session === 'NON-STRICT').length,
    // Shards of one run share its policy, so its declared contracts.
    declared: first.summary.declared ?? [],
    coverage: measureCoverage(first.policy!, judged.map((c) => c.facts)),
    modelCoverage: measureCoverage(first.policy!, cases.map((c) => c.facts)),
    notCoveredFacts: [...facts.values()],
    wallMs,
    casesPerSecond: Math.round((judged.length / (wallMs / 1000)) * 10) / 10,
    ...(first.summary.client ? { client: first.summary.client } : {}),
  };
}
