/**
 * OpenFaaS on the Kubernetes runtime: the gateway, the deployed functions, the async queue with
 * its queue-workers, the autoscaler (CE alert loop, Pro loop, or none) and the idler. One object
 * to deploy functions and invoke them synchronously or asynchronously.
 */
import type { KubeCluster } from '../kubernetes/runtime/cluster.js';
import { CeAutoscaler, ProAutoscaler, type ScaleEvent } from './autoscaler.js';
import { OpenFaasFunction, type OpenFaasFunctionSpec } from './function.js';
import { Gateway, type GatewayOptions } from './gateway.js';
import { Idler, type IdlerOptions } from './idler.js';
import type { AsyncInvocation, CallDoneCallback, SyncCall } from './invocation.js';
import { QueueWorkerPool, type QueueWorkerOptions } from './queue-worker.js';

export type AutoscalerKind = 'none' | 'ce' | 'pro';

export interface OpenFaasOptions {
  gateway?: GatewayOptions;
  /** Queue-worker pool (default CE, 1 replica, ack_wait 60 s). */
  queueWorker?: QueueWorkerOptions;
  /** Autoscaler (default 'none': replicas as deployed; study 5 setup default). */
  autoscaler?: AutoscalerKind;
  /** Pro poll interval, µs (default 5 s, an assumption). */
  proPollInterval?: number;
  /** Idler settings; absent = no idler. */
  idler?: IdlerOptions;
}

export class OpenFaas {
  readonly gateway: Gateway;
  readonly queue: QueueWorkerPool;
  readonly functions: OpenFaasFunction[] = [];
  readonly ce: CeAutoscaler | null;
  readonly pro: ProAutoscaler | null;
  readonly idler: Idler | null;

  constructor(readonly cluster: KubeCluster, opts: OpenFaasOptions = {}) {
    const sim = cluster.sim;
    this.gateway = new Gateway(sim, opts.gateway);
    this.queue = new QueueWorkerPool(sim, this.gateway, opts.queueWorker ?? { mode: 'ce' });
    const kind = opts.autoscaler ?? 'none';
    if (kind !== 'none' && kind !== 'ce' && kind !== 'pro') throw new RangeError(`openfaas.autoscaler: expected "none", "ce" or "pro", found ${JSON.stringify(kind)}`);
    this.ce = kind === 'ce' ? new CeAutoscaler(sim, []) : null;
    this.pro = kind === 'pro' ? new ProAutoscaler(sim, [], opts.proPollInterval) : null;
    this.idler = opts.idler !== undefined ? new Idler(sim, this.functions, opts.idler) : null;
    this.ce?.start();
    this.pro?.start();
    this.idler?.start();
  }

  /** Deploy a function (its pods start at once). */
  deploy(spec: OpenFaasFunctionSpec): OpenFaasFunction {
    if (this.gateway.function(spec.name) !== undefined) throw new Error(`openfaas: function "${spec.name}" is already deployed`);
    const fn = new OpenFaasFunction(this.cluster, spec);
    this.gateway.register(fn);
    this.functions.push(fn);
    this.ce?.add(fn);
    this.pro?.add(fn);
    return fn;
  }

  /** Synchronous invocation through the gateway. */
  invoke(name: string, onDone: CallDoneCallback | null = null, tag = 0): SyncCall {
    return this.gateway.invoke(name, onDone, tag);
  }

  /** Asynchronous invocation: 202 now, the queue-workers call the function later. */
  invokeAsync(name: string, onDone: ((a: AsyncInvocation) => void) | null = null, tag = 0): AsyncInvocation {
    return this.queue.enqueue(name, onDone, tag);
  }

  /** Every scaling action of the autoscaler and the idler, in time order per source. */
  scaleEvents(): ScaleEvent[] {
    return [...(this.ce?.events ?? []), ...(this.pro?.events ?? []), ...(this.idler?.events ?? [])].sort((a, b) => a.time - b.time);
  }
}
