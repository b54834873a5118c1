// The conformance engine: target -> preflight -> cases (model paths, then fuzz with
// twins for the metamorphic relations) -> drive (concurrently) -> judge -> re-run
// timing-dependent divergences -> shrink -> counterexamples -> summary.
// Results are values; reporters receive events; nothing here prints or exits.
import { randomBytes } from 'node:crypto';
import { measureCoverage } from '../model/paths.ts';
import { predict } from '../model/oracle.ts';
import { policyDigest, type Policy } from '../model/policy.ts';
import { canonicalFacts, type Case, type RelationId } from './cases/case.ts';
import { describeFacts, deviations, isTimingDependent, type FactName, type Facts } from './cases/facts-util.ts';
import { casesFromPaths } from './cases/from-paths.ts';
import { fuzzArbitrary, fuzzCases } from './cases/fuzz.ts';
import { KeyRing } from './cases/forge/token.ts';
import { DEFAULT_FUZZ_SHAPE, type FuzzShape } from './cases/arbitraries/facts.ts';
import { estimatedCost, executeCase, type DriveSettings, type Execution } from './drive/execute.ts';
import { observedOutcome } from './drive/evidence.ts';
import { runPool } from './drive/pool.ts';
import type { Finding, JudgeInput } from './judge/context.ts';
import { judge, type Judgement } from './judge/judge.ts';
import { RELATIONS } from './judge/relations.ts';
import { isDivergent, NOT_APPLICABLE } from './judge/verdict.ts';
import { checkHealth, checkReachable } from './preflight.ts';
import type { EngineEvent, Reporter } from './report/events.ts';
import { buildCounterexample, counterexampleFileName, redactRequest, writeCounterexample } from './replay/counterexample.ts';
import type { CaseResult, CompletedRun, Divergence, PreflightReport, RunResult, Summary } from './result.ts';
import { shrinkCase } from './shrink/shrink.ts';
import { unavailableFacts, unavailableReason, type Target } from './targets/target.ts';
import { PLACEMENTS } from '../model/policy.ts';
import { BYPASS_HEADERS } from './cases/noise.ts';

export interface RunOptions {
  /** A started target, or a function starting one (then the engine also closes it). */
  target: Target | (() => Promise<Target>);
  seed: number;
  /** Fuzz budget: cases drawn by fast-check on top of the model paths. */
  runs: number;
  concurrency?: number;
  /** Client deadline for an HTTP answer; default policy.handshakeDeadlineMs + 500. */
  deadlineMs?: number | null;
  /** How long an accepted socket is watched; default 150 ms. */
  observeMs?: number | null;
  /** NON-STRICT counts as a divergence. */
  strict?: boolean;
  /** Run the model paths (default true). */
  paths?: boolean;
  /** Check noise invariance and placement equivalence with twin cases (default true). */
  relations?: boolean;
  /** Shrink divergent fuzz cases (default: up to 4 distinct divergences, 60 live runs and 5 s each). */
  shrink?: { maxCases: number; maxRunsPerCase: number; maxMs: number } | false;
  /** Re-run divergences of timing-dependent cases (default true). */
  rerunTiming?: boolean;
  /** Stop after a failing canary, since every valid case would fail the same way (default true). */
  stopAfterCanaryFailure?: boolean;
  /** Write one counterexample file per divergence here. */
  counterexamplesDir?: string | null;
  revealTokens?: boolean;
  /** Recorded in counterexamples so `replay` rebuilds the same embedded target. */
  mutant?: string | null;
  /**
   * How fuzz cases are drawn: weights, and fact values to leave out (e.g. a benchmark
   * of handshakes alone leaves out the session and stall values).
   */
  fuzz?: Partial<FuzzShape>;
  /** Cases to run instead of paths and fuzz (replay). */
  cases?: Case[];
}

const DEFAULT_SHRINK = { maxCases: 4, maxRunsPerCase: 60, maxMs: 5000 };

interface Done {
  kase: Case;
  exec: Execution | null;
  judgement: Judgement | null;
  notCovered?: string;
}

