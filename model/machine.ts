// The handshake-auth lifecycle as an XState v5 machine, built from the stage table
// for one policy. Guards read the facts carried by events and the policy; the
// machine has no timers, so it can be run and traversed as a pure function.
import { and, assign, setup } from 'xstate';
import { factsOf, type FactMap, type ModelEvent } from './events.ts';
import { placementEnabled } from './facts.ts';
import { policyDigest, type Policy } from './policy.ts';
import { isReason, type Outcome, type Reason } from './reasons.ts';
import { GROUPS, type GroupId } from './stage-ids.ts';
import { hasHandshakeCredential, stagesFor, type Branch, type Condition, type Stage } from './stages.ts';

export interface ModelContext {
  /** `first-message` once the credential arrives after the upgrade. */
  phase: 'handshake' | 'first-message';
  /** Facts revealed so far; test paths read their representative facts from here. */
  seen: Partial<FactMap>;
}

export interface TerminalMeta {
  reason: Reason;
  outcome: Outcome;
}

export function outcomeOf(policy: Policy, reason: Reason): Outcome {
  return reason === 'client-closed' ? 'accept' : policy.outcomes[reason];
}

/** Where a credential failing after the upgrade goes: the socket is closed with 1008. */
const AFTER_ACCEPT_TARGET = {
  credential: 'auth-message-invalid',
  dependency: 'auth-dependency-timeout',
} as const satisfies Record<NonNullable<Stage['afterAccept']>, Reason>;

export function createAuthMachine(policy: Policy) {
  const stages = stagesFor(policy);
  const firstMessage = policy.placements['first-message'];
  const handshakeCredential = hasHandshakeCredential(policy);
  const terminals = new Set<Reason>();

  const candidate = (stage: Stage, branch: Branch) => {
    const transitions: Array<Record<string, unknown>> = [];
    const guard = branch.placementDisabled
      ? ('placementUnusable' as const)
      : branch.when
        ? { type: 'factIs' as const, params: branch.when }
        : undefined;
    const rejects = isReason(branch.to);
    if (rejects && firstMessage && stage.afterAccept) {
      const to = AFTER_ACCEPT_TARGET[stage.afterAccept];
      terminals.add(to);
      transitions.push({
        guard: guard ? and([guard, 'inFirstMessagePhase'] as never) : 'inFirstMessagePhase',
        target: `#${to}`,
        description: `after accept: ${branch.label}`,
        actions: 'record',
      });
    }
    // With first-message auth only, a credential check never refuses the upgrade itself.
    if (rejects && stage.afterAccept && !handshakeCredential) return transitions;
    if (rejects) terminals.add(branch.to as Reason);
    transitions.push({
      ...(guard ? { guard } : {}),
      target: `#${branch.to}`,
      description: branch.label,
      actions: stage.id === 'awaiting-auth-message' ? ['record', 'enterFirstMessagePhase'] : 'record',
    });
    return transitions;
  };

  const stateOf = (stage: Stage) => ({
    id: stage.id,
    description: stage.title,
    on: {
      [stage.event]: stage.branches.flatMap((b) => candidate(stage, b)),
      ...Object.fromEntries(
        (stage.alsoOn ?? []).map((extra) => {
          terminals.add(extra.to as Reason);
          return [extra.event, { target: `#${extra.to}`, description: extra.label, actions: 'record' }];
        }),
      ),
    },
  });

  const groups = Object.fromEntries(
    (Object.keys(GROUPS) as GroupId[]).flatMap((group) => {
      const members = stages.filter((s) => s.group === group);
      // A stateless target has no user directory: its group has no stage.
      if (members.length === 0) return [];
      return [[
        group,
        {
          description: GROUPS[group],
          initial: members[0]!.id,
          states: Object.fromEntries(members.map((s) => [s.id, stateOf(s)])),
        },
      ]];
    }),
  );
  const finals = Object.fromEntries(
    [...terminals].map((reason) => [
      reason,
      { id: reason, type: 'final' as const, meta: { reason, outcome: outcomeOf(policy, reason) } satisfies TerminalMeta },
    ]),
  );

  return setup({
    types: {
      context: {} as ModelContext,
      events: {} as ModelEvent,
    },
    guards: {
      factIs: ({ event }, params: Condition) =>
        Object.entries(params).every(([fact, values]) => values!.includes(event[fact as keyof FactMap] as string)),
      placementUnusable: ({ event }) => event.placement === undefined || !placementEnabled(policy, event.placement),
      inFirstMessagePhase: ({ context }) => context.phase === 'first-message',
    },
    actions: {
      record: assign({ seen: ({ context, event }) => ({ ...context.seen, ...factsOf(event) }) }),
      enterFirstMessagePhase: assign({ phase: 'first-message' as const }),
    },
  }).createMachine({
    id: `ws-auth-${policyDigest(policy)}`,
    initial: 'handshake',
    context: { phase: 'handshake', seen: {} },
    // The config is assembled from the stage table, so XState cannot check it statically;
    // the model's tests check every state and transition instead.
    states: { ...groups, ...finals } as never,
  });
}

export type AuthMachine = ReturnType<typeof createAuthMachine>;

const byDigest = new Map<string, AuthMachine>();
const byObject = new WeakMap<Policy, AuthMachine>();

/**
 * One machine per distinct policy: building it is cheap but not free, and a run asks
 * thousands of times. Policies are treated as immutable once resolved.
 */
export function machineFor(policy: Policy): AuthMachine {
  let machine = byObject.get(policy);
  if (machine) return machine;
  const key = policyDigest(policy);
  machine = byDigest.get(key) ?? createAuthMachine(policy);
  byDigest.set(key, machine);
  byObject.set(policy, machine);
  return machine;
}
