// Two verdicts per case, as in Autobahn|Testsuite: the handshake's and the session's,
// each the worst finding of its phase; then a root-cause hint for any divergence.
import { visibleToBrowser } from './browser.ts';
import { closeCode } from '../../model/reasons.ts';
import { CHECKS } from './checks.ts';
import type { Finding, JudgeInput } from './context.ts';
import { hintFor, type Hint } from './hints.ts';
import { NOT_APPLICABLE, severity, worst, type SessionVerdict, type Verdict } from './verdict.ts';

export interface Judgement {
  handshake: Verdict;
  session: SessionVerdict;
  findings: Finding[];
  hint: Hint | null;
}

export function judge(input: JudgeInput, keyFingerprint: string, relationFindings: Finding[] = []): Judgement {
  const all = [...CHECKS.flatMap((c) => c.run(input)), ...relationFindings];
  const findings = (input.client === 'browser' ? visibleToBrowser(all, input) : all).sort((a, b) => severity(b.verdict) - severity(a.verdict));
  const of = (phase: Finding['phase']) => findings.filter((f) => f.phase === phase).map((f) => f.verdict);
  const handshake = worst<Verdict>(of('handshake'), 'OK');
  const sessionDue = input.prediction.outcome === 'accept' || closeCode(input.prediction.outcome) !== null;
  const session: SessionVerdict = input.evidence.upgraded || sessionDue ? worst<SessionVerdict>(of('session'), input.evidence.upgraded ? 'OK' : NOT_APPLICABLE) : NOT_APPLICABLE;
  return { handshake, session, findings, hint: hintFor({ ...input, findings, keyFingerprint }) };
}
