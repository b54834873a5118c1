// Finding, reading and checking a config file. Errors name the field and the fix.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ConfigError } from '../../model/errors.ts';
import { importConfigModule } from './import-config.ts';
import type { ConformanceConfig } from './schema.ts';

/** Looked for in the working directory, in this order. */
export const CONFIG_FILES = ['ts', 'mts', 'mjs', 'js', 'json'].map((ext) => `ws-auth-conformance.config.${ext}`);

export interface LoadedConfig {
  config: ConformanceConfig;
  file: string | null;
  baseDir: string;
}

export async function loadConfig(file: string | undefined, cwd = process.cwd()): Promise<LoadedConfig> {
  const path = file !== undefined ? resolve(cwd, file) : CONFIG_FILES.map((f) => resolve(cwd, f)).find((f) => existsSync(f));
  if (path === undefined) return { config: {}, file: null, baseDir: cwd };
  if (!existsSync(path)) throw new ConfigError('--config', `no file at ${path}`, 'give the path of a .ts, .mjs or .json config');
  let raw: unknown;
  if (path.endsWith('.json')) {
    try {
      raw = JSON.parse(await readFile(path, 'utf8'));
    } catch (error) {
      throw new ConfigError(path, `not valid JSON (${(error as Error).message})`, 'fix the syntax');
    }
  } else {
    try {
      raw = await importConfigModule(path);
    } catch (error) {
      throw new ConfigError(path, `cannot load (${(error as Error).message})`, 'export default defineConfig({...}) from it');
    }
  }
  checkShape(raw);
  return { config: raw, file: path, baseDir: dirname(path) };
}

const TOP = ['target', 'policy', 'run', 'waivers'];
const WAIVER = ['case', 'hint', 'why', 'until'];
const RUN = ['seed', 'runs', 'concurrency', 'deadlineMs', 'observeMs', 'strict', 'identityHeaders'];
// RFC 9110 5.1 field-name (a token); a value without CR, LF or NUL.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const HEADER_VALUE = /^[^\r\n\0]*$/;
const URL_TARGET = ['kind', 'url', 'healthUrl', 'keys', 'users'];
const EMBEDDED_TARGET = ['kind', 'mutant', 'quickTiming'];

function checkShape(raw: unknown): asserts raw is ConformanceConfig {
  if (!isObject(raw)) throw new ConfigError('(file)', 'the config is not an object', 'export default defineConfig({ target, policy, run })');
  unknownKeys(raw, TOP, '');
  if (raw.policy !== undefined && typeof raw.policy !== 'string' && !isObject(raw.policy)) {
    throw new ConfigError('policy', 'must be an object of policy fields or a path to a policy JSON file', 'see docs of "ws-auth-conformance paths --policy"');
  }
  if (raw.run !== undefined) {
    if (!isObject(raw.run)) throw new ConfigError('run', 'must be an object', `use fields ${RUN.join(', ')}`);
    unknownKeys(raw.run, RUN, 'run.');
    for (const k of ['seed', 'runs', 'concurrency', 'deadlineMs', 'observeMs'] as const) {
      const v = raw.run[k];
      if (v !== undefined && (!Number.isInteger(v) || (v as number) < 0)) throw new ConfigError(`run.${k}`, `must be a non-negative integer, got ${JSON.stringify(v)}`, 'give a whole number');
    }
    if (raw.run.strict !== undefined && typeof raw.run.strict !== 'boolean') throw new ConfigError('run.strict', 'must be true or false', 'give a boolean');
    if (raw.run.identityHeaders !== undefined) checkIdentityHeaders(raw.run.identityHeaders);
  }
  if (raw.waivers !== undefined) checkWaivers(raw.waivers);
  const t = raw.target;
  if (t === undefined) return;
  if (!isObject(t) || typeof t.kind !== 'string') throw new ConfigError('target', 'must be an object with a "kind"', 'e.g. { kind: "url", url: "ws://127.0.0.1:8080/ws", keys, users }');
  if (t.kind === 'embedded') unknownKeys(t, EMBEDDED_TARGET, 'target.');
  if (t.kind === 'url') {
    unknownKeys(t, URL_TARGET, 'target.');
    if (typeof t.url !== 'string') throw new ConfigError('target.url', 'missing', 'give the WebSocket URL, e.g. ws://127.0.0.1:8080/ws');
    if (!isObject(t.keys)) throw new ConfigError('target.keys', 'missing', 'give { secretEnv: "NAME" } for HS256 or { jwkFile: "key.jwk.json" }');
    unknownKeys(t.keys, ['secretEnv', 'jwkFile', 'kid', 'jwks'], 'target.keys.');
    // No users at all is for a stateless policy; resolveUrlTarget says so otherwise.
    if (t.users === undefined) return;
    if (!isObject(t.users)) throw new ConfigError('target.users', 'must be an object', 'give { connectionString } (PostgreSQL), { command: [...] } or { http: "URL" } (a user hook), or { fixed: { active: "id", ... } }');
    if ('command' in t.users || 'http' in t.users) {
      checkUserHook(t.users);
    } else if ('fixed' in t.users) {
      unknownKeys(t.users, ['fixed'], 'target.users.');
      if (!isObject(t.users.fixed)) throw new ConfigError('target.users.fixed', 'must map user states to ids', 'e.g. { active: "alice", inactive: "bob", "lacks-role": "carol", missing: "nobody" }');
      unknownKeys(t.users.fixed, ['active', 'missing', 'inactive', 'lacks-role'], 'target.users.fixed.');
    } else {
      unknownKeys(t.users, ['connectionString', 'connectionStringEnv', 'insertSql', 'deactivateSql', 'deleteSql', 'removeRoleSql', 'stallSql'], 'target.users.');
    }
  }
}

