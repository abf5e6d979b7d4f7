/**
 * SVG builders for the report's plots. Geometry and colour go in as SVG attributes and
 * classes, text as text nodes, so no plot needs markup strings or inline style (the CSP
 * allows neither).
 */

const SVG_NS = "http://www.w3.org/2000/svg";
const FORBIDDEN_ATTRIBUTE = /^(on|style$|href$|xlink:href$)/i;

export type SvgAttrs = Record<string, string | number>;

export function svgEl<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: SvgAttrs = {},
  ...children: Array<SVGElement | null | false>
): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (FORBIDDEN_ATTRIBUTE.test(name)) throw new Error(`refusing to set attribute ${name}`);
    element.setAttribute(name, typeof value === "number" ? round(value) : value);
  }
  for (const child of children) if (child) element.appendChild(child);
  return element;
}

/** A <text> element whose content is a text node. */
export function svgText(content: string, attrs: SvgAttrs = {}): SVGTextElement {
  const text = svgEl("text", attrs);
  text.textContent = content;
  return text;
}

/** A tooltip for the element it is appended to. */
export function svgTitle(content: string): SVGTitleElement {
  const title = svgEl("title");
  title.textContent = content;
  return title;
}

/** The root <svg>, sized by its viewBox so CSS can scale it to the column width. */
export function svgRoot(width: number, height: number, label: string, className: string): SVGSVGElement {
  return svgEl("svg", {
    viewBox: `0 0 ${round(width)} ${round(height)}`,
    width: round(width),
    height: round(height),
    role: "img",
    "aria-label": label,
    class: `plot ${className}`,
  });
}

/** A linear map from a data domain to pixels; a zero-width domain is widened so nothing divides by zero. */
export function linearScale(domain: [number, number], range: [number, number]): (value: number) => number {
  let [d0, d1] = domain;
  if (d1 - d0 === 0) {
    d0 -= 0.5;
    d1 += 0.5;
  }
  const [r0, r1] = range;
  return (value: number) => r0 + ((value - d0) / (d1 - d0)) * (r1 - r0);
}

/** Evenly spaced "nice" ticks (steps of 1, 2 or 5 × 10^k) covering the domain. */
export function ticks(low: number, high: number, count = 5): number[] {
  if (!(high > low)) return [low];
  const raw = (high - low) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((f) => f * magnitude).find((s) => s >= raw) ?? raw;
  const result: number[] = [];
  for (let t = Math.ceil(low / step) * step; t <= high + step * 1e-9; t += step) {
    result.push(Math.abs(t) < step * 1e-9 ? 0 : Number(t.toFixed(10)));
  }
  return result;
}

function round(value: number): string {
  return String(Math.round(value * 100) / 100);
}
