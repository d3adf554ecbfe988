#!/usr/bin/env node
// The `api-particulier` admin CLI. TypeScript runs through tsx, so no build step is needed.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
await main();
