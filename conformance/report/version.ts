// `--version`: the version in the package.json this CLI was installed with, found by
// walking up from this file (sources in a checkout, dist/ in the installed package).
import { existsSync, readFileSync } from 'node:fs';

export function packageVersion(from: URL = new URL('.', import.meta.url)): string {
  for (let dir = from; ; dir = new URL('..', dir)) {
    const file = new URL('package.json', dir);
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'ws-auth-conformance' && pkg.version) return pkg.version;
    }
    if (dir.pathname === '/') return 'unknown';
  }
}
