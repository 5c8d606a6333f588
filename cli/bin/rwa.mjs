#!/usr/bin/env node
// The `rwa` command: runs cli/main.ts through tsx's loader, in this process (no build step).
import { register } from 'tsx/esm/api';

register();
await import(new URL('../main.ts', import.meta.url).href);
