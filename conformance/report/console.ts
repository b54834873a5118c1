// Console reporter: a progress line on stderr while cases run (one updating line on a
// terminal, a line per quarter otherwise), the summary on stdout at the end.
import type { Reporter } from './events.ts';
import { formatSummary } from './format.ts';

export function consoleReporter(options: { quiet?: boolean; out?: NodeJS.WritableStream; err?: NodeJS.WriteStream | NodeJS.WritableStream } = {}): Reporter {
  const out = options.out ?? process.stdout;
  const err = options.err ?? process.stderr;
  const tty = 'isTTY' in err && Boolean(err.isTTY);
  let started = 0;
  let divergent = 0;
  let lastQuarter = 0;
  const write = (s: string) => {
    if (!options.quiet) err.write(s);
  };
  return {
    onEvent(e) {
      switch (e.type) {
        case 'run-started':
          started = performance.now();
          write(`ws-auth-conformance: ${e.target}, seed ${e.seed}, profile ${e.profile}\n`);
          break;
        case 'preflight':
          if (e.preflight.canary) write(`preflight: reachable, ${e.preflight.health?.ok === false ? 'unhealthy' : 'healthy'}, canary ${e.preflight.canary.ok ? 'ok' : 'FAILED'}\n`);
          break;
        case 'cases-planned':
          write(`cases: ${e.paths} model paths + ${e.noiseVariants} of them with a bypass header + ${e.edge} edge cases + ${e.fuzz} fuzz + ${e.twins} relation twins${e.notCovered ? `, ${e.notCovered} not covered` : ''}\n`);
          break;
        case 'case-finished': {
          if (e.result.divergent) divergent += 1;
          const rate = e.done / Math.max(0.001, (performance.now() - started) / 1000);
          const line = `[${String(e.done).padStart(String(e.total).length)}/${e.total}] ${rate.toFixed(0)} cases/s, ${divergent} divergent`;
          if (tty) write(`\r${line}${e.done === e.total ? '\n' : ''}`);
          else {
            const quarter = Math.floor((e.done / e.total) * 4);
            if (quarter > lastQuarter || e.done === e.total) {
              lastQuarter = quarter;
              write(`${line}\n`);
            }
          }
          break;
        }
        case 'rotation-step':
          write(`${tty ? '\n' : ''}key rotation, ${e.key}${e.waitMs >= 1000 ? ` (after ${Math.round(e.waitMs / 1000)} s, the policy's jwks timers)` : ''}: ${e.text}\n`);
          break;
        case 'confirm-started':
          write(`confirming ${e.count} divergent ${e.count === 1 ? 'case' : 'cases'}: each replayed ${e.attempts}x on its own\n`);
          break;
        case 'confirmed':
          if (e.status !== 'deterministic') write(`  ${e.key}: ${e.status === 'flaky' ? `flaky, reproduced ${e.reproduced} of ${e.attempts}` : 'not reproduced (not a divergence)'}\n`);
          break;
        case 'explain-started':
          write(`explaining ${e.count} divergent ${e.count === 1 ? 'case' : 'cases'}: ${e.replays} replays with one fact set back to canonical\n`);
          break;
        case 'shrink-step':
          write(`shrinking ${e.key} (step ${e.steps}): ${e.description}\n`);
          break;
        case 'run-finished':
          out.write(formatSummary(e.result));
          break;
        default:
          break;
      }
    },
  };
}
