import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { inlineMarkdown } from './inline-markdown.ts';

test('bold and code marks become tags', () => {
  assert.equal(inlineMarkdown('**Nom** : `null` sinon\n- un'), '<strong>Nom</strong> : <code>null</code> sinon<br>- un');
});

test('no input yields a tag other than strong, code and br', () => {
  fc.assert(
    fc.property(fc.string(), (text) => {
      const html = inlineMarkdown(text);
      const tags = [...html.matchAll(/<\/?([a-z]+)/g)].map((m) => m[1]);
      return tags.every((t) => t === 'strong' || t === 'code' || t === 'br') && !/["']/.test(html.replace(/&#\d+;/g, ''));
    }),
  );
});
