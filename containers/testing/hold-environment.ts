// Test fixture: starts a container environment, prints its run id as one JSON line,
// and waits to be interrupted (Ctrl-C test) or killed (crash-and-sweep test).
import { profilePolicy } from '../../model/policy.ts';
import { ContainerEnvironment } from '../environment.ts';

const environment = await new ContainerEnvironment().withPolicy(profilePolicy('default')).start();
process.stdout.write(`${JSON.stringify({ event: 'started', runId: environment.getRunId() })}\n`);
setInterval(() => {}, 1 << 30);
