// `ws-auth-conformance check-logs FILE|-`: a backend's decision log checked against the
// model, line by line, without sending a request.
import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { LOG_RULES, type LogViolation } from '../logs/check.ts';
import { DEFAULT_MAPPING, MAPPED_FIELDS, parseMapping } from '../logs/mapping.ts';
import { checkLogStream } from '../logs/stream.ts';
import { parseFlags } from '../../src/cli/flags.ts';
import { UsageError } from '../../model/errors.ts';
import type { Command } from './command.ts';
import { policyFromFlags } from './paths.ts';

export const command: Command = {
  summary: 'check a backend\'s JSON-lines decision log against the model (file or stdin, streaming)',
  usage: `Usage: ws-auth-conformance check-logs FILE|- [--policy FILE] [--profile NAME] [--map F=PATH,...] [--json]

Reads one JSON object per line (FILE, or stdin with "-": it can sit behind
"tail -f app.log |"), recovers what each decision line states (outcome, reason, user
state, placement) and reports, as soon as the line arrives, every decision the model
forbids for those facts, with its line number:

${Object.entries(LOG_RULES).map(([id, text]) => `  ${id.padEnd(24)} ${text}`).join('\n')}

Lines stating neither an outcome nor a reason are not decisions and are skipped; lines
that are not JSON objects are reported and skipped. The default field names are the
reference backend's (${MAPPED_FIELDS.map((f) => `${f}=${DEFAULT_MAPPING[f]}`).join(', ')});
outcomes may be the model's names or 101/401/403/1008. See docs/log-conformance.md.

Options:
  --policy FILE   the backend's auth contract (JSON; fields over its profile)
  --profile NAME  default | rfc-strict (when no policy file is given)
  --map SPEC      where the facts are, as field=dotted.path pairs, e.g.
                  --map reason=auth.reason,outcome=status,userState=user.state
  --json          print violations and unreadable lines as JSON lines, then a summary line

Exit status: 0 no violation, 1 a violation, 2 usage or setup error (no such file, a bad
--map, or a non-empty log in which no line states a decision: check --map).
`,
  async run(argv) {
    const { values, positionals } = parseFlags(
      argv,
      { policy: { type: 'string' }, profile: { type: 'string' }, map: { type: 'string' }, json: { type: 'boolean' } },
      'check-logs',
      { positionals: true },
    );
    if (positionals.length !== 1) throw new UsageError('give one log file, or - for stdin; see "ws-auth-conformance check-logs --help"');
    const file = positionals[0]!;
    const mapping = parseMapping(values.map);
    const policy = await policyFromFlags(values.policy, values.profile);
    if (file !== '-') await access(file).catch(() => Promise.reject(new UsageError(`cannot read log file "${file}"`)));
    const input = file === '-' ? process.stdin : createReadStream(file, 'utf8');
    const out = (s: string) => process.stdout.write(`${s}\n`);
    const summary = await checkLogStream(input, policy, mapping, {
      violation: (v: LogViolation) => out(values.json ? JSON.stringify({ type: 'violation', ...v }) : `line ${v.line}: ${v.rule}: ${v.message}${v.requestId ? ` [${v.requestId}]` : ''}`),
      unreadable: (line, problem) => out(values.json ? JSON.stringify({ type: 'unreadable', line, problem }) : `line ${line}: unreadable: ${problem}`),
    });
    const rules = Object.entries(summary.byRule).map(([r, n]) => `${r} ${n}`).join(', ');
    if (values.json) out(JSON.stringify({ type: 'summary', profile: policy.profile, ...summary }));
    else out(`check-logs: ${summary.lines} lines, ${summary.decisions} decisions, ${summary.violations} violations${rules ? ` (${rules})` : ''}, ${summary.unreadable} unreadable (profile ${policy.profile})`);
    if (summary.decisions === 0 && summary.lines > 0) {
      process.stderr.write(`error: no line states an outcome or a reason under the mapping ${MAPPED_FIELDS.map((f) => `${f}=${mapping[f]}`).join(',')}; check --map\n`);
      return 2;
    }
    return summary.violations > 0 ? 1 : 0;
  },
};
