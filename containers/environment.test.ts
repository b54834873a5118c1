// The container environment against a real Docker engine: start-up and health, the
// handshake over the network path, per-user stalls through PostgreSQL, revocation
// across containers, clean-up (stop, failure, Ctrl-C, crash + sweep, built image), and
// conformance runs of the engine against the containerised reference backend and mutants.
// One file on purpose: its environments start one after another, not side by side.
// Without Docker: skipped with one loud line locally, failed in CI (CI=true).
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getContainerRuntimeClient } from 'testcontainers';
import type Dockerode from 'dockerode';
import { resolvePolicy, type Policy } from '../model/policy.ts';
import { PROJECT_LABEL, RUN_LABEL, OWNER_LABEL } from './cleanup.ts';
import { containerConfigFromEnv } from './config.ts';
import { probeDocker } from './docker-probe.ts';
import { ContainerEnvironment, type StartedContainerEnvironment } from './environment.ts';
import { holdEnvironment, leftovers, preferLocalImages } from './testing/docker-fixtures.ts';
import { handshake, mintToken } from './testing/wire.ts';
import { runConformance } from '../conformance/engine.ts';
import { startContainerTarget } from '../conformance/targets/container.ts';
import type { Target } from '../conformance/targets/target.ts';

const probe = await probeDocker();
const inCi = process.env.CI === 'true';
if (!probe.ok && !inCi) {
  console.warn(`!!! CONTAINER TESTS SKIPPED: no Docker engine (${probe.reason}); bash containers/ci-docker.sh starts one !!!`);
}