export async function runConformance(options: RunOptions, reporter?: Reporter): Promise<RunResult> {
  const emit = (e: EngineEvent) => reporter?.onEvent(e);
  let target: Target;
  const owned = typeof options.target === 'function';
  try {
    target = typeof options.target === 'function' ? await options.target() : options.target;
  } catch (error) {
    const result: RunResult = { kind: 'setup-error', error: error as Error };
    emit({ type: 'run-finished', result });
    return result;
  }
  try {
    const result = await runAgainst(target, options, emit);
    emit({ type: 'run-finished', result });
    return result;
  } catch (error) {
    const result: RunResult = { kind: 'setup-error', error: error as Error };
    emit({ type: 'run-finished', result });
    return result;
  } finally {
    if (owned) await target.close().catch(() => {});
  }
}

async function runAgainst(target: Target, options: RunOptions, emit: (e: EngineEvent) => void): Promise<RunResult> {
  const started = performance.now();
  const policy = target.policy;
  const strict = options.strict ?? false;
  const settings: DriveSettings = {
    deadlineMs: options.deadlineMs ?? policy.handshakeDeadlineMs + 500,
    observeMs: options.observeMs ?? 150,
    revokeWatchMs: 1500,
    expiryToleranceMs: 1500,
  };
  const ring = new KeyRing(target.keys);
  const targetInfo = { kind: target.kind, description: target.description, url: target.url };
  emit({ type: 'run-started', target: target.description, seed: options.seed, policyDigest: policyDigest(policy), profile: policy.profile });

  // Preflight: reachable, healthy; the canary comes with the cases below.
  const preflight: PreflightReport = { reachable: await checkReachable(target, settings.deadlineMs), health: null, canary: null };
  if (preflight.reachable.ok) preflight.health = await checkHealth(target, Math.max(2000, settings.deadlineMs));
  if (!preflight.reachable.ok || (preflight.health && !preflight.health.ok)) {
    emit({ type: 'preflight', preflight });
    return { kind: 'unreachable', target: targetInfo, preflight, detail: !preflight.reachable.ok ? preflight.reachable.detail : preflight.health!.detail };
  }

  // Subjects are unique per case and per run: a target reused across runs (mutants,
  // bench) keeps the users of earlier runs, revoked ones included.
  const runNonce = randomBytes(3).toString('hex');
  let seq = 0;
  const runId = () => `${runNonce}-${++seq}`;
  const judgeExec = (kase: Case, exec: Execution, relationFindings: Finding[] = []) =>
    judge(judgeInput(policy, kase, exec, settings), target.keys.fingerprint, relationFindings);
  const runCase = async (kase: Case): Promise<Done> => {
    const exec = await executeCase(target, ring, kase, settings, runId());
    return { kase, exec, judgement: judgeExec(kase, exec) };
  };

  // The canary: the canonical valid case.
  const canonical = canonicalFacts(policy);
  const canaryCase: Case = { key: 'canary', source: { kind: 'canary' }, facts: canonical, prediction: predict(policy, canonical) };
  const canary = await runCase(canaryCase);
  const canaryOk = !isDivergent(canary.judgement!.handshake, false) && !isDivergent(canary.judgement!.session, false);
  preflight.canary = {
    ok: canaryOk,
    detail: canaryOk ? `canonical valid case accepted (key ${target.keys.fingerprint})` : `canonical valid case: ${canary.judgement!.hint?.text ?? observedOutcome(canary.exec!.evidence)}`,
  };
  emit({ type: 'preflight', preflight });

  // Plan the cases.
  const unavailable = unavailableFacts(target) as Partial<Record<FactName, string[]>>;
  const shape: FuzzShape = {
    ...DEFAULT_FUZZ_SHAPE,
    ...options.fuzz,
    unavailable: mergeUnavailable(unavailable as FuzzShape['unavailable'], options.fuzz?.unavailable ?? {}),
  };
  const arbitrary = fuzzArbitrary(policy, canonical, shape);
  const planned: Case[] = [];
  let pathCount = 0;
  let fuzzCount = 0;
  if (options.cases) {
    planned.push(...options.cases);
  } else if (canaryOk || options.stopAfterCanaryFailure === false) {
    if (options.paths !== false) {
      const fromPaths = casesFromPaths(policy).cases;
      pathCount = fromPaths.length;
      planned.push(...fromPaths);
    }
    const fuzz = fuzzCases(policy, arbitrary, options.seed, options.runs);
    fuzzCount = fuzz.length;
    planned.push(...fuzz);
  }
  const enabled = PLACEMENTS.filter((p) => p !== 'first-message' && policy.placements[p]);
  const twinsOf = new Map<string, Array<{ relation: RelationId; kase: Case }>>();
  const twins: Case[] = [];
  if (options.relations !== false) {
    // Noise invariance over the model paths: each handshake path again with one
    // bypass-looking header, so a "test fast path" is found without fuzzing luck.
    planned
      .filter((k) => k.source.kind === 'path')
      .forEach((path, i) => {
        const facts = withBypassHeader(path.facts, i);
        if (!facts || blockedBy(facts, unavailable)) return;
        const noisy: Case = { key: `${path.key}+noise`, source: path.source, facts, prediction: predict(policy, facts), variantKey: path.key };
        twins.push(noisy);
        twinsOf.set(noisy.key, [{ relation: 'noise-invariance', kase: path }]);
      });
    for (const kase of planned) {
      if (kase.source.kind !== 'fuzz' && kase.source.kind !== 'replay') continue;
      for (const relation of RELATIONS) {
        const facts = relation.twin(kase.facts, enabled);
        if (!facts || blockedBy(facts, unavailable)) continue;
        const twin: Case = { key: `${kase.key}~${relation.id}`, source: { kind: 'twin', of: kase.key, relation: relation.id }, facts, prediction: predict(policy, facts), variantKey: kase.key };
        twins.push(twin);
        twinsOf.set(kase.key, [...(twinsOf.get(kase.key) ?? []), { relation: relation.id, kase: twin }]);
      }
    }
  }
  const all = [...planned, ...twins];
  const notCoveredCount = all.filter((k) => blockedBy(k.facts, unavailable)).length;
  emit({ type: 'cases-planned', total: all.length + 1, paths: pathCount, fuzz: fuzzCount, twins: twins.length, notCovered: notCoveredCount });

  // Drive everything, slow cases first, at most `concurrency` at once.
  const total = all.length + 1;
  let finished = 1;
  emit({ type: 'case-finished', result: toResult(canary, strict), done: finished, total });
  const done = await runPool(
    all,
    options.concurrency ?? 32,
    (k) => estimatedCost(k, policy.authWindowMs, policy.clockSkewSeconds, settings),
    async (kase): Promise<Done> => {
      const blocked = blockedBy(kase.facts, unavailable);
      const d: Done = blocked ? { kase, exec: null, judgement: null, notCovered: blocked } : await runCase(kase);
      emit({ type: 'case-finished', result: toResult(d, strict), done: ++finished, total });
      return d;
    },
  );
  const byKey = new Map(done.map((d) => [d.kase.key, d]));

  // Metamorphic relations: compare each case with its twins.
  const twinReports = new Map<string, CaseResult['twins']>();
  for (const d of done) {
    const list = twinsOf.get(d.kase.key);
    if (!list || !d.exec) continue;
    const findings: Finding[] = [];
    const reports: CaseResult['twins'] = [];
    for (const { relation, kase } of list) {
      const t = byKey.get(kase.key);
      if (!t?.exec) continue;
      const rel = RELATIONS.find((r) => r.id === relation)!;
      const f = rel.compare(d.exec.evidence, t.exec.evidence, d.kase.facts);
      reports.push({ relation, key: kase.key, observed: observedOutcome(t.exec.evidence), holds: f === null });
      if (f) findings.push(f);
    }
    twinReports.set(d.kase.key, reports);
    if (findings.length) d.judgement = judgeExec(d.kase, d.exec, findings);
  }

  const results: Done[] = [canary, ...done];
  const divergent = (d: Done) => d.judgement !== null && (isDivergent(d.judgement.handshake, strict) || isDivergent(d.judgement.session, strict));

  // Timing-dependent divergences are re-run before they are reported.
  const stability = new Map<string, 'deterministic' | 'flaky'>();
  if (options.rerunTiming !== false) {
    const again = results.filter((d) => divergent(d) && isTimingDependent(d.kase.facts));
    await runPool(again, options.concurrency ?? 32, (d) => estimatedCost(d.kase, policy.authWindowMs, policy.clockSkewSeconds, settings), async (d) => {
      const r = await runCase(d.kase);
      const same = r.judgement!.handshake === d.judgement!.handshake && r.judgement!.session === d.judgement!.session;
      const s = same ? 'deterministic' : 'flaky';
      stability.set(d.kase.key, s);
      emit({ type: 'rerun', key: d.kase.key, stability: s });
    });
  }

  // Shrink one representative per kind of divergence not already shown by a minimal case.
  const shrunk = new Map<string, { facts: Facts; steps: number; path: string; done: Done }>();
  const shrinkOpts = options.shrink === false ? null : (options.shrink ?? DEFAULT_SHRINK);
  if (shrinkOpts) {
    const signature = (d: Done) => d.judgement!.hint?.id ?? d.judgement!.findings[0]?.check ?? 'unknown';
    const minimal = new Set(results.filter((d) => divergent(d) && d.kase.source.kind === 'path' && d.kase.facts.noise.headers.length <= 1).map(signature));
    for (const d of results) if (divergent(d) && d.kase.source.kind === 'fuzz' && deviations(d.kase.facts, canonical).length <= 1 && !hasNoiseFacts(d.kase.facts)) minimal.add(signature(d));
    const chosen = new Map<string, Done>();
    // Cheap representatives first: no timing facts, fewest deviations.
    const cost = (d: Done) => (isTimingDependent(d.kase.facts) ? 100 : 0) + deviations(d.kase.facts, canonical).length;
    for (const d of [...results].sort((a, b) => cost(a) - cost(b))) {
      if (!divergent(d) || d.kase.source.kind !== 'fuzz') continue;
      const sig = signature(d);
      if (minimal.has(sig) || chosen.has(sig) || chosen.size >= shrinkOpts.maxCases) continue;
      chosen.set(sig, d);
    }
    for (const [sig, d] of chosen) {
      const source = d.kase.source as { kind: 'fuzz'; seed: number; path: string };
      let last: Done | null = null;
      const shrinkStarted = performance.now();
      const stillDiverges = async (facts: Facts) => {
        // Out of time: count as "no longer diverges", which ends the shrink where it is.
        if (performance.now() - shrinkStarted > shrinkOpts.maxMs) return false;
        const kase: Case = { key: `${d.kase.key}>shrink`, source: d.kase.source, facts, prediction: predict(policy, facts), variantKey: d.kase.key };
        const r = await runCase(kase);
        const findings: Finding[] = [];
        if (options.relations !== false) {
          for (const rel of RELATIONS) {
            const tf = rel.twin(facts, enabled);
            if (!tf || blockedBy(tf, unavailable)) continue;
            const t = await runCase({ key: `${kase.key}~${rel.id}`, source: { kind: 'twin', of: kase.key, relation: rel.id }, facts: tf, prediction: predict(policy, tf), variantKey: d.kase.key });
            const f = rel.compare(r.exec!.evidence, t.exec!.evidence, facts);
            if (f) findings.push(f);
          }
        }
        if (findings.length) r.judgement = judgeExec(kase, r.exec!, findings);
        const ok = divergent(r) && signature(r) === sig;
        if (ok) last = r;
        return ok;
      };
      const s = await shrinkCase(arbitrary, source.seed, source.path, options.runs, stillDiverges, shrinkOpts.maxRunsPerCase, (facts, steps) =>
        emit({ type: 'shrink-step', key: d.kase.key, steps, description: describeFacts(facts, canonical) }),
      );
      if (s && last) shrunk.set(d.kase.key, { facts: s.facts, steps: s.steps, path: s.path, done: last });
    }
  }

  // Divergences and their counterexamples.
  const divergences: Divergence[] = [];
  const mutant = options.mutant ?? null;
  for (const d of results) {
    if (!divergent(d)) continue;
    const j = d.judgement!;
    const div: Divergence = {
      key: d.kase.key,
      handshake: j.handshake,
      session: j.session,
      expected: `${d.kase.prediction.outcome} (${d.kase.prediction.reason})`,
      observed: observedOutcome(d.exec!.evidence),
      hint: j.hint,
      description: describeFacts(d.kase.facts, canonical),
      ...(stability.has(d.kase.key) ? { stability: stability.get(d.kase.key)! } : {}),
    };
    const s = shrunk.get(d.kase.key);
    if (s) div.shrunk = { facts: s.facts, description: describeFacts(s.facts, canonical), steps: s.steps, path: s.path };
    if (options.counterexamplesDir) {
      const write = async (x: Done, key: string, shrunkFrom?: string) => {
        const file = `${options.counterexamplesDir}/${counterexampleFileName(key)}`;
        const c = buildCounterexample(
          {
            key,
            source: x.kase.source,
            description: describeFacts(x.kase.facts, canonical),
            facts: x.kase.facts,
            policy,
            target: { ...targetInfo, mutant },
            request: x.exec!.request,
            prediction: x.kase.prediction,
            observed: observedOutcome(x.exec!.evidence),
            evidence: x.exec!.evidence,
            handshake: x.judgement!.handshake,
            session: x.judgement!.session,
            findings: x.judgement!.findings,
            hint: x.judgement!.hint,
            ...(stability.has(d.kase.key) ? { stability: stability.get(d.kase.key)! } : {}),
            ...(shrunkFrom ? { shrunkFrom } : {}),
            revealTokens: options.revealTokens ?? false,
          },
          file,
        );
        return writeCounterexample(options.counterexamplesDir!, c);
      };
      div.counterexampleFile = s ? await write(s.done, `${d.kase.key}-shrunk`, d.kase.key) : await write(d, d.kase.key);
    }
    divergences.push(div);
    emit({ type: 'divergence', divergence: div });
  }

  // Minimal cases first: the canary, model paths, then fuzz, then relation twins.
  const rank = (key: string) => (key === 'canary' ? 0 : key.startsWith('path:') ? (key.endsWith('+noise') ? 2 : 1) : key.includes('~') ? 4 : 3);
  divergences.sort((a, b) => rank(a.key) - rank(b.key));

  const caseResults = results.map((d) => {
    const r = toResult(d, strict, options.revealTokens ?? false);
    r.twins = twinReports.get(d.kase.key) ?? [];
    if (stability.has(d.kase.key)) r.stability = stability.get(d.kase.key)!;
    return r;
  });
  const wallMs = performance.now() - started;
  const summary = summarise(policy, caseResults, unavailable, wallMs, strict);
  const run: CompletedRun = {
    kind: 'completed',
    passed: divergences.length === 0 && summary.vacuous === 0,
    target: targetInfo,
    seed: options.seed,
    runs: options.runs,
    strict,
    policyDigest: policyDigest(policy),
    profile: policy.profile,
    preflight,
    stoppedAfterCanary: !canaryOk && !options.cases && options.stopAfterCanaryFailure !== false,
    cases: caseResults,
    divergences,
    summary,
  };
  return run;
}

