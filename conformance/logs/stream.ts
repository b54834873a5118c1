// Decision logs line by line: a file, or stdin behind `tail -f`. Each line is checked
// as it arrives and its violations reported at once; a line that is not a JSON object
// is reported and skipped, never fatal.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Policy } from '../../model/policy.ts';
import { checkDecision, type LogRule, type LogViolation } from './check.ts';
import { statedDecision, type FieldMapping, type StatedDecision } from './mapping.ts';

export interface LogCheckSummary {
  lines: number;
  /** Lines stating an outcome or a reason. */
  decisions: number;
  /** Lines that are not JSON objects. */
  unreadable: number;
  violations: number;
  byRule: Partial<Record<LogRule, number>>;
}

export interface LogListener {
  violation(v: LogViolation): void;
  unreadable(line: number, problem: string): void;
}

/** Calls `each` for every non-empty line with its parsed JSON object, or the reason it has none. */
async function eachLine(input: NodeJS.ReadableStream, each: (line: number, parsed: object | null, problem: string) => void): Promise<number> {
  let n = 0;
  for await (const text of createInterface({ input, crlfDelay: Infinity })) {
    n += 1;
    if (text.trim() === '') continue;
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) each(n, parsed, '');
      else each(n, null, 'not a JSON object');
    } catch (error) {
      each(n, null, `not JSON (${(error as Error).message})`);
    }
  }
  return n;
}

export async function checkLogStream(input: NodeJS.ReadableStream, policy: Policy, mapping: FieldMapping, listener: LogListener): Promise<LogCheckSummary> {
  const summary: LogCheckSummary = { lines: 0, decisions: 0, unreadable: 0, violations: 0, byRule: {} };
  summary.lines = await eachLine(input, (line, parsed, problem) => {
    if (parsed === null) {
      summary.unreadable += 1;
      listener.unreadable(line, problem);
      return;
    }
    const decision = statedDecision(parsed, line, mapping);
    if (!decision) return;
    summary.decisions += 1;
    for (const v of checkDecision(decision, policy)) {
      summary.violations += 1;
      summary.byRule[v.rule] = (summary.byRule[v.rule] ?? 0) + 1;
      listener.violation(v);
    }
  });
  return summary;
}

/** Every decision line of a log file that carries a request id, by request id, in order. */
export async function readDecisionsByRequest(file: string, mapping: FieldMapping): Promise<Map<string, StatedDecision[]>> {
  const byRequest = new Map<string, StatedDecision[]>();
  await eachLine(createReadStream(file, 'utf8'), (line, parsed) => {
    const d = parsed && statedDecision(parsed, line, mapping);
    if (!d || d.requestId === null) return;
    byRequest.set(d.requestId, [...(byRequest.get(d.requestId) ?? []), d]);
  });
  return byRequest;
}
