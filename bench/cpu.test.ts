import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { CpuMeter, cpuSecondsOfStat, machineSecondsOfStat } from './cpu.js';
import { renderCpu } from './blocks-table.js';

describe('CPU of the stack per bench round', () => {
  it('reads utime + stime of /proc/PID/stat, even when the command name holds spaces and parentheses', () => {
    const fields = ['S', '1', '2', '3', '0', '-1', '4194304', '10', '0', '0', '0', '250', '37', '0', '0', '20'];
    expect(cpuSecondsOfStat(`4242 (node) ${fields.join(' ')}`)).toBeCloseTo(2.87, 9);
    expect(cpuSecondsOfStat(`4242 (a b) (c)) ${fields.join(' ')}`)).toBeCloseTo(2.87, 9);
    expect(cpuSecondsOfStat('garbage')).toBeUndefined();
    expect(cpuSecondsOfStat('1 (x) S 1 2')).toBeUndefined();
  });

  it('reads the machine busy and total seconds from /proc/stat (idle and iowait are not busy)', () => {
    const m = machineSecondsOfStat('cpu  100 5 50 800 20 3 2 0 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\n');
    expect(m).toEqual({ busy: 1.6, total: 9.8 });
    expect(machineSecondsOfStat('intr 1 2 3')).toBeUndefined();
  });

  it.runIf(existsSync('/proc/self/stat'))('measures the CPU a process burns between two snapshots', () => {
    const meter = new CpuMeter([{ label: 'nobody', pids: () => [undefined] }]);
    meter.start();
    const until = process.cpuUsage();
    let x = 0;
    // Work until this process has used 200 ms of CPU by its own account.
    while (true) {
      for (let i = 0; i < 1e5; i++) x += Math.sqrt(i);
      const used = process.cpuUsage(until);
      if (used.user + used.system > 200_000) break;
    }
    const w = meter.stop();
    expect(x).toBeGreaterThan(0);
    expect(w).toBeDefined();
    const self = w!.shares.find((s) => s.label.startsWith('bench'))!;
    expect(self.processes).toBe(1);
    expect(self.seconds).toBeGreaterThanOrEqual(0.15);
    expect(w!.shares.find((s) => s.label === 'nobody')).toEqual({ label: 'nobody', processes: 0, seconds: 0 });
    expect(w!.machineBusy).toBeGreaterThan(0);
  });

  it('renders ms of CPU per settlement accepted for each group, and says when nothing was measured', () => {
    const window = {
      shares: [
        { label: 'oracle', processes: 1, seconds: 4 },
        { label: 'signers', processes: 3, seconds: 9 },
      ],
      wallSeconds: 10,
      cores: 2,
      machineBusy: 0.93,
    };
    const text = renderCpu([{ blockTimeS: 2, accepted: 400, window }]);
    expect(text).toContain('signers (3), CPU ms / settlement');
    // 13 s of the stack's CPU for 400 settlements: 32.5 ms each, so two cores take at most 2000 / 32.5 = 61.5 /s.
    expect(text).toMatch(/\| 2 s +\| 10\.0 +\| 22\.5 +\| 32\.5 +\| 61\.5 +\| 93\.0% of 2 cores \|/);
    expect(renderCpu([{ blockTimeS: 0, accepted: 10 }])).toMatch(/not measured/);
  });
});
