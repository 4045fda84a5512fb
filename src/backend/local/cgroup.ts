/**
 * Real cgroups for LocalBackend: find a writable CPU controller (cgroup v1 `cpu` + `cpuacct`
 * (+ `cpuset`) mounts, or a cgroup v2 hierarchy with the `cpu` controller), create a group per
 * backend and one per pod under it, write the CFS quota/period and weight, move processes in,
 * read `cpu.stat`, and remove the groups again (also groups a crashed run left behind).
 *
 * Files (platform-semantics.md §d.1): v1 `cpu.cfs_quota_us` (−1 = none), `cpu.cfs_period_us`,
 * `cpu.shares`, `cpu.stat` (nr_periods, nr_throttled, throttled_time in ns), `cpuacct.usage`
 * (ns); v2 `cpu.max` ("max 100000" or "50000 100000"), `cpu.weight`, `cpu.stat` (usage_usec,
 * nr_periods, nr_throttled, throttled_usec). Weights from requests as the kubelet writes them
 * (§d.2, cluster/k8s-resources.ts).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PodCpuCounters } from '../cluster-backend.js';

/** Where the controllers are. */
export interface CgroupLayout {
  readonly kind: 'v1' | 'v2';
  /** Directory of the cpu controller (v1 mount or the v2 root). */
  readonly cpu: string;
  /** v1 cpuacct mount (same as `cpu` when co-mounted; undefined for v2: usage is in cpu.stat). */
  readonly cpuacct?: string;
  /** cpuset controller directory, when available. */
  readonly cpuset?: string;
}

/** Prefix of every group LocalBackend creates: `servesim-local-<pid>-<n>`. */
export const GROUP_PREFIX = 'servesim-local-';

/** Find a writable cgroup CPU controller, or the reason there is none. */
export function probeCgroups(): CgroupLayout | string {
  if (process.platform !== 'linux') return `cgroups need Linux (this is ${process.platform})`;
  const candidates: CgroupLayout[] = [];
  const v1 = '/sys/fs/cgroup/cpu';
  if (existsSync(join(v1, 'cpu.cfs_quota_us'))) {
    const acct = existsSync('/sys/fs/cgroup/cpuacct/cpuacct.usage') ? '/sys/fs/cgroup/cpuacct' : existsSync(join(v1, 'cpuacct.usage')) ? v1 : undefined;
    const cpuset = existsSync('/sys/fs/cgroup/cpuset/cpuset.cpus') ? '/sys/fs/cgroup/cpuset' : undefined;
    candidates.push({ kind: 'v1', cpu: v1, cpuacct: acct, cpuset });
  }
  for (const r of ['/sys/fs/cgroup', '/sys/fs/cgroup/unified']) {
    try {
      const ctl = readFileSync(join(r, 'cgroup.controllers'), 'utf8').split(/\s+/);
      if (ctl.includes('cpu')) candidates.push({ kind: 'v2', cpu: r, cpuset: ctl.includes('cpuset') ? r : undefined });
    } catch { /* not a v2 root with the cpu controller */ }
  }
  if (candidates.length === 0) return 'no cgroup v1 cpu controller and no cgroup v2 hierarchy with the cpu controller';
  const errors: string[] = [];
  for (const c of candidates) {
    const dir = join(c.cpu, `${GROUP_PREFIX}probe-${process.pid}`);
    try {
      if (c.kind === 'v2') writeFileSync(join(c.cpu, 'cgroup.subtree_control'), '+cpu');
      mkdirSync(dir);
      try {
        writeCpu(c, dir, 50_000, 100_000, 1024);
      } finally {
        rmdirSync(dir);
      }
      return c;
    } catch (e) {
      errors.push(`${c.kind} at ${c.cpu}: ${(e as Error).message}`);
    }
  }
  return `cgroup CPU quotas are not writable here (${errors.join('; ')}); LocalBackend needs root or a delegated cgroup`;
}

/**
 * Write quota/period and weight into a cpu group. `quotaUs` < 0 = no limit; `shares` is the v1
 * value (the v2 weight is derived with the kubelet's linear map, §d.2).
 */
export function writeCpu(c: CgroupLayout, dir: string, quotaUs: number, periodUs: number, shares: number): void {
  if (c.kind === 'v1') {
    writeFileSync(join(dir, 'cpu.cfs_period_us'), String(periodUs));
    writeFileSync(join(dir, 'cpu.cfs_quota_us'), String(quotaUs < 0 ? -1 : quotaUs));
    writeFileSync(join(dir, 'cpu.shares'), String(shares));
  } else {
    writeFileSync(join(dir, 'cpu.max'), `${quotaUs < 0 ? 'max' : quotaUs} ${periodUs}`);
    writeFileSync(join(dir, 'cpu.weight'), String(Math.max(1, Math.min(10000, 1 + Math.floor(((shares - 2) * 9999) / 262142)))));
  }
}

/** Parse a `cpu.stat` (and v1 `cpuacct.usage`) into counters. Pure; exported for tests. */
export function parseCpuStat(kind: 'v1' | 'v2', cpuStat: string, cpuacctUsageNs?: string): PodCpuCounters {
  const m = new Map<string, number>();
  for (const line of cpuStat.split('\n')) {
    const [k, v] = line.trim().split(/\s+/);
    if (k && v !== undefined) m.set(k, Number(v));
  }
  if (kind === 'v1') {
    return {
      usageUs: cpuacctUsageNs === undefined ? 0 : Number(cpuacctUsageNs.trim()) / 1000,
      nrPeriods: m.get('nr_periods') ?? 0,
      nrThrottled: m.get('nr_throttled') ?? 0,
      throttledUs: (m.get('throttled_time') ?? 0) / 1000,
    };
  }
  return { usageUs: m.get('usage_usec') ?? 0, nrPeriods: m.get('nr_periods') ?? 0, nrThrottled: m.get('nr_throttled') ?? 0, throttledUs: m.get('throttled_usec') ?? 0 };
}

