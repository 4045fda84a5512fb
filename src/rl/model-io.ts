/**
 * Save and load tfjs LayersModels to a directory with node fs (issue 7 item 6), in the tfjs
 * `file://` layout: `model.json` (topology + weights manifest) and `weights.bin` (one weight
 * group). Implemented over `tf.io.withSaveHandler` / `tf.io.fromMemory` because the native
 * `file://` handler ships only with tfjs-node, which cannot be installed here
 * (platform-semantics.md f.4).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { writeFileAtomicSync } from './atomic-write.js';

/** File names inside a saved model directory. */
export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

/** Save `model` into `dir` (created if missing); each file is written atomically. */
export async function saveModelToDir(model: tf.LayersModel, dir: string): Promise<void> {
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      if (artifacts.weightSpecs === undefined || artifacts.weightData === undefined) {
        throw new Error('saveModelToDir: the model produced no weights to save');
      }
      const data = Array.isArray(artifacts.weightData) ? tf.io.concatenateArrayBuffers(artifacts.weightData) : artifacts.weightData;
      writeFileAtomicSync(join(dir, WEIGHTS_BIN), new Uint8Array(data));
      const modelJson = {
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [`./${WEIGHTS_BIN}`], weights: artifacts.weightSpecs }],
      };
      writeFileAtomicSync(join(dir, MODEL_JSON), JSON.stringify(modelJson));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
}

/** Load a model saved by `saveModelToDir`; errors name the file and what is wrong. */
export async function loadModelFromDir(dir: string): Promise<tf.LayersModel> {
  const jsonPath = join(dir, MODEL_JSON);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(jsonPath, 'utf8'));
  } catch (e) {
    throw new Error(`${jsonPath}: cannot read the model (${e instanceof Error ? e.message : String(e)})`);
  }
  const m = parsed as { modelTopology?: object; weightsManifest?: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[] };
  if (typeof m !== 'object' || m === null || typeof m.modelTopology !== 'object' || !Array.isArray(m.weightsManifest)) {
    throw new Error(`${jsonPath}: expected an object with modelTopology and weightsManifest`);
  }
  const weightSpecs: tf.io.WeightsManifestEntry[] = [];
  const buffers: ArrayBuffer[] = [];
  m.weightsManifest.forEach((group, g) => {
    if (!Array.isArray(group.paths) || !Array.isArray(group.weights)) throw new Error(`${jsonPath}: weightsManifest[${g}] needs paths and weights lists`);
    weightSpecs.push(...group.weights);
    for (const p of group.paths) {
      const file = join(dir, p);
      let bytes: Buffer;
      try {
        bytes = readFileSync(file);
      } catch (e) {
        throw new Error(`${file}: cannot read weights listed in ${jsonPath} (${e instanceof Error ? e.message : String(e)})`);
      }
      buffers.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    }
  });
  const weightData = tf.io.concatenateArrayBuffers(buffers);
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: m.modelTopology, weightSpecs, weightData }));
}
