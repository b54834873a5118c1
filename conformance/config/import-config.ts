// Importing a .ts/.mts/.mjs/.js config from any directory. Node decides a .ts file's
// module kind from the nearest package.json, so a config beside a CommonJS (or no)
// package.json could not be imported as ESM, and `ws-auth-conformance` resolved only
// where the package was installed. So the config is bundled with esbuild first (as
// Vite does with vite.config.ts): always ESM, its relative imports inlined, the
// `ws-auth-conformance` import pointed at the running package, every other package
// pointed at the absolute file the config's own directory resolves it to.
import { randomBytes } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Message, type Plugin } from 'esbuild';

const PACKAGE_NAME = 'ws-auth-conformance';

/** The running package's exports, beside this module: the sources in a checkout, dist/ when installed. */
const ENTRIES: Record<string, string> = { '': '../index', '/model': '../../model/index', '/backend': '../../src/index' };

function packageEntry(subpath: string): string | undefined {
  const entry = ENTRIES[subpath];
  return entry && new URL(`${entry}${extname(new URL(import.meta.url).pathname)}`, import.meta.url).href;
}

function externals(configDir: string): Plugin {
  return {
    name: 'wsac-config-externals',
    setup(b) {
      b.onResolve({ filter: new RegExp(`^${PACKAGE_NAME}(/|$)`) }, (args) => {
        const entry = packageEntry(args.path.slice(PACKAGE_NAME.length));
        return entry ? { path: entry, external: true } : { errors: [{ text: `${args.path} is not an export of ${PACKAGE_NAME}; use ${Object.keys(ENTRIES).map((e) => PACKAGE_NAME + e).join(', ')}` }] };
      });
      // URLs (file:, node:, data:) are already absolute.
      b.onResolve({ filter: /^[a-z][a-z0-9+.-]+:/i }, (args) => ({ path: args.path, external: true }));
      // Bare imports stay imports, but of absolute files: the bundle runs from a temporary directory.
      b.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData === 'wsac-inner') return undefined;
        const inner = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir || configDir, pluginData: 'wsac-inner' });
        if (inner.errors.length > 0 || inner.external || !inner.path.startsWith('/')) return undefined;
        return { path: pathToFileURL(inner.path).href, external: true };
      });
    },
  };
}

/** The config module's default export. */
export async function importConfigModule(path: string): Promise<unknown> {
  const configUrl = pathToFileURL(path).href;
  const result = await build({
    entryPoints: [path],
    absWorkingDir: dirname(path),
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'silent',
    plugins: [externals(dirname(path))],
    define: {
      'import.meta.url': JSON.stringify(configUrl),
      'import.meta.filename': JSON.stringify(path),
      'import.meta.dirname': JSON.stringify(dirname(path)),
    },
  }).catch((error: { errors?: Message[] }) => {
    throw new Error(error.errors?.map(describeMessage).join('; ') ?? String(error));
  });
  const out = join(tmpdir(), `wsac-config-${process.pid}-${randomBytes(4).toString('hex')}.mjs`);
  await writeFile(out, result.outputFiles[0]!.text);
  try {
    const mod = (await import(pathToFileURL(out).href)) as { default?: unknown };
    return mod.default;
  } finally {
    await rm(out, { force: true });
  }
}

function describeMessage(m: Message): string {
  return m.location ? `${m.location.file}:${m.location.line}:${m.location.column + 1}: ${m.text}` : m.text;
}
