// Test paths: a set of cases that together visit every state and take every transition
// of the machine under one policy. Shortest paths come from `xstate/graph`; each path
// is then completed into facts (the canonical valid case plus exactly what the path
// revealed) and re-run through the oracle, so a path and its prediction cannot drift.
import { getShortestPaths, getStateNodes } from 'xstate/graph';
import type { SnapshotFrom } from 'xstate';
import { EVENT_FACTS, factsOf, type ModelEvent } from './events.ts';
import { CANONICAL_FACTS, FACT_NAMES, factDomains, type FactName, type Facts } from './facts.ts';
import { machineFor, type AuthMachine } from './machine.ts';
import { leafId, runModel, transitionIds } from './oracle.ts';
import type { Policy } from './policy.ts';
import type { Outcome, Reason } from './reasons.ts';

export interface ModelPath {
  id: string;
  outcome: Outcome;
  reason: Reason;
  states: string[];
  facts: Facts;
}

export interface Ratio {
  covered: number;
  total: number;
}

export interface Coverage {
  states: Ratio;
  transitions: Ratio;
}

export interface PathSet {
  coverage: Coverage;
  paths: ModelPath[];
}

type Snapshot = SnapshotFrom<AuthMachine>;

/** Domain values in exploration order: canonical first, so shortest paths stay close to the valid case. */
function orderedDomain(policy: Policy, fact: FactName): string[] {
  const values = factDomains(policy)[fact] as readonly string[];
  const canonical = CANONICAL_FACTS[fact] as string;
  return values.includes(canonical) ? [canonical, ...values.filter((v) => v !== canonical)] : [...values];
}

/** The events the current state handles, with every value their facts can take. */
function candidateEvents(machine: AuthMachine, policy: Policy, snapshot: Snapshot): ModelEvent[] {
  if (snapshot.status === 'done') return [];
  const node = machine.getStateNodeById(leafId(snapshot.value));
  return [...node.transitions.keys()].flatMap((type): ModelEvent[] => {
    switch (type) {
      case 'CREDENTIAL':
        return orderedDomain(policy, 'placement').flatMap((placement) =>
          (placement === 'authorization-header'
            ? orderedDomain(policy, 'scheme')
            : placement === 'none' || placement === 'first-message'
              ? ['bearer']
              : ['bearer', 'empty']
          ).map((scheme) => ({ type, placement, scheme }) as ModelEvent),
        );
      case 'ROLE':
        // The role check reads the user already found, not a new fact.
        return [{ type, user: snapshot.context.seen.user ?? 'active' }];
      case 'AUTH_MESSAGE':
        return [{ type, placement: 'first-message' }];
      case 'AUTH_WINDOW_ELAPSED':
        return [{ type, session: 'auth-message-never-sent' }];
      case 'CLIENT_CLOSED':
        return [{ type, session: 'client-closes' }];
      case 'TOKEN_EXPIRED':
        return [{ type, session: 'token-expires' }];
      case 'USER_REVOKED':
        return [{ type, session: 'user-revoked' }];
      case 'USER_DELETED':
        return [{ type, session: 'user-deleted' }];
      case 'ROLE_REMOVED':
        return [{ type, session: 'user-role-removed' }];
      default: {
        const [fact] = EVENT_FACTS[type as keyof typeof EVENT_FACTS] as readonly FactName[];
        if (fact === undefined) return [{ type } as ModelEvent];
        return orderedDomain(policy, fact).map((value) => ({ type, [fact]: value }) as ModelEvent);
      }
    }
  });
}

/** Two snapshots are the same vertex when every guard would decide the same for them. */
function serialize(snapshot: Snapshot): string {
  const leaf = leafId(snapshot.value);
  const role = leaf === 'role' ? snapshot.context.seen.user : '';
  return `${leaf}|${snapshot.context.phase}|${role}`;
}

function traversal(machine: AuthMachine, policy: Policy) {
  return {
    events: (s: Snapshot) => candidateEvents(machine, policy, s),
    serializeState: (s: Snapshot) => serialize(s),
  };
}

function factsFromSeen(seen: Partial<Facts>): Facts {
  return { ...CANONICAL_FACTS, ...seen };
}

/**
 * Walk each fact back to its canonical value while the path still does what it was
 * chosen for, so that a path reads as "the valid case plus the defects it needs".
 */
