#!/usr/bin/env node
// The one launcher, in a git checkout and in the installed package.
// - Git checkout (the TypeScript sources are beside this file): dist/ when it was built
//   from the sources as they are now (`npm ci` builds it), else tsx runs the sources, so a
//   contributor never runs a stale build; the "wsac-source" export condition makes a
//   config's `import ... from 'ws-auth-conformance'` load the sources too.
// - Installed package (npm pack, npm install, git install): only dist/ is shipped; plain
//   Node runs the compiled JavaScript.
import { existsSync } from 'node:fs';
import { register as registerHooks } from 'node:module';

const checkout = existsSync(new URL('./main.ts', import.meta.url));
if (checkout && !(await import('./build-stamp.mjs')).distIsCurrent()) {
  const { register } = await import('tsx/esm/api');
  register();
  registerHooks(
    'data:text/javascript,export async function resolve(s,c,next){return next(s,{...c,conditions:[...c.conditions,"wsac-source"]})}',
  );
  await import('./main.ts');
} else {
  await import('../../dist/conformance/cli/main.js');
}