function withBypassHeader(facts: Facts, i: number): Facts | null {
  if (facts.session !== 'client-closes' || facts.latency !== 'within-budget' || hasNoiseFacts(facts)) return null;
  const [name, value] = BYPASS_HEADERS[i % BYPASS_HEADERS.length]!;
  return { ...facts, noise: { headers: [[name, value]], query: [], headerCase: 'canonical', reverseHeaders: false } };
}

function mergeUnavailable(a: FuzzShape['unavailable'], b: FuzzShape['unavailable']): FuzzShape['unavailable'] {
  const out: Record<string, string[]> = {};
  for (const src of [a, b]) for (const [k, v] of Object.entries(src)) out[k] = [...new Set([...(out[k] ?? []), ...((v ?? []) as string[])])];
  return out as FuzzShape['unavailable'];
}

function hasNoiseFacts(f: Facts): boolean {
  const n = f.noise;
  return n.headers.length > 0 || n.query.length > 0 || n.headerCase !== 'canonical' || n.reverseHeaders;
}

/** The reason a case cannot run on this target, or null. */
function blockedBy(facts: Facts, unavailable: Partial<Record<FactName, string[]>>): string | null {
  for (const [fact, values] of Object.entries(unavailable) as Array<[FactName, string[]]>) {
    if (values.includes(facts[fact] as string)) return `${fact}=${facts[fact]}: ${unavailableReason(fact, facts[fact] as string)}`;
  }
  return null;
}

