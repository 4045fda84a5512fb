// Emitted jobs: the Kubernetes Indexed Job parses as YAML with completions = shards and a
// pod command that runs shard $JOB_COMPLETION_INDEX; the Slurm script is an array over the
// shards. The commands are run through sh (with echo as servesim) to check the expansion.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { parse } from 'yaml';
import { emitK8sJob, emitSlurm } from '../../src/experiment/sweep/emit.js';
import { planSweep } from '../../src/experiment/sweep/runner.js';
import { SMALL_SWEEP_YAML, writeScenario } from './helpers.js';

const file = writeScenario(SMALL_SWEEP_YAML, 'my sweep.yaml');
const { plan } = planSweep(file, { set: ['functions[1].arrivals.rate=12'], until: 15_000_000 });

interface JobDoc {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels: Record<string, string> };
  spec: {
    completionMode: string;
    completions: number;
    parallelism: number;
    template: { spec: { restartPolicy: string; containers: { image: string; command: string[]; volumeMounts: { mountPath: string }[] }[]; volumes: { persistentVolumeClaim: { claimName: string } }[] } };
  };
}

describe('--emit k8s-job', () => {
  const yamlText = emitK8sJob(plan, { shards: 5, resultsDir: '/results/small', image: 'reg/servesim:0.1', claim: 'pvc1' });
  const job = parse(yamlText) as JobDoc;

  it('is an Indexed Job with one completion per shard', () => {
    expect(job.apiVersion).toBe('batch/v1');
    expect(job.kind).toBe('Job');
    expect(job.metadata.name).toBe('servesim-small-sweep');
    expect(job.metadata.labels['servesim/sweep']).toBe(plan.sweepId);
    expect(job.spec.completionMode).toBe('Indexed');
    expect(job.spec.completions).toBe(5);
    expect(job.spec.parallelism).toBe(5);
    const pod = job.spec.template.spec;
    expect(pod.restartPolicy).toBe('Never');
    expect(pod.containers[0].image).toBe('reg/servesim:0.1');
    expect(pod.containers[0].volumeMounts[0].mountPath).toBe('/results/small');
    expect(pod.volumes[0].persistentVolumeClaim.claimName).toBe('pvc1');
    expect(yamlText).toMatch(/^# .*12 points in 5 shards/m);
  });

  it('each pod runs its shard from JOB_COMPLETION_INDEX with the same overrides', () => {
    const [sh, flag, cmd] = job.spec.template.spec.containers[0].command;
    expect([sh, flag]).toEqual(['sh', '-c']);
    const expanded = execFileSync('sh', ['-c', cmd.replace(/^servesim /, 'echo ')], { env: { ...process.env, JOB_COMPLETION_INDEX: '3' }, encoding: 'utf8' }).trim();
    expect(expanded).toBe(`sweep ${file} --set functions[1].arrivals.rate=12 --until 15s --shard 3/5 --out /results/small/shard-3 --resume --jobs 1 --quiet`);
  });
});

describe('--emit slurm', () => {
  const script = emitSlurm(plan, { shards: 4, resultsDir: '/scratch/r', command: 'node bin/servesim.js', jobsPerShard: 2 });

  it('is a job array over the shards', () => {
    expect(script.startsWith('#!/bin/bash\n')).toBe(true);
    expect(script).toContain('#SBATCH --array=0-3\n');
    expect(script).toContain('#SBATCH --cpus-per-task=2\n');
    expect(script).toContain('#SBATCH --job-name=servesim-small-sweep\n');
  });

  it('task i runs shard i/n (checked by running the exec line through sh)', () => {
    const exec = script.split('\n').find((l) => l.startsWith('exec '));
    expect(exec).toBeDefined();
    const line = exec!.replace(/^exec node bin\/servesim\.js /, 'echo ');
    const out = execFileSync('sh', ['-c', line], { env: { ...process.env, SLURM_ARRAY_TASK_ID: '2' }, encoding: 'utf8' }).trim();
    expect(out).toBe(`sweep ${file} --set functions[1].arrivals.rate=12 --until 15s --shard 2/4 --out /scratch/r/shard-2 --resume --jobs 2 --quiet`);
    // The file name has a space: it reaches the command as one argument.
    expect(exec).toContain(`'${file}'`);
  });
});
