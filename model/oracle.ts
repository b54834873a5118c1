// The oracle: facts of a case -> predicted outcome, reason and state trace, computed
// by running the machine (never by a second, hand-written decision function).
import { initialTransition, transition, type StateValue } from 'xstate';
import { eventsFor } from './events.ts';
import type { Facts } from './facts.ts';
import { machineFor, type AuthMachine, type TerminalMeta } from './machine.ts';
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

export function terminalMeta(machine: AuthMachine, stateId: string): TerminalMeta {
  const meta = machine.getStateNodeById(stateId).meta as TerminalMeta | undefined;
  if (!meta) throw new Error(`state "${stateId}" is not terminal`);
  return meta;
}

export function predict(policy: Policy, facts: Facts): Prediction {
  const machine = machineFor(policy);
  let [snapshot] = initialTransition(machine);
  const trace = [leafId(snapshot.value)];
  for (const event of eventsFor(facts)) {
    if (snapshot.status === 'done') break;
    // An event the current state does not handle reveals nothing new: skip it.
    if (machine.getTransitionData(snapshot, event).length === 0) continue;
    [snapshot] = transition(machine, snapshot, event);
    trace.push(leafId(snapshot.value));
  }
  if (snapshot.status !== 'done') {
    throw new Error(`model defect: facts ended in non-terminal state "${trace.at(-1)}"`);
  }
  const { outcome, reason } = terminalMeta(machine, trace.at(-1)!);
  return { outcome, reason, trace };
}
