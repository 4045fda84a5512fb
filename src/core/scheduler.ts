import type { EventCallback, EventId } from './event-queue.js';
import type { Time } from './time.js';

/** The scheduling surface that events, processes and resources need from the simulation. */
export interface Scheduler {
  readonly now: Time;
  schedule<T>(delay: Time, fn: EventCallback<T>, arg: T): EventId;
  cancel(id: EventId): boolean;
}
