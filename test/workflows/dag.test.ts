import { describe, expect, it } from 'vitest';
import { stageItems, validateWorkflow, WorkflowError, type WorkflowSpec } from '../../src/platform/workflows/dag.js';

const base = (): WorkflowSpec => ({
  name: 'wf', itemAttributes: ['face'], stages: [
    { name: 'a', fn: 'fa', mode: 'once', output: { bytesPerItem: 10 } },
    { name: 'b', fn: 'fb', mode: 'per-item', after: ['a'], reads: ['a'], output: { bytesPerItem: 1 } },
    { name: 'c', fn: 'fc', mode: 'per-item', after: ['b'], reads: ['a', 'b'], when: { attr: 'face', equals: true } },
    { name: 'd', fn: 'fd', mode: 'once', after: ['c', 'b'], reads: ['b'], output: { bytes: 5 } },
  ],
});

describe('validateWorkflow', () => {
  it('accepts a valid DAG and orders it topologically with index adjacency', () => {
    const wf = validateWorkflow(base());
    expect(wf.stages.map((s) => s.name)).toEqual(['a', 'b', 'c', 'd']);
    expect(wf.stages[3].after).toEqual([1, 2]);
    expect(wf.stages[2].reads).toEqual([0, 1]);
    expect(wf.stages[0].children).toEqual([1]);
    expect(wf.stages[2].when).toEqual({ attr: 0, equals: true });
    expect(wf.functions).toEqual(['fa', 'fb', 'fc', 'fd']);
  });

  it('orders stages listed before their parents', () => {
    const s = base();
    const wf = validateWorkflow({ ...s, stages: [s.stages[3], s.stages[2], s.stages[1], s.stages[0]] });
    expect(wf.stages.map((x) => x.name)).toEqual(['a', 'b', 'c', 'd']);
  });

  const bad: [string, (s: WorkflowSpec) => WorkflowSpec, RegExp][] = [
    ['no stages', (s) => ({ ...s, stages: [] }), /stages: expected at least one stage/],
    ['duplicate name', (s) => ({ ...s, stages: [...s.stages, { name: 'b', fn: 'x', mode: 'once' }] }), /stages\[4\]\.name: expected a unique stage name, found "b" again \(first at stages\[1\]\)/],
    ['unknown after', (s) => ({ ...s, stages: [...s.stages.slice(0, 3), { ...s.stages[3], after: ['zz'] }] }), /stage "d"\.after: expected one of "a", "b", "c", "d", found "zz"/],
    ['self reference', (s) => ({ ...s, stages: [...s.stages.slice(0, 3), { ...s.stages[3], after: ['d'] }] }), /stage "d"\.after: expected another stage, found the stage itself/],
    ['cycle', (s) => ({ ...s, stages: [{ ...s.stages[0], after: ['d'] }, ...s.stages.slice(1)] }), /expected an acyclic graph, found the cycle "(a|b|c|d)" → .* → "\1"/],
    ['read of a non-ancestor', (s) => ({ ...s, stages: [...s.stages.slice(0, 2), { ...s.stages[2], reads: ['d'] }, s.stages[3]] }), /stage "c"\.reads: expected stages that complete before it/],
    ['when on once', (s) => ({ ...s, stages: [{ ...s.stages[0], when: { attr: 'face', equals: true } }, ...s.stages.slice(1)] }), /stage "a"\.when: expected no `when` on a "once" stage/],
    ['unknown attribute', (s) => ({ ...s, stages: [...s.stages.slice(0, 2), { ...s.stages[2], when: { attr: 'cat', equals: true } }, s.stages[3]] }), /when\.attr: expected one of the item attributes \[face\], found "cat"/],
    ['negative bytes', (s) => ({ ...s, stages: [{ ...s.stages[0], output: { bytesPerItem: -1 } }, ...s.stages.slice(1)] }), /stage "a"\.output\.bytesPerItem: expected a number of bytes ≥ 0, found -1/],
    ['bad mode', (s) => ({ ...s, stages: [{ ...s.stages[0], mode: 'many' as 'once' }, ...s.stages.slice(1)] }), /stage "a"\.mode: expected "once" or "per-item", found "many"/],
  ];
  for (const [what, mutate, msg] of bad) {
    it(`rejects ${what} with a clear error`, () => {
      expect(() => validateWorkflow(mutate(base()))).toThrow(WorkflowError);
      expect(() => validateWorkflow(mutate(base()))).toThrow(msg);
    });
  }

  it('selects items by attribute', () => {
    const wf = validateWorkflow(base());
    const face = Uint8Array.from([1, 0, 1, 1, 0]);
    expect(stageItems(wf.stages[1], 5, [face])).toEqual([0, 1, 2, 3, 4]);
    expect(stageItems(wf.stages[2], 5, [face])).toEqual([0, 2, 3]);
  });
});
