import assert from 'node:assert/strict';
import { test } from 'node:test';
import { markdownToHtml, slugOf } from './markdown.ts';

test('headings are shifted one level and get an id', () => {
  assert.equal(markdownToHtml('## 1. Ce qui change partout'), '<h3 id="1-ce-qui-change-partout">1. Ce qui change partout</h3>');
  assert.equal(slugOf('Élément « clé »'), 'element-cle');
});

test('paragraphs, lists, code and tables', () => {
  const html = markdownToHtml('Un **mot** et `du code`.\nSuite.\n\n- a\n- b\n\n1. un\n\n```sh\ncurl "x" <y>\n```\n\n| a | b |\n|---|---|\n| `1` | 2 |');
  assert.match(html, /<p>Un <strong>mot<\/strong> et <code>du code<\/code>\. Suite\.<\/p>/);
  assert.match(html, /<ul><li>a<\/li><li>b<\/li><\/ul>/);
  assert.match(html, /<ol><li>un<\/li><\/ol>/);
  assert.match(html, /<pre class="portal-example" tabindex="0"><code>curl &#34;x&#34; &#60;y&#62;<\/code><\/pre>/);
  assert.match(html, /<div class="fr-table__container" tabindex="0" role="region" aria-label="Tableau : a, b">/);
  assert.match(html, /<tr><td class="portal-wrap"><code>1<\/code><\/td><td class="portal-wrap">2<\/td><\/tr>/);
});

test('everything is escaped; only safe links survive', () => {
  const html = markdownToHtml('<script>alert(1)</script> [ok](/faq) [mal](javascript:alert(1)) [web](https://example.fr/a?b=1&c=2)');
  assert.doesNotMatch(html, /<script>/);
  assert.match(html, /&#60;script&#62;/);
  assert.match(html, /<a href="\/faq">ok<\/a>/);
  assert.doesNotMatch(html, /href="javascript/);
  assert.match(html, /mal/);
  assert.match(html, /<a href="https:\/\/example\.fr\/a\?b=1&#38;c=2">web<\/a>/);
});

test('links are rewritten before being checked', () => {
  const html = markdownToHtml('[cast](sandbox-cast.md)', { rewriteLink: (h) => (h === 'sandbox-cast.md' ? '/developpeurs/guides/cast' : h) });
  assert.match(html, /<a href="\/developpeurs\/guides\/cast">cast<\/a>/);
});
