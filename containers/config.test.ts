// Container settings without Docker: defaults, WSAC_* variables, config-file overrides
// and the errors a bad container target config gets.
import { describe, expect, it } from 'vitest';
import { containerSettings } from '../conformance/targets/container.ts';
import { containerConfigFromEnv, defaultContainerConfig, fillPlaceholders } from './config.ts';
import { stallInstallSql } from './stall-sql.ts';

describe('container settings', () => {
  it('default to the official postgres image and a backend built from containers/Dockerfile', () => {
    const c = defaultContainerConfig();
    expect(c.postgres.image).toBe('postgres:16-alpine');
    expect(c.backend.image).toBeNull();
    expect(c.backend.build.dockerfile).toBe('containers/Dockerfile');
    expect(c.backend.wait).toEqual({ kind: 'http', path: '/healthz', status: 200 });
    expect(c.stall.enabled).toBe(true);
  });

  it('take local images from WSAC_* variables (air-gapped CI)', () => {
    const c = containerConfigFromEnv({
      WSAC_POSTGRES_IMAGE: 'wsac-postgres:local',
      WSAC_BACKEND_IMAGE: 'wsac-backend:local',
      WSAC_NODE_IMAGE: 'wsac-node:local',
      WSAC_STAGE_NODE_MODULES: '1',
    });
    expect(c.postgres.image).toBe('wsac-postgres:local');
    expect(c.backend.image).toBe('wsac-backend:local');
    expect(c.backend.build.buildArgs).toEqual({ NODE_IMAGE: 'wsac-node:local' });
    expect(c.backend.build.stageNodeModules).toBe(true);
  });

  it('let a config file point at a team image with its own port, command and wait strategy', () => {
    const c = containerSettings(
      {
        backendImage: 'acme/chat-backend:1.4.2',
        backend: {
          port: 3000,
          wsPath: '/socket',
          command: [],
          keyArgs: { secret: [], jwks: [] },
          environment: { DATABASE_URL: '{{databaseUrl}}', JWT_SECRET: '{{secret}}' },
          wait: { kind: 'log', pattern: 'listening' },
        },
        seeding: { insertSql: 'INSERT INTO accounts (id, active, roles) VALUES ($1, $2, $3)' },
      },
      {},
    );
    expect(c.backend.image).toBe('acme/chat-backend:1.4.2');
    expect(c.backend.port).toBe(3000);
    expect(c.backend.healthPath).toBe('/healthz'); // untouched fields keep their defaults
    expect(c.seeding.setupSql).toContain('CREATE TABLE IF NOT EXISTS users');
    expect(c.seeding.insertSql).toContain('accounts');
  });

  it('take the image of --target container=IMAGE over the environment', () => {
    expect(containerSettings({ value: 'mine:dev' }, { WSAC_BACKEND_IMAGE: 'wsac-backend:local' }).backend.image).toBe('mine:dev');
  });

  it('name the field and the fix for a bad container target', () => {
    expect(() => containerSettings({ image: 'x' } as never, {})).toThrow(/target\.image: unknown field; known fields of a container target: .*backendImage/);
    expect(() => containerSettings({ backend: 'x' } as never, {})).toThrow(/target\.backend: must be an object/);
  });

  it('fill placeholders and refuse unknown ones', () => {
    expect(fillPlaceholders('--db={{databaseUrl}}', { databaseUrl: 'postgres://x' })).toBe('--db=postgres://x');
    expect(() => fillPlaceholders('{{nope}}', { databaseUrl: '' })).toThrow(/unknown placeholder \{\{nope\}\}; known: \{\{databaseUrl\}\}/);
  });

  it('build stall SQL only from plain identifiers', () => {
    expect(stallInstallSql({ table: 'accounts', keyColumn: 'id' })).toContain('USING (wsac_stall_gate(id))');
    expect(() => stallInstallSql({ table: 'users; DROP TABLE users' })).toThrow(/plain lower-case SQL identifier/);
  });
});