function judgeInput(policy: Policy, kase: Case, exec: Execution, settings: DriveSettings): JudgeInput {
  return {
    policy,
    facts: kase.facts,
    prediction: kase.prediction,
    evidence: exec.evidence,
    expSeconds: exec.request.expSeconds,
    tokenPresented: exec.request.token !== null && exec.request.token !== '' && kase.facts.placement !== 'first-message',
    timing: { handshakeDeadlineMs: settings.deadlineMs, expiryToleranceMs: settings.expiryToleranceMs },
  };
}

function toResult(d: Done, strict: boolean, revealTokens = false): CaseResult {
  const base = {
    key: d.kase.key,
    source: d.kase.source,
    facts: d.kase.facts,
    description: describeFacts(d.kase.facts),
    prediction: d.kase.prediction,
    twins: [],
  };
  if (!d.exec || !d.judgement) {
    return { ...base, status: 'not-covered', notCovered: d.notCovered ?? 'not run', findings: [], hint: null, divergent: false };
  }
  const j = d.judgement;
  return {
    ...base,
    status: 'judged',
    request: redactRequest(d.exec.request, revealTokens),
    evidence: d.exec.evidence,
    observed: observedOutcome(d.exec.evidence),
    handshake: j.handshake,
    session: j.session,
    findings: j.findings,
    hint: j.hint,
    divergent: isDivergent(j.handshake, strict) || isDivergent(j.session, strict),
  };
}

