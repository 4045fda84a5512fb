/**
 * Score normalisation helpers.
 * Source: platform-semantics.md c.3 (`helper/normalize_score.go` DefaultNormalizeScore).
 */
import { MAX_NODE_SCORE } from './types.js';

/**
 * DefaultNormalizeScore(maxPriority, reverse): score = maxPriority·score / maxCount (integer
 * division); reverse → maxPriority − score. When maxCount = 0: all maxPriority if reverse, else
 * unchanged. In place.
 */
export function defaultNormalizeScore(scores: number[], reverse: boolean, maxPriority = MAX_NODE_SCORE): void {
  let maxCount = 0;
  for (const s of scores) if (s > maxCount) maxCount = s;
  if (maxCount === 0) {
    if (reverse) for (let i = 0; i < scores.length; i++) scores[i] = maxPriority;
    return;
  }
  for (let i = 0; i < scores.length; i++) {
    let s = Math.trunc((maxPriority * scores[i]) / maxCount);
    if (reverse) s = maxPriority - s;
    scores[i] = s;
  }
}
