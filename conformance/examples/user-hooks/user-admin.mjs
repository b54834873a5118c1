#!/usr/bin/env node
// The app's admin command line, as a command user hook: reads JSON changes on its
// standard input, one per line, and sends each to the admin API of server.ts. Exit 0
// when all are applied; otherwise a one-line reason on stderr and exit 1.
//   echo '{"action":"delete","userId":"alice"}' | WSAC_ADMIN_URL=http://127.0.0.1:8080/admin/users WSAC_ADMIN_TOKEN=... node user-admin.mjs
const url = process.env.WSAC_ADMIN_URL ?? 'http://127.0.0.1:8080/admin/users';
const token = process.env.WSAC_ADMIN_TOKEN;
if (!token) {
  console.error('user-admin: set WSAC_ADMIN_TOKEN');
  process.exit(1);
}
let input = '';
for await (const chunk of process.stdin) input += chunk;
for (const line of input.split('\n').filter((l) => l.trim() !== '')) {
  const response = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: line }).catch((error) => {
    console.error(`user-admin: ${url} unreachable (${error.cause?.message ?? error.message})`);
    process.exit(1);
  });
  if (!response.ok) {
    console.error(`user-admin: HTTP ${response.status} ${await response.text()}`);
    process.exit(1);
  }
}
