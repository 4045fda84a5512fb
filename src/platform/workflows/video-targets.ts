/**
 * Study 5 calibration targets (calibration-targets.md study 5, CT5-1…CT5-17) as data, the relative
 * quantities of "Measurement definitions", and the E6 placements. Pure; the experiments and the fit
 * share them.
 */

/** (old − new)/old: V1→V4 gap, slowdown base, queue-worker speed-up (study 5 convention). */
export function reduction(oldV: number, newV: number): number {
  return (oldV - newV) / oldV;
}

/** T_V1/T_V4 − 1 (the other convention, reported alongside). */
export function ratioMinusOne(a: number, b: number): number {
  return a / b - 1;
}

/** Slowdown under pressure: (T_p − T_0)/T_0. */
export function slowdown(t0: number, tp: number): number {
  return (tp - t0) / t0;
}

export const DRL_NODES = ['w01', 'w02', 'w03', 'w04'] as const;
export const INPUT_SIZES = [7, 16, 32, 65] as const;

/** CT5-1: worker inventory (vCPUs, memory GB, L3 MB). */
export const CT5_1 = {
  w01: { cores: 8, memoryGB: 15.6, l3MB: 28 },
  w02: { cores: 8, memoryGB: 15.6, l3MB: 28 },
  w03: { cores: 16, memoryGB: 31.4, l3MB: 14 },
  w04: { cores: 4, memoryGB: 15.6, l3MB: 30 },
} as const;

/** CT5-2: 50 % → occupied cores. */
export const CT5_2 = { w01: 4, w03: 8, w04: 2 } as const;
/** CT5-3: functions per version. */
export const CT5_3 = { V1: 5, V2: 4, V3: 3, V4: 2 } as const;
/** CT5-4: V1→V4 gap on w01 at 65 frames, 46.5 % (band 40–52 %). */
export const CT5_4 = { value: 0.465, lo: 0.40, hi: 0.52 } as const;
/** CT5-6: V1→V4 gap at 65 frames per node, ±5 pp. */
export const CT5_6 = { w01: 0.45, w02: 0.39, w03: 0.33, w04: 0.23, tol: 0.05 } as const;
/** CT5-7 slack: the 65-frame gap is the largest of the four sizes within 2 pp. */
export const CT5_7_SLACK = 0.02;
/** CT5-8: slowdown 0 → 80 % CPU pressure, whole V1 on one node, ±5 pp. */
export const CT5_8 = { w01: 0.33, w02: 0.33, w03: 0.30, w04: 0.47, tol: 0.05 } as const;
/** CT5-9: slowdown at 10 % and 50 % on w01–w03 at most 0.10. */
export const CT5_9_MAX = 0.10;
/** CT5-12 / CT5-13: max / min queue-worker speed-up over 5 placements × 4 sizes, ±7 pp. */
export const CT5_12 = { value: 0.60, tol: 0.07, placement: 'davinci', frames: 65 } as const;
export const CT5_13 = { value: 0.20, tol: 0.07, placement: 'davinci-liono-coroni', frames: 7 } as const;
/** CT5-14: latency non-increasing in queue-workers within 0.4 s. */
export const CT5_14_SLACK = 0.4;
/** CT5-15: 65- vs 7-frame gap (max over placements), 1 and 16 queue-workers, ±15 %. */
export const CT5_15 = { qw1: 58, qw16: 15, tol: 0.15 } as const;
/** CT5-16: queue-worker memory per replica ≤ 10 MB. */
export const CT5_16_MAX_BYTES = 10e6;
/** CT5-17: 26 s and 35 s QoS targets. */
export const QOS_STRICT = 26;
export const QOS_LOOSE = 35;
/** CT5-19: reported − true latency ≤ 0.4 s. */
export const CT5_19_MAX = 0.4;

/** E6 placements: Framer, FaceDetector, the rest (FaceAnalyzer, Mobilenet, Outputter). */
export const E6_PLACEMENTS: Readonly<Record<string, readonly [string, string, string]>> = {
  davinci: ['w01', 'w01', 'w01'],
  liono: ['w02', 'w02', 'w02'],
  coroni: ['w03', 'w03', 'w03'],
  'davinci-liono': ['w01', 'w02', 'w02'],
  'davinci-liono-coroni': ['w01', 'w02', 'w03'],
};

/** V1 placement map of an E6 placement. */
export function e6Placement(name: string): Record<string, string> {
  const p = E6_PLACEMENTS[name];
  if (p === undefined) throw new RangeError(`E6 placement: expected one of ${Object.keys(E6_PLACEMENTS).join(', ')}, found "${name}"`);
  return { framer: p[0], facedetector: p[1], faceanalyzer: p[2], mobilenet: p[2], outputter: p[2] };
}

/** Tab 4.2 placements for E2 (faas-flow), V1 functions + wrapper; Version4 = V4 on w01. */
export const TAB_4_2: Readonly<Record<string, { version: 'V1' | 'V4'; placement: Record<string, string>; wrapper: string }>> = {
  Singlenode: { version: 'V1', placement: { framer: 'w01', facedetector: 'w01', faceanalyzer: 'w01', mobilenet: 'w01', outputter: 'w01' }, wrapper: 'w01' },
  'Multinode 1a': { version: 'V1', placement: { framer: 'w01', facedetector: 'w02', faceanalyzer: 'w03', mobilenet: 'w01', outputter: 'w02' }, wrapper: 'w01' },
  'Multinode 1b': { version: 'V1', placement: { framer: 'w01', facedetector: 'w02', faceanalyzer: 'w02', mobilenet: 'w01', outputter: 'w02' }, wrapper: 'w01' },
  'Multinode 1c': { version: 'V1', placement: { framer: 'w01', facedetector: 'w01', faceanalyzer: 'w02', mobilenet: 'w02', outputter: 'w02' }, wrapper: 'w02' },
  'Multinode 3': { version: 'V1', placement: { framer: 'w01', facedetector: 'w01', faceanalyzer: 'w01', mobilenet: 'w02', outputter: 'w02' }, wrapper: 'w02' },
  Version4: { version: 'V4', placement: { monolith: 'w01', outputter: 'w01' }, wrapper: 'w01' },
};