describe.skipIf(!probe.ok && !inCi)('container environment (Docker)', () => {
  let docker: Dockerode;
  // serve's default: the `default` profile without first-message auth (no credential -> 401).
  const policy = resolvePolicy({ placements: { 'first-message': false } });
  let env: StartedContainerEnvironment;

  beforeAll(async () => {
    if (!probe.ok) throw new Error(`CI=true but no Docker engine answers (${probe.reason}); .ci/run must start one (containers/ci-docker.sh)`);
    docker = (await getContainerRuntimeClient()).container.dockerode;
    await preferLocalImages(docker);
    const images = containerConfigFromEnv();
    // One line in CI logs saying the container tests ran, on what.
    console.log(
      `[containers] Docker ${probe.version}: container tests run with ${images.postgres.image} and ` +
        `${images.backend.image ?? 'a backend built from containers/Dockerfile'}`,
    );
    env = await new ContainerEnvironment(images)
      .withPolicy(policy)
      .withLogger((line) => console.log(`[environment] ${line}`))
      .start();
  });

  afterAll(async () => {
    if (!env) return;
    const runId = env.getRunId();
    await env.stop();
    expect(await leftovers(docker, runId)).toEqual([]);
  });

  it('starts PostgreSQL and the backend on one network, healthy, and reports its timings', async () => {
    const health = await fetch(env.getHealthUrl()!);
    expect(health.status).toBe(200);
    const t = env.getTimings();
    expect(t.totalMs).toBeGreaterThan(0);
    expect(t.totalMs).toBeGreaterThanOrEqual(t.postgresMs + t.backendMs);
    // The backend reaches the database by its network alias, as a non-superuser role.
    const inspect = await env.getBackend().getNetworkNames();
    expect(inspect).toContain(env.getRunId());
    const { rows } = await env.getDatabase().query(`SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = 'wsac_backend'`);
    expect(rows).toEqual([{ rolsuper: false, rolbypassrls: false }]);
  });

  it('answers handshakes from users seeded through the host port: 101, 403, 401', async () => {
    const db = env.getDatabase();
    await db.query(`INSERT INTO users (user_id, is_active, roles) VALUES ('alice', true, '{chat}'), ('bob', false, '{chat}')`);
    const secret = env.getSecret();
    expect(await handshake(env.getWsUrl(), await mintToken(secret, policy, 'alice'))).toMatchObject({ status: 101 });
    expect(await handshake(env.getWsUrl(), await mintToken(secret, policy, 'bob'))).toMatchObject({ status: 403 });
    expect(await handshake(env.getWsUrl(), await mintToken(secret, policy, 'nobody'))).toMatchObject({ status: 403 });
    expect(await handshake(env.getWsUrl(), null)).toMatchObject({ status: 401 });
    expect(await handshake(env.getWsUrl(), await mintToken('another-secret', policy, 'alice'))).toMatchObject({ status: 401 });
  });

  it('stalls one user through PostgreSQL while the others answer at once, side by side', async () => {
    const db = env.getDatabase();
    const ids = ['stall-a', 'stall-b', 'free-a', 'free-b'];
    for (const id of ids) await db.query(`INSERT INTO users (user_id, is_active, roles) VALUES ($1, true, '{chat}')`, [id]);
    await env.stallUser('stall-a', 5000);
    await env.stallUser('stall-b', 5000);
    const tokens = await Promise.all(ids.map((id) => mintToken(env.getSecret(), policy, id)));
    // The client waits past the 5 s stall: a backend without a deadline would answer 101.
    const [stallA, stallB, freeA, freeB] = await Promise.all(tokens.map((t) => handshake(env.getWsUrl(), t, { timeoutMs: 20_000 })));
    // A 101 is a decision within the backend's deadline: the stalls held nobody else up.
    for (const free of [freeA!, freeB!]) expect(free.status).toBe(101);
    // The backend never accepts a stalled handshake and releases the socket at its deadline.
    for (const stalled of [stallA!, stallB!]) {
      expect(stalled.status).not.toBe(101);
      expect(stalled.end).toBe('released');
      expect(stalled.ms).toBeGreaterThanOrEqual(policy.handshakeDeadlineMs - 100);
    }
    // Ending the stall makes the user answer again at once.
    await env.unstallUser('stall-a');
    expect(await handshake(env.getWsUrl(), tokens[0]!)).toMatchObject({ status: 101 });
  });

  it('stalls the lookup of a user that does not exist, who stays unknown (403) once the stall ends', async () => {
    await env.stallUser('ghost', 5000);
    const token = await mintToken(env.getSecret(), policy, 'ghost');
    const stalled = await handshake(env.getWsUrl(), token, { timeoutMs: 20_000 });
    expect(stalled).toMatchObject({ end: 'released' });
    expect(stalled.ms).toBeGreaterThanOrEqual(policy.handshakeDeadlineMs - 100);
    await env.unstallUser('ghost');
    expect(await handshake(env.getWsUrl(), token)).toMatchObject({ status: 403 });
  });

  it('closes an open session 1008 when the user is deactivated in the database container', async () => {
    await env.getDatabase().query(`INSERT INTO users (user_id, is_active, roles) VALUES ('carol', true, '{chat}')`);
    const token = await mintToken(env.getSecret(), policy, 'carol');
    const result = await handshake(env.getWsUrl(), token, {
      watchMs: 5000,
      onOpen: () => void env.getDatabase().query(`UPDATE users SET is_active = false WHERE user_id = 'carol'`),
    });
    expect(result).toMatchObject({ status: 101, closeCode: 1008 });
  });

  it("starts a team's image by its own contract: command, environment, port and a log wait", async () => {
    // The reference image stands in for a team's image that reads its secret and database
    // from variables of its own and says it is ready in its log.
    const config = containerConfigFromEnv();
    config.backend = {
      ...config.backend,
      command: ['--secret-env', 'JWT_SECRET', '--db', '{{databaseUrl}}', '--port', '9090', '--policy', '{{policyFile}}'],
      keyArgs: { secret: [], jwks: [] },
      environment: { JWT_SECRET: '{{secret}}' },
      port: 9090,
      healthPath: null,
      wait: { kind: 'log', pattern: '"event":"ready"' },
    };
    const team = await new ContainerEnvironment(config).withPolicy(policy).withSecret('team-secret-of-32-bytes-or-more!!').start();
    try {
      expect(team.getHealthUrl()).toBeNull();
      await team.getDatabase().query(`INSERT INTO users (user_id, is_active, roles) VALUES ('dave', true, '{chat}')`);
      expect(await handshake(team.getWsUrl(), await mintToken('team-secret-of-32-bytes-or-more!!', policy, 'dave'))).toMatchObject({ status: 101 });
    } finally {
      await team.stop();
    }
    expect(await leftovers(docker, team.getRunId())).toEqual([]);
  });

  it('removes what it started when the start fails half-way', async () => {
    const config = containerConfigFromEnv();
    config.backend.startupTimeoutMs = 5000;
    config.backend.wait = { kind: 'http', path: '/no-such-endpoint', status: 200 };
    // This process's resources only: other runs on the machine may come and go meanwhile.
    const ours = JSON.stringify({ label: [`${PROJECT_LABEL}=true`, `${OWNER_LABEL}=${hostname()}:${process.pid}`] });
    const before = await docker.listContainers({ all: true, filters: ours });
    const networksBefore = await docker.listNetworks({ filters: ours });
    await expect(new ContainerEnvironment(config).withPolicy(policy).start()).rejects.toThrow();
    const after = await docker.listContainers({ all: true, filters: ours });
    expect(after.map((c) => c.Id).sort()).toEqual(before.map((c) => c.Id).sort());
    expect((await docker.listNetworks({ filters: ours })).length).toBe(networksBefore.length);
  });

  it('removes everything on Ctrl-C (SIGINT) of the process that started it', async () => {
    const fixture = holdEnvironment();
    const runId = await fixture.runId;
    expect((await leftovers(docker, runId)).length).toBeGreaterThan(0);
    fixture.child.kill('SIGINT');
    expect(await fixture.exited).toBe(130);
    expect(fixture.stderr()).toContain('removing 1 container environment');
    expect(await leftovers(docker, runId)).toEqual([]);
  });

  it('sweeps the leftovers of a crashed run (SIGKILL) at the next start', async () => {
    const fixture = holdEnvironment();
    const runId = await fixture.runId;
    fixture.child.kill('SIGKILL');
    await fixture.exited;
    const orphans = await leftovers(docker, runId);
    expect(orphans.length).toBe(3); // two containers and a network; nothing could clean up
    const containers = await docker.listContainers({ all: true, filters: JSON.stringify({ label: [`${RUN_LABEL}=${runId}`] }) });
    expect(containers[0]?.Labels[OWNER_LABEL]).toMatch(/:\d+$/);
    const next = await new ContainerEnvironment().withPolicy(policy).start();
    try {
      expect(await leftovers(docker, runId)).toEqual([]);
    } finally {
      await next.stop();
    }
  });
});

