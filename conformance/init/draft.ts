// What `init` has learnt so far: the working policy the next probes are forged under,
// the evidence behind each field, and what it refused to learn (suspected defects).
// docs/init.md says which observations become contract and which do not.
import { predict } from '../../model/oracle.ts';
import { profilePolicy, type OverridableReason, type Policy } from '../../model/policy.ts';
import { HANDSHAKE_REASONS, NO_TOKEN_REASONS, USER_REASONS, type HandshakeReason } from '../../model/reasons.ts';
import { accepted, isFailure, type Observation } from './probe.ts';

export class Draft {
  /** Evidence lines per policy field (`placements`, `outcomes.user-unknown`, ...), in the order learnt. */
  readonly evidence = new Map<string, string[]>();
  /** Observations init did not learn as contract: the run is expected to report them. */
  readonly suspected: string[] = [];
  /** Observations whose answers (status, close code) may be learnt as outcomes. */
  readonly answers: Observation[] = [];

  constructor(public policy: Policy) {}

  set<K extends keyof Policy>(field: K, value: Policy[K], ...lines: string[]): void {
    this.policy = { ...this.policy, [field]: value };
    this.note(field, ...lines);
  }

  note(field: string, ...lines: string[]): void {
    this.evidence.set(field, [...(this.evidence.get(field) ?? []), ...lines]);
  }

  suspect(line: string): void {
    this.suspected.push(line);
  }

  /** Keeps a probe whose answer tells how the backend refuses (learnt once every field is known). */
  answer(o: Observation): Observation {
    this.answers.push(o);
    return o;
  }

  /**
   * The outcomes: each kept probe's answer where it differs from the profile's, under the
   * finished policy's prediction. A 5xx, a hang or an accept where the model refuses is
   * never learnt: it stays the profile's answer and the run reports it.
   */
  learnOutcomes(): void {
    const base = profilePolicy(this.policy.profile).outcomes;
    const learnt = new Map<OverridableReason, Observation>();
    for (const o of this.answers) {
      const { outcome, reason } = predict(this.policy, o.facts);
      if (outcome === 'accept' || reason === 'client-closed') continue;
      const r = reason as OverridableReason;
      const expected = `${outcome} (${reason})`;
      if (isFailure(o)) {
        this.suspect(`probe ${o.name} -> ${o.text}: a server error or a hang is never a contract; the draft keeps ${expected}`);
        continue;
      }
      if (accepted(o)) {
        // Let in although the draft refuses it: a field rule may have said so already (iss absent), else say it here (a wrong signature).
        if (!this.suspected.some((line) => line.startsWith(`probe ${o.name} `))) this.suspect(`probe ${o.name} -> ${o.text}: let in, where the draft expects ${expected}`);
        continue;
      }
      const observed = o.outcome.replace(/^http-/, 'reject-') as Policy['outcomes'][OverridableReason];
      const earlier = learnt.get(r);
      if (earlier && earlier.outcome !== o.outcome) {
        this.note(`outcomes.${r}`, `probe ${o.name} -> ${o.text}, unlike probe ${earlier.name}: kept the first`);
        continue;
      }
      learnt.set(r, o);
      if (observed === base[r]) continue;
      this.policy = { ...this.policy, outcomes: { ...this.policy.outcomes, [r]: observed } };
      this.note(`outcomes.${r}`, `probe ${o.name} -> ${o.text}`);
    }
    this.followProbed(learnt, base);
  }

  /**
   * A reason no probe reached is answered like the probed one of its kind (a backend
   * rarely answers a stripped signature otherwise than a wrong one): a guess, said so.
   */
  private followProbed(learnt: Map<OverridableReason, Observation>, base: Policy['outcomes']): void {
    for (const [probed, group] of FAMILIES) {
      const o = learnt.get(probed);
      const outcome = this.policy.outcomes[probed];
      if (!o || outcome === base[probed]) continue;
      for (const r of group) {
        if (learnt.has(r) || base[r] !== base[probed]) continue;
        this.policy = { ...this.policy, outcomes: { ...this.policy.outcomes, [r]: outcome } };
        this.note(`outcomes.${r}`, `not probed: answered like ${probed} (probe ${o.name} -> ${o.text})`);
      }
    }
  }
}

/** Each probed reason, and the unprobed reasons of its kind that follow it. */
const FAMILIES: ReadonlyArray<[HandshakeReason, readonly HandshakeReason[]]> = [
  ['credential-missing', NO_TOKEN_REASONS],
  ['origin-foreign', ['origin-null']],
  ['user-unknown', USER_REASONS],
  ['signature-wrong-key', HANDSHAKE_REASONS.filter((r) => !NO_TOKEN_REASONS.includes(r) && !USER_REASONS.includes(r) && !r.startsWith('origin-'))],
];
