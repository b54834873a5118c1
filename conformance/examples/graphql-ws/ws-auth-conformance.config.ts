// The tool pointed at the graphql-ws app (server.ts), started on its own:
//   export WSAC_SECRET=$(openssl rand -hex 32)
//   PORT=8080 node --import tsx ../launch.ts graphql-ws &
//   npx ws-auth-conformance run --config ws-auth-conformance.config.ts
import { defineConfig } from 'ws-auth-conformance';

export default defineConfig({
  target: {
    kind: 'url',
    url: 'ws://127.0.0.1:8080/graphql',
    keys: { secretEnv: 'WSAC_SECRET' },
    // The app's fixed user list (server.ts).
    users: { fixed: { active: 'alice', inactive: 'bob', 'lacks-role': 'carol', missing: 'nobody-by-this-name' } },
  },
  policy: 'policy.json',
  run: { runs: 100 },
});
