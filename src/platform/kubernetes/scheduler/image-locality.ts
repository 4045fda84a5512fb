/**
 * ImageLocality score plugin.
 * Source: platform-semantics.md c.3: sum over the pod's containers (init + app) whose image is on
 * the node of size·(nodesWithImage/totalNodes), truncated per image; clamp to
 * [23 MiB, 1000 MiB·numContainers]; score = 100·(sum − min)/(max − min) (integer division).
 */
import type { CycleState, NodeInfo, PodSpec, ScorePlugin } from './types.js';
import { MAX_NODE_SCORE } from './types.js';

const MB = 1024 * 1024;
/** minThreshold = 23 MiB [c.3]. */
export const IMAGE_MIN_THRESHOLD = 23 * MB;
/** maxContainerThreshold = 1000 MiB per container [c.3]. */
export const IMAGE_MAX_CONTAINER_THRESHOLD = 1000 * MB;

/** Normalise an image reference: add `:latest` when there is no tag or digest. */
export function normalizeImageName(image: string): string {
  if (image.includes('@')) return image;
  const slash = image.lastIndexOf('/');
  return image.indexOf(':', slash + 1) >= 0 ? image : `${image}:latest`;
}

/** The final ImageLocality score from the summed scaled sizes and the container count [c.3]. */
export function imageLocalityPriority(sumScores: number, numContainers: number): number {
  const maxT = IMAGE_MAX_CONTAINER_THRESHOLD * numContainers;
  const s = Math.min(Math.max(sumScores, IMAGE_MIN_THRESHOLD), maxT);
  return Math.trunc((MAX_NODE_SCORE * (s - IMAGE_MIN_THRESHOLD)) / (maxT - IMAGE_MIN_THRESHOLD));
}

function imageCounts(state: CycleState): Map<string, number> {
  let m = state.cache.get('ImageLocality/counts') as Map<string, number> | undefined;
  if (m === undefined) {
    m = new Map();
    for (const ni of state.allNodes) {
      for (const img of ni.node.images ?? []) {
        const n = normalizeImageName(img.name);
        m.set(n, (m.get(n) ?? 0) + 1);
      }
    }
    state.cache.set('ImageLocality/counts', m);
  }
  return m;
}

function containersOf(pod: PodSpec): string[] {
  return [...(pod.initContainers ?? []), ...pod.containers].map((c) => normalizeImageName(c.image));
}

export const imageLocality: ScorePlugin = {
  name: 'ImageLocality',
  score(state, ni: NodeInfo) {
    const counts = imageCounts(state);
    const total = state.allNodes.length;
    const images = containersOf(state.pod);
    let sum = 0;
    for (const img of images) {
      const onNode = (ni.node.images ?? []).find((i) => normalizeImageName(i.name) === img);
      if (onNode === undefined) continue;
      sum += Math.trunc(onNode.sizeBytes * ((counts.get(img) ?? 0) / total));
    }
    return imageLocalityPriority(sum, images.length);
  },
};
