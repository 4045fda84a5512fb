/**
 * The published numbers of study 2 Exp. 1 (Nguyen 2020, Tables 2–4, Sec. 6.1, 6.1.1) as
 * calibration-targets.md lists them (CT2-1…CT2-14, CT2-17, CT2-19…CT2-22). Series A is the
 * 8×8×8 model over the 2/10/20/40 MB data sets. Seconds.
 */

/** Data-set sizes of series A, MB. */
export const SERIES_A_SIZES_MB: readonly number[] = [2, 10, 20, 40];
/** Hidden widths of series B (model w×w×w on the 20 MB data set). */
export const SERIES_B_WIDTHS: readonly number[] = [8, 16, 32, 64];
export const SERIES_B_SIZE_MB = 20;

/** A per-size target: one value per series-A size, relative tolerance. */
export interface PointTarget {
  id: string;
  job: string;
  quantity: 'lifetime' | 'cell';
  values: readonly number[];
  tolerance: number;
}

/** A range target: each size's mean within [lo, hi] widened by `widen` (relative) at both ends. */
export interface RangeTarget {
  id: string;
  job: string;
  quantity: 'lifetime';
  lo: number;
  hi: number;
  widen: number;
}

/** CT2-1…CT2-4 and CT2-11…CT2-14 (Tables 2 and 4). */
export const POINT_TARGETS: readonly PointTarget[] = [
  { id: 'CT2-1', job: 'dnnfit', quantity: 'lifetime', values: [70.5, 240, 460, 880.6], tolerance: 0.10 },
  { id: 'CT2-2', job: 'plot', quantity: 'lifetime', values: [33.2, 56.5, 85.8, 136.8], tolerance: 0.15 },
  { id: 'CT2-3', job: 'dnneval', quantity: 'lifetime', values: [24.3, 26, 26.3, 31.7], tolerance: 0.15 },
  { id: 'CT2-4', job: 'dnnpredict', quantity: 'lifetime', values: [21.0, 26.7, 25.3, 32.0], tolerance: 0.15 },
  { id: 'CT2-11', job: 'dnnfit', quantity: 'cell', values: [43.5, 215.9, 429.5, 852.4], tolerance: 0.10 },
  { id: 'CT2-12', job: 'plot', quantity: 'cell', values: [3.7, 10.9, 20.5, 39.7], tolerance: 0.15 },
  { id: 'CT2-13', job: 'dnneval', quantity: 'cell', values: [0.68, 2.3, 4.1, 7.8], tolerance: 0.20 },
  { id: 'CT2-14', job: 'preprocessing', quantity: 'cell', values: [0.84, 1.7, 2.4, 3.5], tolerance: 0.20 },
];

/** CT2-5…CT2-10 (Table 3). */
export const RANGE_TARGETS: readonly RangeTarget[] = [
  { id: 'CT2-5', job: 'preprocessing', quantity: 'lifetime', lo: 27.7, hi: 29.8, widen: 0.10 },
  { id: 'CT2-6', job: 'createdict', quantity: 'lifetime', lo: 18.2, hi: 22.7, widen: 0.10 },
  { id: 'CT2-7', job: 'dnncompile', quantity: 'lifetime', lo: 21.3, hi: 25.3, widen: 0.10 },
  { id: 'CT2-8', job: 'dnnpredictsummary', quantity: 'lifetime', lo: 17.8, hi: 18.5, widen: 0.10 },
  { id: 'CT2-9', job: 'modelerrorssummary', quantity: 'lifetime', lo: 20, hi: 25.3, widen: 0.10 },
  { id: 'CT2-10', job: 'kale-marshall-volume', quantity: 'lifetime', lo: 3.3, hi: 6.3, widen: 0.15 },
];

/** The widened range of a range target. */
export function widenedRange(t: RangeTarget): { lo: number; hi: number } {
  return { lo: t.lo * (1 - t.widen), hi: t.hi * (1 + t.widen) };
}

/** CT2-17: trainable parameters of 8×8×8 / 16×16×16 / 32×32×32 / 64×64×64, ±0.5%. */
export const CT2_17 = { id: 'CT2-17', widths: [8, 16, 32, 64] as readonly number[], values: [185, 626, 2273, 8648] as readonly number[], tolerance: 0.005 };
/** CT2-21: claim → bound of the 1 GB PVC, "roughly 3 seconds", ±25%. */
export const CT2_21 = { id: 'CT2-21', seconds: 3, tolerance: 0.25 };
/** CT2-22: prepended import code per job, 3–4 s. */
export const CT2_22 = { id: 'CT2-22', lo: 3, hi: 4 };
