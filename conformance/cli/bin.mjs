#!/usr/bin/env node
// The package ships TypeScript sources; tsx loads them so there is no build step to forget.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
