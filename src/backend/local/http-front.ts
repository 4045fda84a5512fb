/**
 * LocalBackend's HTTP front: a real HTTP server on 127.0.0.1 (loopback only, ephemeral port)
 * that takes `POST /invoke/<function>` with a JSON body `{workCoreUs, features?, prediction?}`
 * and answers when the request has been served (200 `{pod, arrivalUs, startUs, endUs}`) or
 * refused (503 `{error}`); bad requests get 400/404 with what was expected. `GET /healthz`
 * answers 200. And the matching client, a keep-alive agent posting to it.
 */
import { Agent, createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestInput } from '../cluster-backend.js';

/** Called for each well-formed invocation; `reply` exactly once. */
export type InvokeHandler = (fn: string, input: RequestInput, reply: (status: number, body: object) => void) => void;

/** Most bytes of a request body. */
const MAX_BODY = 1 << 20;

/** Parse and check an invocation body. Pure; exported for tests. Returns the input or the problem. */
export function parseInvokeBody(text: string): RequestInput | string {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return `expected a JSON object body, found ${JSON.stringify(text.slice(0, 40))}`;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return `expected a JSON object body, found ${JSON.stringify(v)}`;
  const o = v as Record<string, unknown>;
  const w = o.workCoreUs;
  if (typeof w !== 'number' || !(w >= 0) || !Number.isFinite(w)) return `workCoreUs: expected a finite number ≥ 0 (core-µs), found ${JSON.stringify(w)}`;
  const f = o.features;
  if (f !== undefined && !(Array.isArray(f) && f.every((x) => typeof x === 'number'))) return `features: expected an array of numbers, found ${JSON.stringify(f)}`;
  const p = o.prediction;
  if (p !== undefined && typeof p !== 'number') return `prediction: expected a number, found ${JSON.stringify(p)}`;
  return { workCoreUs: w, features: f as number[] | undefined, prediction: p as number | undefined };
}

/** The HTTP front. */
export class HttpFront {
  private constructor(private readonly server: Server, readonly port: number) {}

  /** Listen on 127.0.0.1 at an ephemeral port. */
  static async listen(handler: InvokeHandler): Promise<HttpFront> {
    const server = createServer((req, res) => HttpFront.handle(req, res, handler));
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return new HttpFront(server, (server.address() as AddressInfo).port);
  }

  private static handle(req: IncomingMessage, res: ServerResponse, handler: InvokeHandler): void {
    const send = (status: number, body: object): void => {
      if (res.writableEnded) return;
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    };
    if (req.method === 'GET' && req.url === '/healthz') return send(200, { ok: true });
    const m = /^\/invoke\/([a-z0-9-]+)$/.exec(req.url ?? '');
    if (req.method !== 'POST' || m === null) return send(404, { error: `expected POST /invoke/<function> or GET /healthz, found ${req.method} ${req.url}` });
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        send(413, { error: `expected a body of at most ${MAX_BODY} bytes` });
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => {
      const input = parseInvokeBody(Buffer.concat(chunks).toString('utf8'));
      if (typeof input === 'string') return send(400, { error: input });
      handler(m[1], input, send);
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }
}

/** A keep-alive client of an HttpFront. */
export class HttpClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 256 });
  constructor(private readonly port: number) {}

  /** POST one invocation; resolves with the status and parsed body (rejects on a transport error). */
  invoke(fn: string, input: RequestInput): Promise<{ status: number; body: Record<string, unknown> }> {
    const text = JSON.stringify(input);
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port: this.port, method: 'POST', path: `/invoke/${fn}`, agent: this.agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            try {
              resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> });
            } catch (e) {
              reject(e);
            }
          });
        },
      );
      req.on('error', reject);
      req.end(text);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
