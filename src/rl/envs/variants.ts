/**
 * The four scheduler variants as discrete action spaces (calibration-targets.md, "DRL scheduler
 * design", Action spaces; CT5-20 sizes 15 / 12 / 4 / 4 on the study topology), built from the
 * topology's units × nodes:
 *
 * - fullmap: a = |nodes|·u + n moves unit u to node n; then scale up, scale down, no-op.
 * - custom: per unit either one action per node or one "to the worker with minimum C0"; then
 *   scale up, scale down, no-op (study: FR→w01…w04, FD→w01…w04, ML→argmin C0, +, −, no-op).
 * - kubernetes / oracle: one "move unit u" per unit, then no-op; the destination is chosen by the
 *   kube-scheduler or by the offline profile.
 *
 * Masks (optional, off in the study's SB3 setup): with masking 'redundant', a move to the unit's
 * current node and a scale beyond [1, Rs] are masked; the semantics without masks are the spec's
 * (a move to the current node and a clipped scale are no-ops).
 */
import { discreteSpace, type DiscreteSpace } from '../spaces.js';
import { unitOn, type Configuration, type WorkflowTopology } from './topology.js';

export const VARIANTS = ['fullmap', 'custom', 'kubernetes', 'oracle'] as const;
export type Variant = (typeof VARIANTS)[number];

/** Where a move goes. */
export type Destination = { readonly kind: 'node'; readonly node: number } | { readonly kind: 'min-c0' } | { readonly kind: 'kubernetes' } | { readonly kind: 'oracle' };

/** A decoded action. */
export type DecodedAction =
  | { readonly kind: 'move'; readonly unit: number; readonly dest: Destination }
  | { readonly kind: 'scale'; readonly delta: 1 | -1 }
  | { readonly kind: 'noop' };

/** A variant's action space and its decoding table. */
export interface VariantActions {
  readonly variant: Variant;
  readonly space: DiscreteSpace;
  readonly decode: readonly DecodedAction[];
}

/** Check a variant name; the error lists the expected ones. */
export function parseVariant(v: unknown, where = 'variant'): Variant {
  if (typeof v === 'string' && (VARIANTS as readonly string[]).includes(v)) return v as Variant;
  throw new RangeError(`${where}: expected one of ${VARIANTS.join(', ')}, found ${JSON.stringify(v)}`);
}

/** Build the action space of `variant` on topology `t`. */
export function variantActions(variant: Variant, t: WorkflowTopology): VariantActions {
  const acts: { name: string; meaning: string; d: DecodedAction }[] = [];
  const scaled = t.scalable.join(' + ');
  const scaleAndNoop = (): void => {
    acts.push({ name: 'scale-up', meaning: `+1 replica of ${scaled}, clipped to Rs = ${t.maxReplicas}`, d: { kind: 'scale', delta: 1 } });
    acts.push({ name: 'scale-down', meaning: `-1 replica of ${scaled}, clipped to 1`, d: { kind: 'scale', delta: -1 } });
  };
  const unitText = (u: number): string => `${t.units[u].name} (${t.units[u].functions.join(' + ')})`;
  switch (variant) {
    case 'fullmap':
      t.units.forEach((_, u) => t.nodes.forEach((node, n) => acts.push({ name: `${t.units[u].name}->${node}`, meaning: `move ${unitText(u)} to ${node}`, d: { kind: 'move', unit: u, dest: { kind: 'node', node: n } } })));
      scaleAndNoop();
      break;
    case 'custom':
      t.units.forEach((unit, u) => {
        if (unit.custom === 'min-c0') acts.push({ name: `${unit.name}->min-c0`, meaning: `move ${unitText(u)} to the worker with the lowest C0 in the current state (ties: lowest index)`, d: { kind: 'move', unit: u, dest: { kind: 'min-c0' } } });
        else t.nodes.forEach((node, n) => acts.push({ name: `${unit.name}->${node}`, meaning: `move ${unitText(u)} to ${node}`, d: { kind: 'move', unit: u, dest: { kind: 'node', node: n } } }));
      });
      scaleAndNoop();
      break;
    case 'kubernetes':
    case 'oracle':
      t.units.forEach((unit, u) =>
        acts.push({
          name: `move-${unit.name}`,
          meaning: variant === 'kubernetes' ? `redeploy ${unitText(u)} without node affinity; the kube-scheduler picks the node` : `move ${unitText(u)} to the node with the lowest profiled time at the current pressure (offline oracle)`,
          d: { kind: 'move', unit: u, dest: { kind: variant } },
        }),
      );
      break;
  }
  acts.push({ name: 'no-op', meaning: 'keep the current placement and replicas', d: { kind: 'noop' } });
  return { variant, space: discreteSpace(acts.map((a) => ({ name: a.name, meaning: a.meaning }))), decode: acts.map((a) => a.d) };
}

/** Masking mode: 'off' (all actions legal, the study's setup) or 'redundant'. */
export type Masking = 'off' | 'redundant';

/**
 * The action mask of `va` in configuration `c` (1 = legal). 'redundant' masks moves to the unit's
 * current node (fixed destinations only) and scales beyond [1, Rs]; the no-op stays legal.
 */
export function actionMask(va: VariantActions, t: WorkflowTopology, c: Configuration, out: Uint8Array = new Uint8Array(va.space.n)): Uint8Array {
  for (let a = 0; a < va.decode.length; a++) {
    const d = va.decode[a];
    let ok = true;
    if (d.kind === 'move' && d.dest.kind === 'node') ok = !unitOn(t, c, d.unit, d.dest.node);
    else if (d.kind === 'scale') ok = d.delta > 0 ? c.replicas < t.maxReplicas : c.replicas > 1;
    out[a] = ok ? 1 : 0;
  }
  return out;
}
