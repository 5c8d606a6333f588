import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { once } from 'node:events';
import { acquireInstanceLock, InstanceLockedError } from './instance-lock.js';

const store = () => join(tmpdir(), `instance-lock-${process.pid}-${Math.random().toString(16).slice(2)}`, 'svc.sqlite');
const root = join(import.meta.dirname, '..');
const children: ChildProcess[] = [];

/** Another process that takes the lock, says so on stdout, and keeps it until killed. */
async function holder(path: string): Promise<ChildProcess> {
  const code = `import('./common/instance-lock.ts').then((m) => { m.acquireInstanceLock(${JSON.stringify(path)}, 'test'); process.stdout.write('held\\n'); setInterval(() => undefined, 60000); })`;
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', code], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  const deadline = Date.now() + 20_000;
  while (!out.includes('held')) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`lock holder did not start: ${out}`);
    await once(child.stdout!, 'data');
  }
  return child;
}

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

describe('acquireInstanceLock', () => {
  it('refuses a second holder in the same process and lets it in once released', () => {
    const path = store();
    const first = acquireInstanceLock(path, 'oracle');
    expect(() => acquireInstanceLock(path, 'oracle')).toThrow(InstanceLockedError);
    first.release();
    acquireInstanceLock(path, 'oracle').release();
  });

  it('refuses while another process holds it, naming its pid, and is free again once that process is SIGKILLed', async () => {
    const path = store();
    const child = await holder(path);
    let refusal: unknown;
    try {
      acquireInstanceLock(path, 'oracle');
    } catch (err) {
      refusal = err;
    }
    expect(refusal).toBeInstanceOf(InstanceLockedError);
    expect((refusal as Error).message).toContain(`pid ${child.pid}`);
    child.kill('SIGKILL');
    await once(child, 'exit');
    acquireInstanceLock(path, 'oracle').release();
  }, 30_000);
});
