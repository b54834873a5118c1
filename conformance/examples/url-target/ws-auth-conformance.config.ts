// A url target: any backend reachable at a WebSocket URL. Used as is by the url
// target test (with `serve` started on policy.json and users.json beside this file):
//
//   WSAC_SECRET=... npx ws-auth-conformance serve --secret-env WSAC_SECRET \
//       --policy policy.json --users users.json --port 8080
//   WSAC_SECRET=... npx ws-auth-conformance run --config ws-auth-conformance.config.ts
import { defineConfig } from 'ws-auth-conformance';

export default defineConfig({
  target: {
    kind: 'url',
    url: 'ws://127.0.0.1:8080/ws',
    // The HS256 secret comes from the environment, never from this file.
    keys: { secretEnv: 'WSAC_SECRET' },
    // Existing users by state. With a PostgreSQL connection string instead
    // (users: { connectionString: 'postgres://...' }) the engine seeds a fresh user per
    // case and can revoke users during a session.
    users: { fixed: { active: 'alice', inactive: 'bob', 'lacks-role': 'carol', missing: 'nobody-by-this-name' } },
  },
  // The target's contract, relative to this file.
  policy: 'policy.json',
  run: { runs: 100 },
});
