/**
 * Small DOM builders. Every piece of text goes in through textContent, and
 * attributes that could carry script or inline style are refused, so data from
 * the server (names, reasons, metadata) can never become markup.
 */

export type Child = Node | string | number | null | undefined | false;

export interface ElementProps {
  className?: string;
  text?: string;
  attrs?: Record<string, string>;
  data?: Record<string, string>;
}

const FORBIDDEN_ATTRIBUTE = /^(on|style$|srcdoc$)/i;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: ElementProps = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (props.className) element.className = props.className;
  for (const [name, value] of Object.entries(props.attrs ?? {})) {
    if (FORBIDDEN_ATTRIBUTE.test(name)) throw new Error(`refusing to set attribute ${name}`);
    element.setAttribute(name, value);
  }
  for (const [name, value] of Object.entries(props.data ?? {})) element.dataset[name] = value;
  if (props.text !== undefined) element.textContent = props.text;
  append(element, ...children);
  return element;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === "string" || typeof child === "number" ? document.createTextNode(String(child)) : child);
  }
}

/** The element with this id, typed, or an error that names the template that lost it. */
export function byId<T extends HTMLElement>(id: string, type: { new (): T }): T {
  const element = document.getElementById(id);
  if (!(element instanceof type)) throw new Error(`#${id} is missing from the page`);
  return element;
}

export function setText(element: Element, text: string): void {
  if (element.textContent !== text) element.textContent = text;
}