/** One cgroup (in each controller LocalBackend uses). */
export class Cgroup {
  readonly dirs: string[] = [];
  readonly cpuDir: string;
  readonly acctDir: string | undefined;
  readonly cpusetDir: string | undefined;

  /** Create `<parent>/<name>` in the cpu (and cpuacct, and when `cpus` is given cpuset) controller. */
  constructor(readonly layout: CgroupLayout, parent: string, name: string, cpus?: string) {
    this.cpuDir = this.make(layout.cpu, parent, name);
    if (layout.kind === 'v2') writeFileSync(join(this.cpuDir, '..', 'cgroup.subtree_control'), '+cpu');
    // v1: usage is in cpuacct (a separate mount here, or co-mounted with cpu); v2: in cpu.stat
    if (layout.kind === 'v2' || layout.cpuacct === undefined) this.acctDir = undefined;
    else this.acctDir = layout.cpuacct === layout.cpu ? this.cpuDir : this.make(layout.cpuacct, parent, name);
    if (cpus !== undefined) {
      if (layout.cpuset === undefined) throw new Error(`cgroup ${name}: cpus ${cpus} asked for, but there is no cpuset controller`);
      if (layout.kind === 'v1') {
        const d = this.make(layout.cpuset, parent, name);
        // a v1 cpuset group needs cpus and mems before it accepts tasks; the parent's too
        const parentDir = join(layout.cpuset, parent);
        for (const f of ['cpuset.cpus', 'cpuset.mems']) {
          if (parent !== '' && readFileSync(join(parentDir, f), 'utf8').trim() === '') writeFileSync(join(parentDir, f), readFileSync(join(layout.cpuset, f), 'utf8').trim());
        }
        writeFileSync(join(d, 'cpuset.mems'), readFileSync(join(layout.cpuset, 'cpuset.mems'), 'utf8').trim());
        writeFileSync(join(d, 'cpuset.cpus'), cpus);
        this.cpusetDir = d;
      } else {
        writeFileSync(join(this.cpuDir, '..', 'cgroup.subtree_control'), '+cpuset');
        writeFileSync(join(this.cpuDir, 'cpuset.cpus'), cpus);
        this.cpusetDir = this.cpuDir;
      }
    }
  }

  private make(root: string, parent: string, name: string): string {
    const d = join(root, parent, name);
    mkdirSync(d);
    this.dirs.push(d);
    return d;
  }

  setCpu(quotaUs: number, periodUs: number, shares: number): void {
    writeCpu(this.layout, this.cpuDir, quotaUs, periodUs, shares);
  }

  /** Move a process (all its threads) into the group. */
  addProcess(pid: number): void {
    const uniq = new Set([this.cpuDir, this.acctDir, this.cpusetDir].filter((d): d is string => d !== undefined));
    for (const d of uniq) writeFileSync(join(d, 'cgroup.procs'), String(pid));
  }

  /** Current counters (zeros when a file cannot be read). */
  stat(): PodCpuCounters {
    try {
      const s = readFileSync(join(this.cpuDir, 'cpu.stat'), 'utf8');
      const u = this.layout.kind === 'v1' && this.acctDir !== undefined ? readFileSync(join(this.acctDir, 'cpuacct.usage'), 'utf8') : undefined;
      return parseCpuStat(this.layout.kind, s, u);
    } catch {
      return { usageUs: 0, nrPeriods: 0, nrThrottled: 0, throttledUs: 0 };
    }
  }

  /** Remove the directories (children first is the caller's job); false if one stays busy. */
  remove(): boolean {
    let ok = true;
    for (let i = this.dirs.length - 1; i >= 0; i--) {
      if (removeDir(this.dirs[i])) this.dirs.splice(i, 1);
      else ok = false;
    }
    return ok;
  }
}

/** rmdir, tolerating a missing directory; false while it still has tasks (EBUSY). */
export function removeDir(dir: string): boolean {
  try {
    rmdirSync(dir);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Remove groups `servesim-local-<pid>-*` left by runs whose process `pid` no longer exists (a
 * killed run cannot clean up; its workers exit when their IPC channel closes). Returns the
 * directories removed.
 */
export function removeStaleGroups(c: CgroupLayout): string[] {
  const removed: string[] = [];
  const roots = new Set([c.cpu, c.cpuacct, c.cpuset].filter((d): d is string => d !== undefined));
  for (const root of roots) {
    let names: string[];
    try {
      names = readdirSync(root);
    } catch {
      continue;
    }
    for (const n of names) {
      const m = /^servesim-local-(\d+)-/.exec(n);
      if (m === null || Number(m[1]) === process.pid || alive(Number(m[1]))) continue;
      const dir = join(root, n);
      try {
        for (const child of readdirSync(dir, { withFileTypes: true })) if (child.isDirectory()) removeDir(join(dir, child.name));
      } catch { /* gone meanwhile */ }
      if (removeDir(dir)) removed.push(dir);
    }
  }
  return removed;
}
