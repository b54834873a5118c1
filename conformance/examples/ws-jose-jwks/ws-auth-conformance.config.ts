// The tool pointed at the ws + jose remote-JWKS app (server.ts). The tool makes a fresh
// ES256 key each run and serves its JWKS at http://127.0.0.1:8765/.well-known/jwks.json
// (WSAC_JWKS_PORT picks another port); the app fetches it from there:
//   JWKS_URL=http://127.0.0.1:8765/.well-known/jwks.json PORT=8080 node --import tsx ../launch.ts ws-jose-jwks &
//   npx ws-auth-conformance run --config ws-auth-conformance.config.ts
import { defineConfig } from 'ws-auth-conformance';

export default defineConfig({
  target: {
    kind: 'url',
    url: 'ws://127.0.0.1:8080/ws',
    keys: { jwks: { serve: { port: Number(process.env.WSAC_JWKS_PORT ?? 8765) } } },
    // The app's fixed user list (server.ts).
    users: { fixed: { active: 'alice', inactive: 'bob', 'lacks-role': 'carol', missing: 'nobody-by-this-name' } },
  },
  policy: 'policy.json',
  run: { runs: 100 },
});
