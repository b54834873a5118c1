// Where a decision log line states each fact. The reference backend's field names are
// the default; `--map reason=auth.reason,outcome=status` points at another backend's.
import { OUTCOMES } from '../../model/reasons.ts';
import { ConfigError } from '../../model/errors.ts';

export const MAPPED_FIELDS = ['outcome', 'reason', 'userState', 'placement', 'requestId'] as const;
export type MappedField = (typeof MAPPED_FIELDS)[number];
export type FieldMapping = Record<MappedField, string>;

/** The reference backend's decision lines (src/handshake/log-decision.ts). */
export const DEFAULT_MAPPING: FieldMapping = {
  outcome: 'outcome',
  reason: 'reason',
  userState: 'userState',
  placement: 'placement',
  requestId: 'requestId',
};

/** `field=path,field=path`: dotted paths into each JSON line, over the default mapping. */
export function parseMapping(spec: string | undefined, base: FieldMapping = DEFAULT_MAPPING): FieldMapping {
  const mapping = { ...base };
  if (spec === undefined) return mapping;
  for (const pair of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const eq = pair.indexOf('=');
    const field = pair.slice(0, eq).trim();
    const path = pair.slice(eq + 1).trim();
    if (eq < 1 || path === '') throw new ConfigError('--map', `"${pair}" is not field=path`, 'write e.g. --map reason=auth.reason,outcome=status');
    if (!(MAPPED_FIELDS as readonly string[]).includes(field)) {
      throw new ConfigError('--map', `unknown field "${field}"`, `map ${MAPPED_FIELDS.join(', ')}`);
    }
    mapping[field as MappedField] = path;
  }
  return mapping;
}

/** What one log line states about a decision; null where it says nothing. */
export interface StatedDecision {
  line: number;
  outcome: string | null;
  reason: string | null;
  userState: string | null;
  placement: string | null;
  requestId: string | null;
}

function at(value: unknown, path: string): unknown {
  let cur = value;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null);

/** HTTP statuses (101: accept, else reject-N) and close codes (close-N) as the model names them. */
export function normaliseOutcome(value: string | null): string | null {
  if (value === null) return null;
  if (/^\d+$/.test(value)) {
    const n = Number(value);
    if (n === 101) return 'accept';
    if (n >= 400 && n < 600) return `reject-${n}`;
    if (n >= 1000 && n < 5000) return `close-${n}`;
    return value;
  }
  const lower = value.toLowerCase();
  return (OUTCOMES as readonly string[]).includes(lower) || /^(reject|close)-\d+$/.test(lower) ? lower : value;
}

/** The decision a parsed line states, or null when it states neither an outcome nor a reason. */
export function statedDecision(parsed: unknown, line: number, mapping: FieldMapping): StatedDecision | null {
  const outcome = normaliseOutcome(text(at(parsed, mapping.outcome)));
  const reason = text(at(parsed, mapping.reason));
  if (outcome === null && reason === null) return null;
  return {
    line,
    outcome,
    reason,
    userState: text(at(parsed, mapping.userState)),
    placement: text(at(parsed, mapping.placement)),
    requestId: text(at(parsed, mapping.requestId)),
  };
}
