import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { CliIO } from '../../src/cli/io.js';
import { loadPolicy } from '../../src/rl/policy.js';
import { loadScenario } from '../../src/scenario/load.js';
import { drlEnvironment, type DrlWorkflowBody } from '../../src/experiment/studies/drl-workflow.js';

function io(): CliIO & { stdout: string; stderr: string } {
  const o = { stdout: '', stderr: '', progressStream: process.stderr as NodeJS.WritableStream & { isTTY?: boolean } };
  return Object.assign(o, { out: (t: string) => void (o.stdout += t), err: (t: string) => void (o.stderr += t) });
}

const tmp = mkdtempSync(join(tmpdir(), 'drl-cli-'));
/** A short analytic copy of the training schedule (the stand-in backend keeps the test fast). */
function shortEnvFile(): string {
  const f = join(tmp, 'short.yaml');
  const text = readFileSync('experiments/drl/training.yaml', 'utf8').replace('model: video', 'model: analytic').replace(/queueWorkers: \d+/, 'queueWorkers: 1').replace(/steps: 100/g, 'steps: 12');
  writeFileSync(f, text);
  return f;
}

describe('servesim train / eval', () => {
  it('the experiment and schedule files validate', () => {
    for (const f of ['experiments/drl/training.yaml', 'experiments/drl/evaluation.yaml', 'experiments/drl/training-long.yaml', 'experiments/drl-training.yaml', 'experiments/drl-evaluation.yaml']) {
      expect(() => loadScenario(f)).not.toThrow();
    }
  });

  it('train saves a policy that loadPolicy runs on the environment; eval reports the metrics', async () => {
    const env = shortEnvFile();
    const out = join(tmp, 'fullmap');
    const a = io();
    expect(await main(['train', env, '--agent', 'dqn', '--variant', 'fullmap', '--steps', '60', '--seed', '3', '--out', out, '--quiet'], a)).toBe(0);
    for (const f of ['model.json', 'weights.bin', 'spec.json', 'learning.csv', 'steps.csv', 'summary.json']) expect(existsSync(join(out, f))).toBe(true);
    const spec = JSON.parse(readFileSync(join(out, 'spec.json'), 'utf8'));
    expect(spec.actionSpace.n).toBe(15);
    expect(spec.observationSpace.components).toHaveLength(35);
    expect(spec.training.variant).toBe('fullmap');
    expect(readFileSync(join(out, 'learning.csv'), 'utf8').split('\n')[0]).toContain('cumulative_reward');
    expect(readFileSync(join(out, 'steps.csv'), 'utf8').trim().split('\n')).toHaveLength(61);
    const policy = await loadPolicy(out);
    const body = loadScenario(env).body as unknown as DrlWorkflowBody;
    const e = drlEnvironment(body, 'fullmap', { counterMax: JSON.parse(spec.training.counterMax) });
    let obs = e.reset(1);
    for (let i = 0; i < 10; i++) {
      const act = policy.act(e.now, obs);
      expect(act).toBeGreaterThanOrEqual(0);
      expect(act).toBeLessThan(15);
      obs = e.step(act).observation;
    }
    policy.dispose();
    const b = io();
    expect(await main(['eval', env, '--policy', out, '--seed', '2', '--out', join(tmp, 'eval'), '--quiet'], b)).toBe(0);
    expect(b.stdout).toMatch(/QoS compliance [0-9.]+ .*violation ratio [0-9.]+, cumulative reward -?[0-9.]+, convergence/);
    const s = JSON.parse(readFileSync(join(tmp, 'eval', 'summary.json'), 'utf8'));
    expect(s.metrics.byPhase).toHaveLength(5);
    expect(s.checks.find((c: { name: string }) => c.name.startsWith('CT5-18 minimum')).pass).toBe(true);
  });

  it('the policy module graph reaches neither the simulator nor rl/envs', () => {
    const src = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');
    const seen = new Set<string>();
    const stack = [join(src, 'rl/policy.ts')];
    while (stack.length > 0) {
      const f = stack.pop() as string;
      if (seen.has(f)) continue;
      seen.add(f);
      for (const m of readFileSync(f, 'utf8').matchAll(/(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]/g)) stack.push(resolve(dirname(f), m[1].replace(/\.js$/, '.ts')));
    }
    for (const f of seen) expect(f.slice(src.length + 1)).not.toMatch(/^(core\/simulation|platform\/|cluster\/|scenario\/|rl\/envs\/)/);
  });

  it('baselines through eval, and clear errors for bad flags', async () => {
    const env = shortEnvFile();
    const a = io();
    expect(await main(['eval', env, '--policy', 'kubernetes', '--quiet'], a)).toBe(0);
    expect(a.stdout).toMatch(/native Kubernetes/);
    const bad = async (args: string[], re: RegExp): Promise<void> => {
      const x = io();
      expect(await main(args, x)).toBe(2);
      expect(x.stderr).toMatch(re);
    };
    await bad(['train', env, '--variant', 'fancy'], /--variant: expected one of fullmap, custom, kubernetes, oracle, found "fancy"/);
    await bad(['train', env], /--variant: required/);
    await bad(['train', env, '--variant', 'custom', '--agent', 'ppo'], /--agent: expected dqn/);
    await bad(['train', env, '--variant', 'custom', '--steps', '0'], /--steps: expected a positive integer/);
    await bad(['eval', env, '--policy', '/nope'], /--policy: expected a trained policy directory .* found "\/nope"/);
    await bad(['eval', env], /--policy: required/);
    await bad(['train', 'experiments/drl-training.yaml', '--variant', 'custom'], /drl-training experiment file lists its variants/);
  });
});
