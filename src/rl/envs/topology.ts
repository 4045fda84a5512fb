/**
 * What the scheduler may change in the workflow deployment (calibration-targets.md, "DRL scheduler
 * design", Action spaces): movable units (Framer; FaceDetector; FaceAnalyzer + Mobilenet moved as
 * one), functions pinned to a node (Outputter on w01, suggested), the functions scaled together
 * (FaceAnalyzer and Mobilenet, ±1 replica clipped to [1, Rs]) and the reset configuration (all
 * functions on w01, 1 replica; §5.2.5). Built from the scenario, never hard-coded, so the action
 * spaces follow the scenario's units × nodes (spec "portability").
 */

/** A unit the agent moves as a whole. */
export interface MovableUnit {
  /** Short name used in action names, e.g. FR, FD, ML. */
  readonly name: string;
  readonly functions: readonly string[];
  /**
   * In the Custom variant: 'nodes' = one action per destination node; 'min-c0' = one action that
   * moves the unit to the worker with the lowest C0 (the spec's ML action).
   */
  readonly custom: 'nodes' | 'min-c0';
}

/** The deployment the scheduler controls. */
export interface WorkflowTopology {
  /** Worker node names in observation order. */
  readonly nodes: readonly string[];
  /** Workflow functions in observation order. */
  readonly functions: readonly string[];
  readonly units: readonly MovableUnit[];
  /** Functions that never move, with their node. */
  readonly pinned: Readonly<Record<string, string>>;
  /** Functions scaled together by the scale actions (their replica count is r). */
  readonly scalable: readonly string[];
  /** Node of every movable unit after reset. */
  readonly initialNode: string;
  /** Replica count of the scalable functions after reset (not reported; suggested 1). */
  readonly initialReplicas: number;
  /** Replica budget Rs (scale actions clip to [1, Rs]). */
  readonly maxReplicas: number;
}

/** The study's topology on the four workers (spec defaults). */
export function studyTopology(nodes: readonly string[] = ['w01', 'w02', 'w03', 'w04']): WorkflowTopology {
  return {
    nodes,
    functions: ['Framer', 'FaceDetector', 'FaceAnalyzer', 'Mobilenet', 'Outputter'],
    units: [
      { name: 'FR', functions: ['Framer'], custom: 'nodes' },
      { name: 'FD', functions: ['FaceDetector'], custom: 'nodes' },
      { name: 'ML', functions: ['FaceAnalyzer', 'Mobilenet'], custom: 'min-c0' },
    ],
    pinned: { Outputter: nodes[0] },
    scalable: ['FaceAnalyzer', 'Mobilenet'],
    initialNode: nodes[0],
    initialReplicas: 1,
    maxReplicas: 4,
  };
}

/**
 * Check the topology: every function is in exactly one unit or pinned, nodes exist, the
 * scalable functions exist, replica bounds are consistent. The error names the field.
 */
export function validateTopology(t: WorkflowTopology): void {
  if (t.nodes.length === 0) throw new RangeError('topology.nodes: expected at least one node, found none');
  if (new Set(t.nodes).size !== t.nodes.length) throw new RangeError(`topology.nodes: names must be unique, found ${t.nodes.join(', ')}`);
  const owner = new Map<string, string>();
  t.units.forEach((u, i) => {
    if (u.functions.length === 0) throw new RangeError(`topology.units[${i}] '${u.name}': expected at least one function`);
    for (const f of u.functions) {
      if (!t.functions.includes(f)) throw new RangeError(`topology.units[${i}] '${u.name}': unknown function '${f}'; expected one of ${t.functions.join(', ')}`);
      if (owner.has(f)) throw new RangeError(`topology.units[${i}] '${u.name}': function '${f}' already belongs to ${owner.get(f)}`);
      owner.set(f, u.name);
    }
  });
  if (new Set(t.units.map((u) => u.name)).size !== t.units.length) throw new RangeError('topology.units: unit names must be unique');
  for (const [f, n] of Object.entries(t.pinned)) {
    if (!t.functions.includes(f)) throw new RangeError(`topology.pinned.${f}: unknown function; expected one of ${t.functions.join(', ')}`);
    if (owner.has(f)) throw new RangeError(`topology.pinned.${f}: the function is also in unit ${owner.get(f)}`);
    if (!t.nodes.includes(n)) throw new RangeError(`topology.pinned.${f}: unknown node '${n}'; expected one of ${t.nodes.join(', ')}`);
    owner.set(f, 'pinned');
  }
  for (const f of t.functions) if (!owner.has(f)) throw new RangeError(`topology: function '${f}' is neither in a unit nor pinned`);
  for (const f of t.scalable) if (!t.functions.includes(f)) throw new RangeError(`topology.scalable: unknown function '${f}'`);
  if (!t.nodes.includes(t.initialNode)) throw new RangeError(`topology.initialNode: unknown node '${t.initialNode}'; expected one of ${t.nodes.join(', ')}`);
  if (!Number.isInteger(t.maxReplicas) || t.maxReplicas < 1) throw new RangeError(`topology.maxReplicas: expected a positive integer, found ${t.maxReplicas}`);
  if (!Number.isInteger(t.initialReplicas) || t.initialReplicas < 1 || t.initialReplicas > t.maxReplicas) {
    throw new RangeError(`topology.initialReplicas: expected an integer in [1, ${t.maxReplicas}], found ${t.initialReplicas}`);
  }
}

