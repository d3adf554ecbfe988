/**
 * A tiny Markdown-to-HTML for the repository's guides (docs/guides/*.md) shown as DSFR pages: headings,
 * paragraphs, lists, fenced code, tables, block quotes, links, `code`, **bold**. Everything is escaped
 * first and only these marks become tags, so a guide can never inject markup; links keep only http(s),
 * mailto, relative and anchor targets. No dependency (docs/adr/0140-developer-docs-from-the-repository.md).
 */
import { escapeHtml } from '../../idp/login-page.ts';

/** Heading text → id (`## 1. Ce qui change` → `1-ce-qui-change`). */
export function slugOf(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** Where a link of a guide may point; `rewrite` maps repository paths (`docs/guides/x.md`) to portal pages. */
function safeHref(href: string, rewrite: (href: string) => string): string | undefined {
  const target = rewrite(href);
  if (/^(https?:|mailto:)/i.test(target) || target.startsWith('/') || target.startsWith('#')) return target;
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return undefined; // javascript:, data: …
  return undefined;
}

/** Inline marks of an already split line: code spans are kept verbatim, the rest gets bold and links. */
function inline(text: string, rewrite: (href: string) => string): string {
  return text
    .split(/(`[^`]+`)/)
    .map((part) => {
      if (part.startsWith('`') && part.endsWith('`') && part.length > 1) return `<code>${escapeHtml(part.slice(1, -1))}</code>`;
      let html = escapeHtml(part);
      html = html.replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>');
      // Links are matched on the escaped text: their label and target cannot contain raw markup.
      html = html.replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (_m, label: string, href: string) => {
        const target = safeHref(href.replace(/&#38;/g, '&'), rewrite);
        return target === undefined ? label : `<a href="${escapeHtml(target)}">${label}</a>`;
      });
      return html;
    })
    .join('');
}

function tableCells(line: string): string[] {
  return line.trim().replace(/^\|/, '').replace(/\|$/, '').split(/(?<!\\)\|/).map((c) => c.trim());
}

export interface MarkdownOptions {
  /** Maps a link target before it is checked (repository paths → portal URLs). */
  rewriteLink?: (href: string) => string;
  /** Headings are shifted so the page's own `<h1>` stays the only one (default 1: `#` → `<h2>`). */
  headingShift?: number;
}

/** Renders a Markdown document to escaped HTML with DSFR table markup. */
export function markdownToHtml(source: string, options: MarkdownOptions = {}): string {
  const rewrite = options.rewriteLink ?? ((h: string) => h);
  const shift = options.headingShift ?? 1;
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  let i = 0;
  let paragraph: string[] = [];
  const flush = (): void => {
    if (paragraph.length > 0) out.push(`<p>${inline(paragraph.join(' '), rewrite)}</p>`);
    paragraph = [];
  };
  while (i < lines.length) {
    const line = lines[i] as string;
    const fence = /^```(\w*)/.exec(line);
    if (fence) {
      flush();
      const code: string[] = [];
      i += 1;
      while (i < lines.length && !(lines[i] as string).startsWith('```')) code.push(lines[i++] as string);
      i += 1;
      out.push(`<pre class="portal-example" tabindex="0"><code>${escapeHtml(code.join('\n'))}</code></pre>`);
      continue;
    }
    const heading = /^(#{1,6})\s+(.+?)\s*#*$/.exec(line);
    if (heading) {
      flush();
      const level = Math.min(6, (heading[1] as string).length + shift);
      const text = heading[2] as string;
      out.push(`<h${level} id="${slugOf(text)}">${inline(text, rewrite)}</h${level}>`);
      i += 1;
      continue;
    }
    if (/^\s*\|/.test(line) && i + 1 < lines.length && /^\s*\|?\s*:?-{2,}/.test(lines[i + 1] as string)) {
      flush();
      const head = tableCells(line);
      i += 2;
      const rows: string[][] = [];
      while (i < lines.length && /^\s*\|/.test(lines[i] as string)) rows.push(tableCells(lines[i++] as string));
      const th = head.map((c) => `<th scope="col">${inline(c, rewrite)}</th>`).join('');
      const body = rows.map((r) => `<tr>${r.map((c) => `<td class="portal-wrap">${inline(c.replace(/\\\|/g, '|'), rewrite)}</td>`).join('')}</tr>`).join('');
      // A scrollable region must be reachable with the keyboard and named (RGAA, axe scrollable-region-focusable).
      const name = escapeHtml(`Tableau : ${head.map((c) => c.replace(/[`*]/g, '')).filter((c) => c !== '').join(', ')}`);
      out.push(`<div class="fr-table"><div class="fr-table__wrapper"><div class="fr-table__container" tabindex="0" role="region" aria-label="${name}"><div class="fr-table__content"><table><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table></div></div></div></div>`);
      continue;
    }
    const item = /^(\s*)([-*]|\d+\.)\s+(.*)$/.exec(line);
    if (item) {
      flush();
      const ordered = /\d/.test(item[2] as string);
      const items: string[] = [];
      while (i < lines.length) {
        const m = /^(\s*)([-*]|\d+\.)\s+(.*)$/.exec(lines[i] as string);
        if (m) {
          items.push(m[3] as string);
        } else if (/^\s{2,}\S/.test(lines[i] as string) && items.length > 0) {
          items[items.length - 1] += ` ${(lines[i] as string).trim()}`;
        } else break;
        i += 1;
      }
      const tag = ordered ? 'ol' : 'ul';
      out.push(`<${tag}>${items.map((t) => `<li>${inline(t, rewrite)}</li>`).join('')}</${tag}>`);
      continue;
    }
    if (line.startsWith('>')) {
      flush();
      const quote: string[] = [];
      while (i < lines.length && (lines[i] as string).startsWith('>')) quote.push((lines[i++] as string).replace(/^>\s?/, ''));
      out.push(`<div class="fr-callout"><p class="fr-callout__text">${inline(quote.join(' '), rewrite)}</p></div>`);
      continue;
    }
    if (line.trim() === '') flush();
    else paragraph.push(line.trim());
    i += 1;
  }
  flush();
  return out.join('\n');
}
