/**
 * The stage model of a notebook pipeline job (study 2 modelling notes "Job pod lifecycle",
 * "Fixed vs size-dependent non-cell time", "Cell compute model"): pure formulas for the data
 * set's rows and splits, the trainable parameters of the dense network, the CPU work of a
 * cell, the marshalling cost of the variables a job loads and saves on the PVC, the figure
 * rendering after the cell, and the expected duration of every stage. kube-job.ts runs the
 * same stages on the simulator (with the random draws); fit.ts fits the unreported stage
 * durations with `expectedJobStages`.
 *
 * Units: seconds (CPU work in core-seconds at speed 1), bytes, rows.
 */

/** The data set (study 2 "Exp. 1 workload"). */
export interface DatasetModel {
  /** Bytes of the base data set (≈650 kB) and its rows (28.7K). Rows ∝ bytes (derived). */
  readonly baseBytes: number;
  readonly baseRows: number;
  /** Train share of the split (0.8). */
  readonly trainFraction: number;
  /** Keras validation_split of the training rows (0.2). */
  readonly validationSplit: number;
}

/** Rows of the splits of a data set of `bytes`. */
export interface DatasetSplit {
  rows: number;
  train: number;
  test: number;
  /** Training rows Keras fits on (train × (1 − validation_split)). */
  fit: number;
  /** Training rows Keras validates on. */
  validation: number;
}

/** Rows ∝ bytes (study 2: 2/10/20/40 MB made by duplicating the 650 kB set ⇒ 0.09/0.44/0.88/1.77 M rows). */
export function datasetSplit(bytes: number, ds: DatasetModel): DatasetSplit {
  if (!(bytes > 0)) throw new RangeError(`datasetSplit: bytes: expected > 0, found ${bytes}`);
  const rows = Math.round((bytes / ds.baseBytes) * ds.baseRows);
  const train = Math.round(rows * ds.trainFraction);
  // Keras: split_at = int(n · (1 − validation_split)); the tail validates.
  const fit = Math.floor(train * (1 - ds.validationSplit));
  return { rows, train, test: rows - train, fit, validation: train - fit };
}

/**
 * Trainable parameters of a dense stack inputs → hidden… → outputs: Σ (fan-in + 1) · fan-out.
 * 3 → w → w → w → 1 gives 185 / 625 / 2273 / 8641 for w = 8 / 16 / 32 / 64 (study 2 CT2-17).
 */
export function denseTrainableParams(inputs: number, hidden: readonly number[], outputs: number): number {
  const widths = [inputs, ...hidden, outputs];
  for (const [i, w] of widths.entries()) {
    if (!(Number.isInteger(w) && w >= 1)) throw new RangeError(`denseTrainableParams: layer ${i}: expected an integer width ≥ 1, found ${w}`);
  }
  let p = 0;
  for (let i = 1; i < widths.length; i++) p += (widths[i - 1] + 1) * widths[i];
  return p;
}

/** Per-step and per-sample costs of the Keras model (study 2 modelling note "Cell compute model"). */
export interface ComputeModel {
  readonly epochs: number;
  readonly batchSize: number;
  /** Framework cost of one training step, s (fitted to CT2-11). */
  readonly trainStepFixed: number;
  /** Framework cost of one inference sample, s (fitted to CT2-13). */
  readonly inferSampleFixed: number;
  /** FLOPs per trainable parameter per sample: training (forward + backward) and inference. */
  readonly trainFlopsPerParam: number;
  readonly inferFlopsPerParam: number;
  /** Effective FLOP/s of the parameter term. */
  readonly flopRate: number;
}

/** One training step of `batchSize` samples, s: fixed framework cost + a term ∝ parameters. */
export function trainStepSeconds(params: number, c: ComputeModel): number {
  return c.trainStepFixed + (c.trainFlopsPerParam * params * c.batchSize) / c.flopRate;
}

/** One inference sample, s. */
export function inferSampleSeconds(params: number, c: ComputeModel): number {
  return c.inferSampleFixed + (c.inferFlopsPerParam * params) / c.flopRate;
}

