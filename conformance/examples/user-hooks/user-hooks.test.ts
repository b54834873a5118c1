// Users behind a hook: the app of server.ts keeps its users in memory, reachable only
// through its admin API. The tool seeds a fresh user per case and revokes users while
// connected through that API, once as an HTTP hook and once through the app's admin
// command line as a command hook; every case is judged, none diverges, and each way of
// revoking (deactivate, delete, remove the role) closes the open socket with 1008.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTool, startExample, type ExampleApp, type Report, type ReportCase } from '../harness.ts';

/** What policy.json declares weaker than the default profile, each listed once. */
const DECLARED = ['kid-ignored', 'typ-unchecked', 'exp-optional', 'no-size-limit'];
const REVOCATION_SESSIONS = ['user-revoked', 'user-deleted', 'user-role-removed'];

type HookReport = Omit<Report, 'cases' | 'summary'> & {
  cases: Array<ReportCase & { status: string }>;
  summary: { declared?: Array<{ id: string }>; notCoveredFacts: Array<{ fact: string; value: string }> };
};

let app: ExampleApp;
const saved = { ...process.env };

beforeAll(async () => {
  // The app and the tool (started by runTool with this environment) share the admin token.
  const token = randomBytes(16).toString('hex');
  process.env.WSAC_ADMIN_TOKEN = token;
  process.env.WSAC_ADMIN_AUTHORIZATION = `Bearer ${token}`;
  app = await startExample('user-hooks');
  process.env.WSAC_ADMIN_URL = `${app.url.replace(/^ws/, 'http').replace(/\/ws$/, '')}/admin/users`;
});

afterAll(() => {
  app?.stop();
  process.env = saved;
});

async function checkRun(config: string, seed: number): Promise<void> {
  const { report: raw, output } = await runTool('user-hooks', app, seed, 60, join(import.meta.dirname, config));
  const report = raw as unknown as HookReport;
  expect(report.kind, output).toBe('completed');
  expect(report.cases.filter((c) => c.divergent).map((c) => `${c.key}: ${c.observed}`), output).toEqual([]);
  expect(report.exitCode, output).toBe(0);
  // A hook cannot stall the app's lookup; everything else is exercised.
  expect(report.summary.notCoveredFacts.map((n) => `${n.fact}=${n.value}`), output).toEqual(['latency=stalled']);
  for (const session of REVOCATION_SESSIONS) {
    const revoked = report.cases.filter((c) => c.facts.session === session && c.status === 'judged' && c.expected.reason === 'session-user-revoked');
    expect(revoked.length, `${session}\n${output}`).toBeGreaterThan(0);
    for (const c of revoked) expect(c.observed, c.key).toBe('close-1008');
  }
  // Users the cases needed inactive or without the role were created so by the hook: refused 403.
  for (const reason of ['user-inactive', 'user-lacks-role', 'user-unknown']) {
    expect(report.cases.some((c) => c.expected.reason === reason && c.observed === 'reject-403'), reason).toBe(true);
  }
  expect((report.summary.declared ?? []).map((d) => d.id).sort()).toEqual([...DECLARED].sort());
}

describe('example: users behind a hook', () => {
  it('an HTTP hook (the app\'s admin API) seeds and revokes users: every case judged, no divergence', () => checkRun('ws-auth-conformance.config.ts', 31), 240_000);
  it('a command hook (the app\'s admin command line) does the same', () => checkRun('command.config.ts', 32), 240_000);
});
