/** Plain-text tables for the terminal summary. */
import type { Check, Table } from '../scenario/registry.js';

/** Format a table with a title, padded columns, numbers right-aligned. */
export function formatTable(t: Table): string {
  const cells = [t.columns, ...t.rows.map((r) => r.map((c) => String(c)))];
  const widths = t.columns.map((_, j) => Math.max(...cells.map((r) => (r[j] ?? '').length)));
  const numeric = t.columns.map((_, j) => t.rows.length > 0 && t.rows.every((r) => typeof r[j] === 'number' || /^-?[\d.]+%?$|^-$/.test(String(r[j]))));
  const line = (r: readonly string[]): string =>
    r.map((c, j) => (numeric[j] ? c.padStart(widths[j]) : c.padEnd(widths[j]))).join('  ').trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [t.title, line(cells[0]), rule, ...cells.slice(1).map(line)].join('\n');
}

/** The checks of a reproduction experiment as a table. */
export function checksTable(checks: readonly Check[]): Table {
  return {
    title: 'Checks (simulated vs reported)',
    columns: ['check', 'simulated', 'reported', 'tolerance', 'result'],
    rows: checks.map((c) => [c.name, +c.simulated.toPrecision(4), +c.reported.toPrecision(4), c.tolerance, c.pass ? 'pass' : 'FAIL']),
  };
}