/** What a cell computes. */
export interface CellSpec {
  /** Fixed CPU work, core-s. */
  readonly fixed: number;
  /** CPU work per MB of data set, core-s/MB (e.g. building the pair plot). */
  readonly perMB: number;
  /** Keras fit: epochs × (⌈fit rows / batch⌉ steps + validation samples). */
  readonly train: boolean;
  /** Keras evaluate/predict on the test split. */
  readonly inferOnTest: boolean;
  /** Download the data set over the network (preprocessing). */
  readonly download: boolean;
}

/** CPU work of a cell, core-s at speed 1 (the download is separate: `downloadSeconds`). */
export function cellCpuSeconds(cell: CellSpec, datasetMB: number, split: DatasetSplit, params: number, c: ComputeModel): number {
  let w = cell.fixed + cell.perMB * datasetMB;
  if (cell.train) {
    const steps = Math.ceil(split.fit / c.batchSize);
    w += c.epochs * (steps * trainStepSeconds(params, c) + split.validation * inferSampleSeconds(params, c));
  }
  if (cell.inferOnTest) w += split.test * inferSampleSeconds(params, c);
  return w;
}

/** Time to download `bytes` at `rate` bytes/s, s. */
export function downloadSeconds(bytes: number, rate: number): number {
  return bytes / rate;
}

/** A variable Kale marshals through the PVC. */
export interface VariableSpec {
  readonly kind: 'table' | 'keras-model' | 'object';
  /** Rows of a table: the train or test split. */
  readonly rowsOf?: 'train' | 'test';
  /** Marshalled bytes per row of a table. */
  readonly bytesPerRow?: number;
  /** Bytes of an object (default 0). */
  readonly bytes?: number;
}

/** Costs of marshalling (Kale's dill/Keras save through the PVC). */
export interface MarshalCosts {
  /** Per variable loaded or saved, s (fitted). */
  readonly perVariable: number;
  /** Extra to save / load a Keras model (SavedModel), s (fitted). */
  readonly kerasSave: number;
  readonly kerasLoad: number;
  /** PVC (Cinder) throughput, bytes/s. */
  readonly volumeThroughput: number;
  /** Bytes per trainable parameter of a saved Keras model (weights + optimizer slots). */
  readonly kerasBytesPerParam: number;
}

/** Marshalled bytes of a variable. */
export function variableBytes(v: VariableSpec, split: DatasetSplit, params: number, m: MarshalCosts): number {
  switch (v.kind) {
    case 'table': return (v.rowsOf === 'test' ? split.test : split.train) * (v.bytesPerRow ?? 0);
    case 'keras-model': return params * m.kerasBytesPerParam + (v.bytes ?? 0);
    case 'object': return v.bytes ?? 0;
  }
}

/** Fixed (non-I/O) time of loading or saving a variable, s. */
export function marshalFixedSeconds(v: VariableSpec, direction: 'load' | 'save', m: MarshalCosts): number {
  const keras = v.kind === 'keras-model' ? (direction === 'load' ? m.kerasLoad : m.kerasSave) : 0;
  return m.perVariable + keras;
}

/** Figures a cell draws; the inline backend rasterises them after the cell (outside its timer). */
export interface FigureSpec {
  /** Axes drawn (the 4-variable pair plot has 16 panels; a loss curve or a histogram 1). */
  readonly panels: number;
  /** Points drawn per training row (the pair plot draws every training point in each panel). */
  readonly pointsPerTrainRow: number;
  /** Points independent of the data set. */
  readonly points: number;
}

/** Rendering costs. */
export interface RenderCosts {
  /** Per panel (axes, ticks, labels, PNG encoding), s (fitted to CT2-2). */
  readonly perPanel: number;
  /** Per point drawn, s (fitted to CT2-2). */
  readonly perPoint: number;
}

/** CPU work of rasterising a job's figures, core-s. */
export function renderSeconds(f: FigureSpec, split: DatasetSplit, r: RenderCosts): number {
  return f.panels * r.perPanel + (f.pointsPerTrainRow * split.train + f.points) * r.perPoint;
}
