// The browser the status page e2e drives (playwright-core with a system Chromium: `npx playwright install` downloads
// from outside the npm registry and fails on our machines). npm install (scripts/setup.mjs) makes sure it is there.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * What set-up does about the browser: 'present'; 'install' (root with apt-get: Debian's `chromium`); 'skip' (the
 * user said RWA_SKIP_BROWSER=1: the browser e2e will fail); 'fail' (nothing we may do: the user must install it).
 */
export function browserPlan({ exists, root, aptGet, skip }) {
  if (exists) return 'present';
  if (skip) return 'skip';
  return root && aptGet ? 'install' : 'fail';
}

const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;

/** Installs Chromium when missing and we may; returns an error message, or undefined when the browser is there. */
export function ensureChromium(log = console.log) {
  const plan = browserPlan({
    exists: existsSync(CHROMIUM_PATH),
    root: process.getuid?.() === 0,
    aptGet: spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0,
    skip: process.env.RWA_SKIP_BROWSER === '1',
  });
  if (plan === 'present') {
    const v = spawnSync(CHROMIUM_PATH, ['--version'], { encoding: 'utf8' });
    log(`setup: ${(v.stdout ?? '').split('\n')[0] || CHROMIUM_PATH}`);
    return undefined;
  }
  if (plan === 'skip') {
    log(`setup: no ${CHROMIUM_PATH}, skipped (RWA_SKIP_BROWSER=1); e2e/status-page.e2e.test.ts will fail`);
    return undefined;
  }
  if (plan === 'fail') {
    return `no Chromium at ${CHROMIUM_PATH} (the status page e2e drives it), and set-up can install it only as root with apt-get. Install Debian's or Ubuntu's chromium (apt-get install chromium), or set RWA_SKIP_BROWSER=1 to install without it`;
  }
  log(`setup: no ${CHROMIUM_PATH}; installing Debian's chromium for the status page e2e: apt-get update && apt-get install -y chromium`);
  if (!run('apt-get', ['update'])) return 'apt-get update failed (see above)';
  if (!run('apt-get', ['install', '-y', 'chromium'])) return 'apt-get install -y chromium failed (see above)';
  if (!existsSync(CHROMIUM_PATH)) return `apt-get installed chromium but ${CHROMIUM_PATH} is still missing`;
  log(`setup: chromium installed at ${CHROMIUM_PATH}`);
  return undefined;
}