describe.skipIf(!probe.ok && !inCi)('container environment: image built for the run (Docker)', () => {
  it('builds containers/Dockerfile, serves from it, and removes the image at stop', async (ctx) => {
    if (!probe.ok) throw new Error(`CI=true but no Docker engine answers (${probe.reason})`);
    const docker = (await getContainerRuntimeClient()).container.dockerode;
    await preferLocalImages(docker);
    const config = containerConfigFromEnv();
    // Offline here: FROM the local node base, with node_modules staged by the host's npm.
    if (!config.backend.build.buildArgs.NODE_IMAGE) {
      ctx.skip();
      return;
    }
    config.backend.image = null;
    config.backend.build.stageNodeModules = true;
    const env = await new ContainerEnvironment(config)
      .withPolicy(resolvePolicy())
      .withLogger((line) => console.log(`[environment] ${line}`))
      .start();
    const runId = env.getRunId();
    try {
      expect(env.getTimings().imageBuildMs).toBeGreaterThan(0);
      expect((await fetch(env.getHealthUrl()!)).status).toBe(200);
      // The image and the Dockerfile's intermediate (deps) stage.
      expect(await docker.listImages({ filters: JSON.stringify({ label: [`${RUN_LABEL}=${runId}`] }) })).toHaveLength(2);
    } finally {
      await env.stop();
    }
    expect(await leftovers(docker, runId)).toEqual([]);
  }, 240_000);
});