function minimise(policy: Policy, facts: Facts, keeps: (run: ReturnType<typeof runModel>) => boolean): Facts {
  let current = facts;
  for (const fact of FACT_NAMES) {
    if (current[fact] === CANONICAL_FACTS[fact]) continue;
    const candidate = { ...current, [fact]: CANONICAL_FACTS[fact] };
    if (keeps(runModel(policy, candidate))) current = candidate;
  }
  return current;
}

function pathId(facts: Facts, reason: Reason): string {
  const diffs = FACT_NAMES.filter((f) => facts[f] !== CANONICAL_FACTS[f]).map((f) => `${f}=${facts[f]}`);
  return diffs.length ? `${reason}:${diffs.join(',')}` : reason;
}

export function allStateIds(machine: AuthMachine): string[] {
  return getStateNodes(machine.root).map((n) => n.id);
}

/** Every state id on the path, with the groups (parents) the leaf states belong to. */
function withAncestors(machine: AuthMachine, trace: string[]): string[] {
  const ids: string[] = [];
  for (const id of trace) {
    for (let node = machine.getStateNodeById(id); node.parent; node = node.parent) ids.push(node.id);
  }
  return ids;
}

export function measureCoverage(policy: Policy, factsList: readonly Facts[]): Coverage {
  const machine = machineFor(policy);
  const states = new Set<string>();
  const transitions = new Set<string>();
  for (const facts of factsList) {
    const run = runModel(policy, facts);
    withAncestors(machine, run.trace).forEach((s) => states.add(s));
    run.transitions.forEach((t) => transitions.add(t));
  }
  return {
    states: { covered: states.size, total: allStateIds(machine).length },
    transitions: { covered: transitions.size, total: transitionIds(machine).size },
  };
}

export function generatePaths(policy: Policy): PathSet {
  const machine = machineFor(policy);
  const ids = transitionIds(machine);
  const chosen = new Map<string, Facts>();
  const covered = new Set<string>();
  const add = (facts: Facts) => {
    const run = runModel(policy, facts);
    const key = pathId(facts, run.reason);
    if (chosen.has(key)) return;
    chosen.set(key, facts);
    run.transitions.forEach((t) => covered.add(t));
  };

  // 1. The shortest path to every terminal vertex.
  const options = traversal(machine, policy);
  for (const path of getShortestPaths(machine, { ...options, toState: (s) => s.status === 'done' })) {
    const facts = factsFromSeen(path.state.context.seen);
    const trace = runModel(policy, facts).trace.join('>');
    add(minimise(policy, facts, (run) => run.trace.join('>') === trace));
  }

  // 2. For each transition still untaken: the shortest prefix to its source, then the event that takes it.
  const prefixes = getShortestPaths(machine, options);
  for (const [definition, id] of ids) {
    if (covered.has(id)) continue;
    search: for (const prefix of prefixes) {
      for (const event of options.events(prefix.state)) {
        if (machine.getTransitionData(prefix.state, event).includes(definition as never)) {
          const facts = factsFromSeen({ ...prefix.state.context.seen, ...factsOf(event) });
          add(minimise(policy, facts, (run) => run.transitions.includes(id)));
          break search;
        }
      }
    }
  }

  // 3. Every value of every fact that the machine can observe, at least once: the
  //    branches that share a transition (cookie vs header, exp within skew) still get a case.
  const domains = factDomains(policy);
  for (const fact of FACT_NAMES) {
    for (const value of domains[fact] as readonly string[]) {
      const facts = [...chosen.values()];
      if (facts.some((f) => f[fact] === value && runModel(policy, f).seen[fact] === value)) continue;
      const base = [CANONICAL_FACTS, ...facts].find((f) => runModel(policy, { ...f, [fact]: value }).seen[fact] === value);
      if (base) add({ ...base, [fact]: value });
    }
  }

  const paths = [...chosen.entries()].map(([id, facts]): ModelPath => {
    const run = runModel(policy, facts);
    return { id, outcome: run.outcome, reason: run.reason, states: run.trace, facts };
  });
  paths.sort((a, b) => outcomeRank(a.outcome) - outcomeRank(b.outcome) || a.id.localeCompare(b.id));
  return { coverage: measureCoverage(policy, paths.map((p) => p.facts)), paths };
}

const OUTCOME_ORDER: readonly Outcome[] = ['accept', 'reject-401', 'reject-403', 'close-1008', 'timeout'];
function outcomeRank(outcome: Outcome): number {
  const rank = OUTCOME_ORDER.indexOf(outcome);
  // A declared status or close code sorts after the profile outcomes.
  return rank < 0 ? OUTCOME_ORDER.length : rank;
}