function checkUserHook(users: Record<string, unknown>): void {
  if ('command' in users && 'http' in users) throw new ConfigError('target.users', 'has both command and http', 'give one user hook: { command: [...] } or { http: "URL" }');
  const timeout = users.timeoutMs;
  if (timeout !== undefined && (!Number.isInteger(timeout) || (timeout as number) <= 0)) throw new ConfigError('target.users.timeoutMs', `must be a positive whole number of ms, got ${JSON.stringify(timeout)}`, 'e.g. 10000');
  if ('command' in users) {
    unknownKeys(users, ['command', 'timeoutMs'], 'target.users.');
    const c = users.command;
    if (!Array.isArray(c) || c.length === 0 || c.some((a) => typeof a !== 'string') || c[0] === '') {
      throw new ConfigError('target.users.command', 'must be a non-empty list of strings: the program, then its arguments (no shell)', 'e.g. ["node", "scripts/test-users.mjs"]');
    }
    return;
  }
  unknownKeys(users, ['http', 'headers', 'headersEnv', 'timeoutMs'], 'target.users.');
  const url = typeof users.http === 'string' && URL.canParse(users.http) ? new URL(users.http) : null;
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) throw new ConfigError('target.users.http', `must be an http:// or https:// URL, got ${JSON.stringify(users.http)}`, 'e.g. "http://127.0.0.1:8080/test-users"');
  for (const field of ['headers', 'headersEnv'] as const) {
    const v = users[field];
    if (v !== undefined && (!isObject(v) || Object.values(v).some((x) => typeof x !== 'string'))) {
      throw new ConfigError(`target.users.${field}`, 'must map header names to strings', field === 'headers' ? 'e.g. { "X-Tenant": "test" }' : 'e.g. { "Authorization": "ADMIN_AUTHORIZATION" } (the variable holds the whole value)');
    }
  }
}

function checkIdentityHeaders(headers: unknown): void {
  const example = '{ "X-Company-User": "{user}" }';
  if (!isObject(headers)) throw new ConfigError('run.identityHeaders', 'must map header names to values', `e.g. ${example}`);
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name)) throw new ConfigError(`run.identityHeaders.${name}`, 'is not a valid HTTP header name', 'use letters, digits and -');
    if (typeof value !== 'string' || !HEADER_VALUE.test(value)) throw new ConfigError(`run.identityHeaders.${name}`, 'must be a string without line breaks', `e.g. ${example}`);
  }
}

function checkWaivers(waivers: unknown): void {
  const example = '{ hint: "sig-403", why: "403 kept until clients migrate (TICKET-12)", until: "2026-12-31" }';
  if (!Array.isArray(waivers)) throw new ConfigError('waivers', 'must be a list', `e.g. [${example}]`);
  waivers.forEach((w: unknown, i) => {
    const at = `waivers[${i}]`;
    if (!isObject(w)) throw new ConfigError(at, 'must be an object', `e.g. ${example}`);
    unknownKeys(w, WAIVER, `${at}.`);
    if (typeof w.case !== 'string' && typeof w.hint !== 'string') throw new ConfigError(at, 'names neither a case nor a hint', 'give "case" (a case key, a trailing * matches a prefix) and/or "hint" (a hint id)');
    if (typeof w.why !== 'string' || w.why.trim() === '') throw new ConfigError(`${at}.why`, 'missing', 'say why the divergence is accepted for now');
    const day = typeof w.until === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(w.until) ? new Date(`${w.until}T00:00:00Z`) : null;
    if (!day || Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== w.until) throw new ConfigError(`${at}.until`, `must be a date YYYY-MM-DD, got ${JSON.stringify(w.until)}`, 'give the last day the waiver holds');
  });
}

function isObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function unknownKeys(obj: Record<string, unknown>, known: string[], prefix: string): void {
  for (const key of Object.keys(obj)) {
    if (!known.includes(key)) throw new ConfigError(`${prefix}${key}`, 'unknown field', `known fields here: ${known.join(', ')}`);
  }
}