function summarise(policy: Policy, cases: CaseResult[], unavailable: Partial<Record<FactName, string[]>>, wallMs: number, strict: boolean): Summary {
  const count = (xs: string[]) => xs.reduce<Record<string, number>>((m, x) => ((m[x] = (m[x] ?? 0) + 1), m), {});
  const judged = cases.filter((c) => c.status === 'judged');
  const notCovered = cases.filter((c) => c.status === 'not-covered');
  const notCoveredFacts: Summary['notCoveredFacts'] = [];
  for (const [fact, values] of Object.entries(unavailable) as Array<[FactName, string[]]>) {
    for (const value of values) {
      const n = notCovered.filter((c) => c.facts[fact] === value).length;
      notCoveredFacts.push({ fact, value, reason: unavailableReason(fact, value), cases: n });
    }
  }
  const all = (v: 'handshake' | 'session') => judged.map((c) => (c[v] ?? NOT_APPLICABLE) as string);
  return {
    cases: cases.filter((c) => c.source.kind !== 'twin').length,
    judged: judged.length,
    notCovered: notCovered.length,
    twins: cases.filter((c) => c.source.kind === 'twin').length,
    predicted: count(cases.map((c) => c.prediction.outcome)),
    observed: count(judged.map((c) => c.observed ?? 'none')),
    handshakeVerdicts: count(all('handshake')),
    sessionVerdicts: count(all('session')),
    divergences: judged.filter((c) => c.divergent).length,
    vacuous: judged.filter((c) => c.handshake === 'VACUOUS' || c.session === 'VACUOUS').length,
    nonStrict: judged.filter((c) => c.handshake === 'NON-STRICT' || c.session === 'NON-STRICT').length,
    coverage: measureCoverage(policy, judged.map((c) => c.facts)),
    modelCoverage: measureCoverage(policy, cases.map((c) => c.facts)),
    notCoveredFacts,
    wallMs: Math.round(wallMs),
    casesPerSecond: Math.round((judged.length / (wallMs / 1000)) * 10) / 10,
  };
}
