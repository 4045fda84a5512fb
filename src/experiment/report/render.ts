/**
 * Rendering a Vega-Lite spec to SVG in Node: compile to Vega, run a headless View
 * (renderer 'none') and serialize its scene with toSVG(). No canvas, no browser, no network.
 */
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** SVG text of the plot of `spec`. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const vg = compile(spec).spec;
  const view = new View(parse(vg), { renderer: 'none', logLevel: 0 });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** An SVG document made fit for inlining in HTML: without the XML namespace attributes (HTML needs none). */
export function inlineSvg(svg: string): string {
  return svg.replace(/\s+xmlns(:xlink)?="[^"]*"/g, '');
}
