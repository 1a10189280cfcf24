// Linux /proc readers for the benchmarks: a process's memory and CPU time, the machine's CPU use.
import { readdirSync, readFileSync } from 'node:fs';

export interface TMemory {
  rssBytes: number;
  /** The kernel's high-water mark of the resident set since the process started. */
  highWaterBytes: number;
}

export function readMemory(pid: number): TMemory | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kilobytes = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
    return { rssBytes: kilobytes('VmRSS'), highWaterBytes: kilobytes('VmHWM') };
  } catch {
    return null; // not Linux, or the process is gone
  }
}

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ): 100 on every Linux architecture Node runs on. */
const TICKS_PER_SECOND = 100;

/** User + system CPU seconds a process has used so far (its own threads, not its children). */
export function readCpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: count fields after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND; // utime, stime (fields 14 and 15)
  } catch {
    return null;
  }
}

export interface TMachineCpu {
  busyTicks: number;
  totalTicks: number;
}

export function readMachineCpu(): TMachineCpu | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const ticks = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0); // idle + iowait
    const total = ticks.slice(0, 8).reduce((sum, n) => sum + n, 0); // without guest time, already in user
    return { busyTicks: total - idle, totalTicks: total };
  } catch {
    return null;
  }
}

/** The share of all CPUs that was busy between two readings (0 to 1), whoever used it. */
export const busyShare = (before: TMachineCpu | null, after: TMachineCpu | null): number | null =>
  before && after && after.totalTicks > before.totalTicks
    ? (after.busyTicks - before.busyTicks) / (after.totalTicks - before.totalTicks)
    : null;

/** The pid of a process whose command line contains `needle` (such as the dev server's SQLite file), if any. */
export function findPidByCommandLine(needle: string): number | null {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(needle)) return Number(entry);
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return null;
}

/** CPU seconds used by several processes between start() and stop(), and the machine's busy share meanwhile. */
export class CpuMeter {
  private readonly startSeconds: Map<string, number | null>;
  private readonly startMachine = readMachineCpu();
  private readonly startSelf = process.cpuUsage();

  constructor(private readonly pids: Record<string, number | null>) {
    this.startSeconds = new Map(Object.entries(pids).map(([name, pid]) => [name, pid === null ? null : readCpuSeconds(pid)]));
  }

  /** CPU seconds per named process, `bench` (this process), and the machine's busy share (0 to 1). */
  read(): { seconds: Record<string, number | null>; machineBusy: number | null } {
    const seconds: Record<string, number | null> = {};
    for (const [name, pid] of Object.entries(this.pids)) {
      const before = this.startSeconds.get(name);
      const now = pid === null ? null : readCpuSeconds(pid);
      seconds[name] = before === null || before === undefined || now === null ? null : now - before;
    }
    const self = process.cpuUsage(this.startSelf);
    seconds.bench = (self.user + self.system) / 1e6;
    return { seconds, machineBusy: busyShare(this.startMachine, readMachineCpu()) };
  }
}

/** Samples a process's RSS every second, keeping the largest value seen. */
export function watchMemory(pid: number): { peakBytes: () => number; stop: () => void } {
  let peak = 0;
  const sample = () => (peak = Math.max(peak, readMemory(pid)?.rssBytes ?? 0));
  sample();
  const timer = setInterval(sample, 1000);
  timer.unref();
  return { peakBytes: () => peak, stop: () => clearInterval(timer) };
}