/**
 * A deployment configuration: the node index of every function (in `functions` order) and the
 * replica count r of the scalable functions. Actions move whole units; the native Kubernetes
 * baseline places every function on its own.
 */
export interface Configuration {
  readonly fnNodes: readonly number[];
  readonly replicas: number;
}

/** The reset configuration: units on the initial node, pinned functions on theirs, initial replicas. */
export function initialConfiguration(t: WorkflowTopology): Configuration {
  const n = t.nodes.indexOf(t.initialNode);
  return configurationOf(t, t.units.map(() => n), t.initialReplicas);
}

/** The configuration with unit i on node `unitNodes[i]`, pinned functions on their nodes. */
export function configurationOf(t: WorkflowTopology, unitNodes: readonly number[], replicas: number): Configuration {
  const fnNodes = t.functions.map((f) => {
    const pin = t.pinned[f];
    if (pin !== undefined) return t.nodes.indexOf(pin);
    return unitNodes[t.units.findIndex((x) => x.functions.includes(f))];
  });
  return { fnNodes, replicas };
}

/** `c` with every function of unit `u` on node `node`. */
export function moveUnit(t: WorkflowTopology, c: Configuration, u: number, node: number): Configuration {
  const fnNodes = c.fnNodes.slice();
  for (const f of t.units[u].functions) fnNodes[t.functions.indexOf(f)] = node;
  return { fnNodes, replicas: c.replicas };
}

/** Node of unit `u`: the node of its first function. */
export function unitNode(t: WorkflowTopology, c: Configuration, u: number): number {
  return c.fnNodes[t.functions.indexOf(t.units[u].functions[0])];
}

/** True when every function of unit `u` is on `node`. */
export function unitOn(t: WorkflowTopology, c: Configuration, u: number, node: number): boolean {
  return t.units[u].functions.every((f) => c.fnNodes[t.functions.indexOf(f)] === node);
}

/** sp: the number of distinct workers hosting at least one workflow pod (spec Reward defaults). */
export function serversInUse(c: Configuration): number {
  return new Set(c.fnNodes).size;
}

/** Every unit placement (nodes^units, pinned functions fixed) × replica counts 1..Rs: the exhaustive sweep (CT5-17). */
export function allConfigurations(t: WorkflowTopology): Configuration[] {
  const out: Configuration[] = [];
  const u = t.units.length;
  const n = t.nodes.length;
  const total = n ** u;
  for (let r = 1; r <= t.maxReplicas; r++) {
    for (let k = 0; k < total; k++) {
      const nodes: number[] = [];
      let x = k;
      for (let i = 0; i < u; i++) {
        nodes.push(x % n);
        x = Math.floor(x / n);
      }
      out.push(configurationOf(t, nodes, r));
    }
  }
  return out;
}

/** Human-readable configuration, e.g. `Framer@w01 FaceDetector@w02 … r=2`. */
export function describeConfiguration(t: WorkflowTopology, c: Configuration): string {
  return `${t.functions.map((f, i) => `${f}@${t.nodes[c.fnNodes[i]]}`).join(' ')} r=${c.replicas}`;
}

/** Equality of two configurations. */
export function sameConfiguration(a: Configuration, b: Configuration): boolean {
  return a.replicas === b.replicas && a.fnNodes.every((n, i) => n === b.fnNodes[i]);
}
