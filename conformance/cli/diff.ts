// `ws-auth-conformance diff A.json B.json`: what changed between two runs.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isCompleted, readReport } from '../report/document.ts';
import { diffReports, formatDiff } from '../report/diff.ts';
import { parseFlags } from '../../src/cli/flags.ts';
import { UsageError } from '../../model/errors.ts';
import type { Command } from './command.ts';

const reportFile = (path: string) => (existsSync(path) && statSync(path).isDirectory() ? join(path, 'report.json') : path);

export const command: Command = {
  summary: 'compare two runs: outcomes side by side, cases that changed, exit 1 when B is worse',
  usage: `Usage: ws-auth-conformance diff A.json B.json

Compares two report.json files (or report directories), e.g. two versions of a backend
or two policies: observed outcomes and verdicts side by side, then every case whose
outcome or verdict changed, grouped by the model's reason. Cases are matched by identity:
model paths by path key, fuzz cases by their facts (docs/ci.md).

Exit status: 0 nothing got worse, 1 a case got a worse verdict in B or B has a divergence
of a kind A did not have, 2 a report cannot be read or a run did not complete.
`,
  async run(argv) {
    const { positionals } = parseFlags(argv, {}, 'diff', { positionals: true });
    if (positionals.length !== 2) throw new UsageError(`diff takes two reports, got ${positionals.length}; see "ws-auth-conformance diff --help"`);
    const [fa, fb] = positionals.map(reportFile) as [string, string];
    const [a, b] = [await readReport(fa, 'diff A'), await readReport(fb, 'diff B')];
    for (const [doc, f] of [[a, fa], [b, fb]] as const) {
      if (!isCompleted(doc)) {
        process.stderr.write(`error: ${f} is the report of a run that did not complete (${doc.kind})\n`);
        return 2;
      }
    }
    if (!isCompleted(a) || !isCompleted(b)) return 2;
    const d = diffReports(a, b);
    process.stdout.write(formatDiff(d, fa, fb));
    return d.worse ? 1 : 0;
  },
};
