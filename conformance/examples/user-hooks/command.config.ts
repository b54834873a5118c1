// As ws-auth-conformance.config.ts, with the users put in place by the app's admin
// command line (user-admin.mjs) as a command user hook: the tool runs it once per
// change, the JSON on its standard input (it reads WSAC_ADMIN_URL and WSAC_ADMIN_TOKEN).
//   npx ws-auth-conformance run --config command.config.ts
import { defineConfig } from 'ws-auth-conformance';

export default defineConfig({
  target: {
    kind: 'url',
    url: 'ws://127.0.0.1:8080/ws',
    keys: { secretEnv: 'WSAC_SECRET' },
    // Run from this folder, without a shell.
    users: { command: [process.execPath, 'user-admin.mjs'] },
  },
  policy: 'policy.json',
  run: { runs: 100 },
});
