import { parse, type DefaultTreeAdapterMap } from 'parse5';

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];

/** Absolute URLs of the scripts a page loads or preloads (script src, modulepreload, preload as=script), in page order. */
export function scriptUrls(html: string, pageUrl: string): string[] {
  const urls = new Set<string>();
  const visit = (node: Node): void => {
    if ('tagName' in node) {
      const src = scriptSource(node);
      if (src !== undefined && URL.canParse(src, pageUrl)) {
        const u = new URL(src, pageUrl);
        u.hash = '';
        if (u.protocol === 'https:' || u.protocol === 'http:') urls.add(u.href);
      }
      if (node.tagName === 'template') visit((node as DefaultTreeAdapterMap['template']).content);
    }
    if ('childNodes' in node) for (const child of node.childNodes) visit(child);
  };
  visit(parse(html));
  return [...urls];
}

function scriptSource(el: Element): string | undefined {
  const attr = (name: string) => el.attrs.find((a) => a.name === name)?.value;
  if (el.tagName === 'script') return attr('src');
  if (el.tagName !== 'link') return undefined;
  const rel = (attr('rel') ?? '').toLowerCase().split(/\s+/);
  if (rel.includes('modulepreload') || (rel.includes('preload') && attr('as')?.toLowerCase() === 'script')) return attr('href');
  return undefined;
}
