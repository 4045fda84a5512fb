/** Configuration of the basic serving model (already validated; units in the field docs). */
import type { Distribution } from '../../core/distributions.js';
import type { Time } from '../../core/time.js';

export interface ServingNode {
  name: string;
  /** CPU cores; each executing request holds one core. */
  cores: number;
  /** Speed factor: service times are divided by it (1 = reference node). */
  speed: number;
}

/** Open-loop arrival process of one function. */
export type ServingArrivals = { type: 'poisson'; /** requests per second */ rate: number };

export interface ServingFunction {
  name: string;
  /** Node index (into ServingConfig.nodes) of each replica. */
  replicaNodes: number[];
  /** Requests a replica serves at once (the rest wait in its FIFO queue). */
  concurrency: number;
  /** Service time in milliseconds on a speed-1 node. */
  serviceTime: Distribution;
  arrivals: ServingArrivals;
  /** Client timeout measured from arrival, µs (undefined: no timeout). */
  timeout?: Time;
}

export interface ServingConfig {
  nodes: ServingNode[];
  functions: ServingFunction[];
  /** Keep one record per request (for requests.csv). */
  recordRequests: boolean;
}
