// The tool pointed at the app of server.ts, its users put in place through the app's
// admin API as an HTTP user hook (command.config.ts does the same through a command):
//   export WSAC_SECRET=$(openssl rand -hex 32) WSAC_ADMIN_TOKEN=$(openssl rand -hex 16)
//   export WSAC_ADMIN_AUTHORIZATION="Bearer $WSAC_ADMIN_TOKEN"
//   PORT=8080 node --import tsx ../launch.ts user-hooks &
//   npx ws-auth-conformance run --config ws-auth-conformance.config.ts
import { defineConfig } from 'ws-auth-conformance';

export default defineConfig({
  target: {
    kind: 'url',
    url: 'ws://127.0.0.1:8080/ws',
    keys: { secretEnv: 'WSAC_SECRET' },
    users: {
      // Each change is POSTed here as JSON; the admin token comes from the environment.
      http: process.env.WSAC_ADMIN_URL ?? 'http://127.0.0.1:8080/admin/users',
      headersEnv: { Authorization: 'WSAC_ADMIN_AUTHORIZATION' },
    },
  },
  policy: 'policy.json',
  run: { runs: 100 },
});
