/**
 * Where the CPU of a bench round went: CPU seconds of each process of the stack (oracle, signers, relayer, anvil
 * nodes, the bench itself) between two snapshots, read from /proc (Linux). The issue asks what limits the figures on
 * this machine; this answers it with numbers instead of guesses. Elsewhere than Linux the figures are absent.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/** /proc reports CPU time in USER_HZ ticks, 100 per second on every Linux architecture Node runs on. */
const USER_HZ = 100;

/** user + system CPU seconds of a process from the text of /proc/PID/stat; undefined when it does not parse. */
export function cpuSecondsOfStat(stat: string): number | undefined {
  // The command name (field 2) is in parentheses and may hold spaces or parentheses: fields count from the last ')'.
  const close = stat.lastIndexOf(')');
  if (close < 0) return undefined;
  const fields = stat.slice(close + 2).split(' ');
  // After the name: state is field 3, so utime (14) and stime (15) sit at offsets 11 and 12.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return Number.isFinite(utime) && Number.isFinite(stime) ? (utime + stime) / USER_HZ : undefined;
}

/** Busy and total seconds of the whole machine from the first line of /proc/stat (all cores summed). */
export function machineSecondsOfStat(stat: string): { busy: number; total: number } | undefined {
  const line = stat.split('\n', 1)[0] ?? '';
  if (!line.startsWith('cpu ')) return undefined;
  const ticks = line.trim().split(/\s+/).slice(1).map(Number);
  if (ticks.length < 5 || ticks.some((t) => !Number.isFinite(t))) return undefined;
  // user nice system idle iowait irq softirq steal [guest guest_nice: already inside user and nice]
  const idle = ticks[3]! + ticks[4]!;
  const total = ticks.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: (total - idle) / USER_HZ, total: total / USER_HZ };
}

const readOr = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    // The process exited (or this is not Linux): its share is unknown, reported as absent.
    return undefined;
  }
};

/** A labelled group of processes (e.g. the three signers): its pids are asked at each snapshot. */
export interface CpuGroup {
  label: string;
  pids: () => readonly (number | undefined)[];
}

export interface CpuShare {
  label: string;
  processes: number;
  /** CPU seconds the group's processes used between the snapshots. */
  seconds: number;
}

export interface CpuWindow {
  shares: CpuShare[];
  /** Wall-clock seconds between the snapshots. */
  wallSeconds: number;
  cores: number;
  /** Share of all cores busy over the window, everything on the machine counted; undefined off Linux. */
  machineBusy?: number;
}

interface Snapshot {
  at: number;
  perPid: Map<number, number>;
  machine?: { busy: number; total: number };
}

const SELF = { label: 'bench (this process)', pids: () => [process.pid] } satisfies CpuGroup;

/** Snapshots the groups' CPU at `start()`; `stop()` gives each group's CPU seconds since. */
export class CpuMeter {
  private first?: Snapshot;
  constructor(private readonly groups: readonly CpuGroup[]) {}

  private snapshot(): Snapshot {
    const perPid = new Map<number, number>();
    for (const g of [...this.groups, SELF]) {
      for (const pid of g.pids()) {
        if (pid === undefined) continue;
        const s = readOr(`/proc/${pid}/stat`);
        const seconds = s === undefined ? undefined : cpuSecondsOfStat(s);
        if (seconds !== undefined) perPid.set(pid, seconds);
      }
    }
    const m = readOr('/proc/stat');
    return { at: performance.now(), perPid, machine: m === undefined ? undefined : machineSecondsOfStat(m) };
  }

  start(): void {
    this.first = this.snapshot();
  }

  stop(): CpuWindow | undefined {
    const a = this.first;
    if (!a) throw new Error('CpuMeter.stop before start');
    const b = this.snapshot();
    if (b.perPid.size === 0) return undefined;
    const shares = [...this.groups, SELF].map((g) => {
      let seconds = 0;
      let processes = 0;
      for (const pid of g.pids()) {
        if (pid === undefined) continue;
        const before = a.perPid.get(pid);
        const after = b.perPid.get(pid);
        if (before === undefined || after === undefined) continue;
        seconds += after - before;
        processes++;
      }
      return { label: g.label, processes, seconds };
    });
    const machineBusy = a.machine && b.machine && b.machine.total > a.machine.total ? (b.machine.busy - a.machine.busy) / (b.machine.total - a.machine.total) : undefined;
    return { shares, wallSeconds: (b.at - a.at) / 1000, cores: availableParallelism(), machineBusy };
  }
}
