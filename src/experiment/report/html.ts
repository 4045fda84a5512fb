/**
 * The self-contained HTML page of a report: inline CSS, inline SVG plots, tables; no
 * scripts, no fonts, no external references of any kind (it opens without a network).
 */

/** Escape text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** A plot of the report. */
export interface ReportPlot {
  /** SVG file name written next to report.html. */
  file: string;
  title: string;
  caption: string;
  /** SVG made fit for inlining (render.ts inlineSvg). */
  svg: string;
}

/** A table of the report; cells are text (escaped on output). `classes` marks cells, e.g. 'pass'/'fail'. */
export interface ReportTable {
  title: string;
  columns: string[];
  rows: (string | number)[][];
  classes?: (string | undefined)[][];
  note?: string;
}

/** A section: a heading, an optional paragraph, tables and plots. */
export interface ReportSection {
  title: string;
  text?: string;
  tables?: ReportTable[];
  plots?: ReportPlot[];
  /** Put the tables after the plots (for long tables). */
  tablesLast?: boolean;
}

const CSS = `
body{font-family:system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;margin:0;color:#222;background:#fafafa}
header{background:#24323f;color:#fff;padding:18px 32px}
header h1{margin:0;font-size:22px}
header p{margin:6px 0 0;color:#c8d3dd;font-size:14px}
main{padding:8px 32px 40px;max-width:1280px}
section{margin-top:28px}
h2{font-size:18px;border-bottom:1px solid #ddd;padding-bottom:4px}
h3{font-size:15px;margin:18px 0 6px}
nav{margin-top:10px;font-size:13px}
nav a{color:#c8d3dd;margin-right:14px}
table{border-collapse:collapse;font-size:13px;background:#fff;margin:6px 0 4px}
th,td{border:1px solid #ddd;padding:4px 8px;text-align:left}
td.num{text-align:right;font-variant-numeric:tabular-nums}
th{background:#eef1f4}
td.pass{color:#17652b;font-weight:600}
td.fail{color:#a31515;font-weight:700}
.plots{display:flex;flex-wrap:wrap;gap:18px}
figure{margin:0;background:#fff;border:1px solid #e3e3e3;padding:8px}
figcaption{font-size:12px;color:#555;max-width:620px;margin-top:4px}
p.note{font-size:12px;color:#666;margin:2px 0 10px}
`;

function cell(v: string | number, cls: string | undefined): string {
  const numeric = typeof v === 'number' || /^-?\d[\d.,e+-]*%?$/.test(String(v));
  const classes = [numeric ? 'num' : '', cls ?? ''].filter((c) => c !== '').join(' ');
  return `<td${classes ? ` class="${classes}"` : ''}>${escapeHtml(String(v))}</td>`;
}

/** HTML of a table. */
export function tableHtml(t: ReportTable): string {
  const head = `<tr>${t.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr>`;
  const body = t.rows.map((r, i) => `<tr>${r.map((v, j) => cell(v, t.classes?.[i]?.[j])).join('')}</tr>`).join('\n');
  return `<h3>${escapeHtml(t.title)}</h3>\n<table>\n${head}\n${body}\n</table>${t.note ? `\n<p class="note">${escapeHtml(t.note)}</p>` : ''}`;
}

function anchor(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

/** The whole page. */
export function reportHtml(title: string, subtitle: string, sections: readonly ReportSection[]): string {
  const nav = sections.map((s) => `<a href="#${anchor(s.title)}">${escapeHtml(s.title)}</a>`).join('');
  const body = sections
    .map((s) => {
      const parts = [`<section id="${anchor(s.title)}">`, `<h2>${escapeHtml(s.title)}</h2>`];
      if (s.text) parts.push(`<p>${escapeHtml(s.text)}</p>`);
      if (!s.tablesLast) for (const t of s.tables ?? []) parts.push(tableHtml(t));
      if (s.plots && s.plots.length > 0) {
        parts.push('<div class="plots">');
        for (const p of s.plots) {
          parts.push(
            `<figure><div class="plot">${p.svg}</div><figcaption>${escapeHtml(p.caption)} (<a href="${escapeHtml(p.file)}">${escapeHtml(p.file)}</a>)</figcaption></figure>`,
          );
        }
        parts.push('</div>');
      }
      if (s.tablesLast) for (const t of s.tables ?? []) parts.push(tableHtml(t));
      parts.push('</section>');
      return parts.join('\n');
    })
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
<header><h1>${escapeHtml(title)}</h1><p>${escapeHtml(subtitle)}</p><nav>${nav}</nav></header>
<main>
${body}
</main>
</body>
</html>
`;
}
