// The oracle: facts of a case -> predicted outcome, reason and state trace, computed
// by running the machine (never by a second, hand-written decision function).
import { initialTransition, transition, type StateValue } from 'xstate';
import { getStateNodes } from 'xstate/graph';
import { eventsFor, type ModelEvent } from './events.ts';
import type { Facts } from './facts.ts';
import { machineFor, type AuthMachine, type ModelContext, type TerminalMeta } from './machine.ts';
import type { Policy } from './policy.ts';
import type { Outcome, Reason } from './reasons.ts';

export interface Prediction {
  outcome: Outcome;
  reason: Reason;
  /** Ids of the states visited, from the origin check to the terminal state. */
  trace: string[];
}

/** Leaf state id of a snapshot value: state keys are their ids, so the innermost key is the id. */
export function leafId(value: StateValue): string {
  if (typeof value === 'string') return value;
  const [child] = Object.values(value);
  if (child === undefined) throw new Error('state value without an active child');
  return leafId(child);
}

function terminalMeta(machine: AuthMachine, stateId: string): TerminalMeta {
  const meta = machine.getStateNodeById(stateId).meta as TerminalMeta | undefined;
  if (!meta) throw new Error(`state "${stateId}" is not terminal`);
  return meta;
}

export interface Run extends Prediction {
  /** What the machine learnt on the way: the facts a path needs, nothing more. */
  seen: ModelContext['seen'];
  /** Transitions taken, as ids from `transitionIds` (for coverage). */
  transitions: string[];
}

const runs = new WeakMap<AuthMachine, Map<string, Run>>();

/**
 * Runs the machine over the events of a case and records everything coverage needs.
 * The machine is pure, so runs are memoised by the events they consume (noise is not an
 * input); results are frozen because they are shared.
 */
export function runModel(policy: Policy, facts: Facts): Run {
  const machine = machineFor(policy);
  const events = eventsFor(facts);
  const key = JSON.stringify(events);
  let memo = runs.get(machine);
  if (!memo) runs.set(machine, (memo = new Map()));
  let run = memo.get(key);
  if (!run) {
    run = deepFreeze(execute(machine, events));
    memo.set(key, run);
  }
  return run;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

function execute(machine: AuthMachine, events: ModelEvent[]): Run {
  const ids = transitionIds(machine);
  let [snapshot] = initialTransition(machine);
  const trace = [leafId(snapshot.value)];
  const transitions: string[] = [];
  for (const event of events) {
    if (snapshot.status === 'done') break;
    const taken = machine.getTransitionData(snapshot, event);
    // An event the current state does not handle reveals nothing new: skip it.
    if (taken.length === 0) continue;
    for (const t of taken) transitions.push(ids.get(t) ?? '?');
    [snapshot] = transition(machine, snapshot, event);
    trace.push(leafId(snapshot.value));
  }
  if (snapshot.status !== 'done') {
    throw new Error(`model defect: facts ended in non-terminal state "${trace.at(-1)}"`);
  }
  const { outcome, reason } = terminalMeta(machine, trace.at(-1)!);
  return { outcome, reason, trace, seen: { ...snapshot.context.seen }, transitions };
}

export function predict(policy: Policy, facts: Facts): Prediction {
  const { outcome, reason, trace } = runModel(policy, facts);
  return { outcome, reason, trace: [...trace] };
}

const idCache = new WeakMap<AuthMachine, Map<unknown, string>>();

/** Every transition candidate of the machine, named `<state>:<EVENT>:<index>`. */
export function transitionIds(machine: AuthMachine): Map<unknown, string> {
  let ids = idCache.get(machine);
  if (!ids) {
    ids = new Map();
    for (const node of getStateNodes(machine.root)) {
      for (const [eventType, candidates] of node.transitions) {
        candidates.forEach((t, i) => ids!.set(t, `${node.id}:${eventType}:${i}`));
      }
    }
    idCache.set(machine, ids);
  }
  return ids;
}
