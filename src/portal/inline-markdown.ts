/**
 * The manifests' descriptions use a little Markdown (`**bold**`, `` `code` ``, line breaks) for the OpenAPI
 * document. Pages show them through this: HTML is escaped first, then only those two marks become
 * tags, so a description can never inject markup.
 */
import { escapeHtml } from '../idp/login-page.ts';

/** Escaped HTML with `**x**` → `<strong>x</strong>`, `` `x` `` → `<code>x</code>` and line breaks kept. */
export function inlineMarkdown(text: string): string {
  return escapeHtml(text)
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\n+/g, '<br>');
}
