// A neutral view of the machine for renderers: groups of stages, terminals grouped by
// outcome, and edges with parallel transitions merged into one labelled edge.
import { getStateNodes } from 'xstate/graph';
import type { AuthMachine, TerminalMeta } from '../machine.ts';
import { STATUS_CODES } from 'node:http';
import { OUTCOMES, closeCode, rejectStatus, type Outcome } from '../reasons.ts';

export interface DiagramNode {
  id: string;
  label: string;
}

export interface Diagram {
  initial: string;
  groups: Array<{ id: string; label: string; nodes: DiagramNode[] }>;
  outcomes: Array<{ outcome: Outcome; label: string; nodes: DiagramNode[] }>;
  edges: Array<{ from: string; to: string; label: string }>;
}

export const OUTCOME_LABELS: Record<(typeof OUTCOMES)[number], string> = {
  accept: 'accept (101, stays open)',
  'reject-401': '401 Unauthorized',
  'reject-403': '403 Forbidden',
  'close-1008': '101 then close 1008',
  timeout: 'timeout (no answer, socket closed at the deadline)',
};

/** The profile outcome an outcome is drawn like: any refusal like a 401, any close like a 1008. */
export function outcomeFamily(outcome: Outcome): (typeof OUTCOMES)[number] {
  if ((OUTCOMES as readonly string[]).includes(outcome)) return outcome as (typeof OUTCOMES)[number];
  return rejectStatus(outcome) !== null ? 'reject-401' : 'close-1008';
}

export function outcomeLabel(outcome: Outcome): string {
  if ((OUTCOMES as readonly string[]).includes(outcome)) return OUTCOME_LABELS[outcome as (typeof OUTCOMES)[number]];
  const status = rejectStatus(outcome);
  return status !== null ? `${status} ${STATUS_CODES[status] ?? ''}`.trim() : `101 then close ${closeCode(outcome)}`;
}

export function diagramOf(machine: AuthMachine): Diagram {
  const nodes = getStateNodes(machine.root);
  const groups = nodes
    .filter((n) => n.parent === machine.root && n.type === 'compound')
    .map((g) => ({
      id: g.id,
      label: g.description ?? g.key,
      nodes: Object.values(g.states).map((s) => ({ id: s.id, label: s.description ?? s.key })),
    }))
    .filter((g) => g.nodes.length > 0);
  const finals = nodes.filter((n) => n.type === 'final');
  // The profile outcomes first, then any status or close code the policy declares.
  const declared = finals.map((f) => (f.meta as TerminalMeta).outcome).filter((o) => !(OUTCOMES as readonly string[]).includes(o));
  const outcomes = [...OUTCOMES, ...[...new Set(declared)].sort()].map((outcome) => ({
    outcome,
    label: outcomeLabel(outcome),
    nodes: finals.filter((f) => (f.meta as TerminalMeta).outcome === outcome).map((f) => ({ id: f.id, label: f.id })),
  })).filter((o) => o.nodes.length > 0);

  const merged = new Map<string, { from: string; to: string; labels: string[] }>();
  for (const node of nodes) {
    for (const candidates of node.transitions.values()) {
      for (const t of candidates) {
        for (const target of t.target ?? []) {
          const key = `${node.id}->${target.id}`;
          const edge = merged.get(key) ?? { from: node.id, to: target.id, labels: [] };
          const label = t.description ?? t.eventType;
          if (!edge.labels.includes(label)) edge.labels.push(label);
          merged.set(key, edge);
        }
      }
    }
  }
  const edges = [...merged.values()].map(({ from, to, labels }) => ({ from, to, label: joinLabels(labels) }));
  const initial = groups[0]?.nodes[0]?.id;
  if (!initial) throw new Error('machine has no stages');
  return { initial, groups, outcomes, edges };
}

/** "after accept: a" + "after accept: b" -> "after accept: a / b". */
function joinLabels(labels: string[]): string {
  const prefix = 'after accept: ';
  if (labels.length > 1 && labels.every((l) => l.startsWith(prefix))) {
    return prefix + labels.map((l) => l.slice(prefix.length)).join(' / ');
  }
  return labels.join(' / ');
}
