import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Type } from 'typebox';
import { exampleFromSchema } from './example-from-schema.ts';

describe('exampleFromSchema', () => {
  test('a nested TypeBox schema with nullable, enum, examples and formats', () => {
    const schema = Type.Object({
      est_beneficiaire: Type.Boolean(),
      avec_participation: Type.Union([Type.Boolean(), Type.Null()]),
      date_debut_droit: Type.Union([Type.Null(), Type.String({ format: 'date' })]),
      statut: Type.Unsafe<string>({ type: 'string', enum: ['actif', 'radie'] }),
      regime: Type.Union([Type.Literal('general'), Type.Literal('agricole')]),
      nom: Type.String({ examples: ['DURAND'] }),
      echelon: Type.Integer({ minimum: 1 }),
      montant: Type.Number(),
      identite: Type.Object({
        prenoms: Type.Array(Type.String()),
        adresse: Type.Optional(Type.Object({ code_postal: Type.String({ example: '75007' }) })),
        horodatage: Type.String({ format: 'date-time' }),
      }),
      periodes: Type.Array(Type.Object({ debut: Type.String({ format: 'date' }), fin: Type.Union([Type.String({ format: 'date' }), Type.Null()]) })),
    });
    assert.deepEqual(exampleFromSchema(schema), {
      est_beneficiaire: true,
      avec_participation: true,
      date_debut_droit: '2000-01-01',
      statut: 'actif',
      regime: 'general',
      nom: 'DURAND',
      echelon: 1,
      montant: 0,
      identite: { prenoms: ['string'], adresse: { code_postal: '75007' }, horodatage: '2000-01-01T00:00:00Z' },
      periodes: [{ debut: '2000-01-01', fin: '2000-01-01' }],
    });
  });

  test('OpenAPI-style schemas: nullable, type lists, const, example before enum', () => {
    assert.equal(exampleFromSchema({ type: 'string', nullable: true, format: 'date' }), '2000-01-01');
    assert.equal(exampleFromSchema({ type: ['null', 'integer'], exclusiveMinimum: 3 }), 4);
    assert.equal(exampleFromSchema({ const: 'fixe' }), 'fixe');
    assert.equal(exampleFromSchema({ type: 'string', enum: ['a', 'b'], example: 'b' }), 'b');
    assert.equal(exampleFromSchema({ type: 'integer', minimum: -5, maximum: -2 }), -2);
    assert.deepEqual(exampleFromSchema({ type: 'array', items: { type: 'boolean' }, minItems: 2 }), [true, true]);
    assert.deepEqual(exampleFromSchema({ allOf: [{ properties: { a: { type: 'integer' } } }, { properties: { b: { type: 'string' } } }] }), { a: 0, b: 'string' });
  });

  test('the C2S data schema gives a beneficiary example', async () => {
    const { c2sIdentite } = await import('../providers/dss/complementaire-sante-solidaire.ts');
    const example = exampleFromSchema(c2sIdentite.data) as Record<string, unknown>;
    assert.deepEqual(Object.keys(example).sort(), ['avec_participation', 'date_debut_droit', 'est_beneficiaire']);
    assert.equal(typeof example.est_beneficiaire, 'boolean');
  });

  test('never loops on a self-referencing schema, and unknown input gives null', () => {
    const node: Record<string, unknown> = { type: 'object', properties: {} };
    (node.properties as Record<string, unknown>).child = node;
    assert.doesNotThrow(() => exampleFromSchema(node));
    assert.equal(exampleFromSchema(undefined), null);
    assert.equal(exampleFromSchema({}), null);
  });
});
