/**
 * Label selector, node selector term and toleration matching (Kubernetes semantics).
 * Source: platform-semantics.md c.2 (boolean checks) and the Kubernetes API semantics they name.
 */
import type { LabelSelector, NodeSelectorTerm, Taint, Toleration } from './types.js';

type Labels = Readonly<Record<string, string>> | undefined;

/** matchLabels AND matchExpressions; an empty selector matches everything, a missing one nothing. */
export function matchesLabelSelector(sel: LabelSelector | undefined, labels: Labels): boolean {
  if (sel === undefined) return false;
  const l = labels ?? {};
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (l[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(l, e.key);
    switch (e.operator) {
      case 'In': if (!has || !(e.values ?? []).includes(l[e.key])) return false; break;
      case 'NotIn': if (has && (e.values ?? []).includes(l[e.key])) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
    }
  }
  return true;
}

/** One node selector term: its requirements ANDed; an empty term matches nothing. */
export function matchesNodeSelectorTerm(term: NodeSelectorTerm, labels: Labels): boolean {
  const exprs = term.matchExpressions ?? [];
  if (exprs.length === 0) return false;
  const l = labels ?? {};
  for (const e of exprs) {
    const has = Object.prototype.hasOwnProperty.call(l, e.key);
    const vals = e.values ?? [];
    switch (e.operator) {
      case 'In': if (!has || !vals.includes(l[e.key])) return false; break;
      case 'NotIn': if (has && vals.includes(l[e.key])) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      case 'Gt':
      case 'Lt': {
        if (!has || vals.length !== 1) return false;
        const a = Number.parseInt(l[e.key], 10);
        const b = Number.parseInt(vals[0], 10);
        if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
        if (e.operator === 'Gt' ? !(a > b) : !(a < b)) return false;
        break;
      }
    }
  }
  return true;
}

/** Terms ORed. */
export function matchesAnyNodeSelectorTerm(terms: readonly NodeSelectorTerm[], labels: Labels): boolean {
  for (const t of terms) if (matchesNodeSelectorTerm(t, labels)) return true;
  return false;
}

/** Whether a toleration tolerates a taint (key/operator/value/effect). */
export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect !== undefined && t.effect !== taint.effect) return false;
  const op = t.operator ?? 'Equal';
  if ((t.key ?? '') === '') return op === 'Exists';
  if (t.key !== taint.key) return false;
  if (op === 'Exists') return true;
  return (t.value ?? '') === (taint.value ?? '');
}

export function toleratedByAny(tolerations: readonly Toleration[] | undefined, taint: Taint): boolean {
  for (const t of tolerations ?? []) if (tolerates(t, taint)) return true;
  return false;
}