describe.skipIf(!probe.ok && !inCi)('conformance runs against containers (Docker)', () => {
  // serve's default contract: no first-message auth, so a request without a credential is a 401.
  const policy = resolvePolicy({ placements: { 'first-message': false } });
  let docker: Dockerode;

  beforeAll(async () => {
    if (!probe.ok) throw new Error(`CI=true but no Docker engine answers (${probe.reason})`);
    docker = (await getContainerRuntimeClient()).container.dockerode;
    await preferLocalImages(docker);
  });

  /** One engine run against a fresh container environment; returns the result and what the run left behind. */
  async function run(mutant: string | null, runs: number, runPolicy: Policy = policy) {
    let target: (Target & { environment: StartedContainerEnvironment }) | undefined;
    const result = await runConformance({
      target: async () => {
        target = (await startContainerTarget({ policy: runPolicy, mutant, log: (line) => console.log(`[container] ${line}`) })) as typeof target;
        return target!;
      },
      seed: 20261122,
      runs,
      counterexamplesDir: null,
    });
    const runId = target!.environment.getRunId();
    return { result, left: await leftovers(docker, runId) };
  }

  it('the containerised reference backend passes, and its stall cases time out as predicted', async () => {
    const { result, left } = await run(null, 100);
    expect(left).toEqual([]);
    if (result.kind !== 'completed') throw new Error(`run did not complete: ${JSON.stringify(result)}`);
    expect(result.target.kind).toBe('container');
    expect(result.divergences.map((d) => `${d.key}: ${d.expected} vs ${d.observed}`)).toEqual([]);
    expect(result.passed).toBe(true);
    expect(result.summary.notCovered).toBe(0);
    // The stall cases ran (through PostgreSQL row-level security) and produced timeouts.
    const stalled = result.cases.filter((c) => c.facts.latency === 'stalled' && c.prediction.outcome === 'timeout');
    expect(stalled.length).toBeGreaterThan(0);
    for (const c of stalled) expect(c.observed).toBe('timeout');
    // Each revocation while connected (deactivate, delete, remove the role: SQL in the database container) closed the socket.
    const revoked = result.cases.filter((c) => c.prediction.reason === 'session-user-revoked');
    expect(new Set(revoked.map((c) => c.facts.session))).toEqual(new Set(['user-revoked', 'user-deleted', 'user-role-removed']));
    for (const c of revoked) expect(c.observed, c.key).toBe('close-1008');
  }, 180_000);

  it('passes with asymmetric keys too (ES256: the public JWKS is copied into the container)', async () => {
    const { result, left } = await run(null, 0, resolvePolicy({ algorithms: ['ES256'], placements: { 'first-message': false } }));
    expect(left).toEqual([]);
    if (result.kind !== 'completed') throw new Error(`run did not complete: ${JSON.stringify(result)}`);
    expect(result.divergences.map((d) => `${d.key}: ${d.expected} vs ${d.observed}`)).toEqual([]);
    expect(result.passed).toBe(true);
  }, 180_000);

  it('a containerised mutant that fails open under a stalled lookup diverges (FAILED-SECURITY on stall cases)', async () => {
    const { result, left } = await run('slow-auth-fail-open', 30);
    expect(left).toEqual([]);
    if (result.kind !== 'completed') throw new Error(`run did not complete: ${JSON.stringify(result)}`);
    expect(result.passed).toBe(false);
    expect(result.divergences.length).toBeGreaterThan(0);
    for (const d of result.divergences) {
      expect(d.handshake).toBe('FAILED-SECURITY');
      expect(d.hint?.id).toBe('slow-auth-fail-open');
    }
  }, 180_000);

  it('a containerised mutant that waits on the stalled database forever diverges', async () => {
    const { result, left } = await run('no-deadline', 0);
    expect(left).toEqual([]);
    if (result.kind !== 'completed') throw new Error(`run did not complete: ${JSON.stringify(result)}`);
    expect(result.passed).toBe(false);
    expect(result.divergences.map((d) => d.hint?.id)).toContain('no-deadline');
  }, 180_000);

  it('a containerised mutant that accepts alg "none" diverges', async () => {
    const { result, left } = await run('alg-none', 0);
    expect(left).toEqual([]);
    if (result.kind !== 'completed') throw new Error(`run did not complete: ${JSON.stringify(result)}`);
    expect(result.passed).toBe(false);
    expect(result.divergences.some((d) => d.handshake === 'FAILED-SECURITY' && d.hint?.id === 'alg-none')).toBe(true);
  }, 180_000);
});
