/**
 * v2 validation (CONTRACT §1.5, §4.4): a v2 request is checked in two steps, and any problem is a
 * 400 in the v2 shape naming the v2 params:
 * 1. against the route's OA2 param schema (types, patterns, enums);
 * 2. renamed to the v3 endpoint's params, against the v3 schema and cross-field rules (birth place,
 *    birth date, MEN perimeter…), so v2 and v3 refuse the same requests for the same reasons —
 *    relaxed only where v2 is looser (`optionalInV2`).
 * `recipient` is optional in v2 except with FranceConnect (CONTRACT §1.5); when given, it must be a
 * valid SIRET, as in v3, because it is journaled (docs/adr/0071-v2-errors.md).
 */
import { Ajv, type ErrorObject } from 'ajv';
import { Type, type TSchema } from 'typebox';
import type { EndpointDefinition, QueryParams } from '../core/endpoint.ts';
import { ApiError } from '../core/errors.ts';
import { isValidSiret } from '../core/siret.ts';
import { compileParamsValidator, type ParamsValidator } from '../gateway/validate-params.ts';
import type { V2Route, V2Target } from './v2-route.ts';

/** A problem in the caller's vocabulary (v2 param names). */
export interface V2Problem {
  parameter: string;
  detail: string;
}

/** Thrown (as data) when a v2 request is invalid. */
export class V2ValidationError extends Error {
  readonly problems: V2Problem[];
  constructor(problems: V2Problem[]) {
    super(problems.map((p) => p.parameter).join(', '));
    this.name = 'V2ValidationError';
    this.problems = problems;
  }
}

export interface V2Request {
  /** The v2 params, coerced, restricted to the declared ones (`recipient` excluded). */
  v2: QueryParams;
  recipient: string | undefined;
  target: V2Target;
}

/**
 * Only for the v3 validator, which requires `recipient`: stands in when a v2 caller sent none, and
 * is removed from the result. It is a valid SIRET (DINUM's) so that no problem is reported for it.
 */
const STAND_IN_RECIPIENT = '13002526500013';

const ajv = new Ajv({ coerceTypes: 'array', allErrors: true, strict: false });

function v2Detail(error: ErrorObject, parameter: string): string {
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `Le paramètre ${parameter} est obligatoire`;
    case 'type':
      return `Le paramètre ${parameter} n'a pas le bon type (${String(p.type)} attendu)`;
    case 'enum':
      return `Le paramètre ${parameter} doit valoir l'une des valeurs suivantes : ${(p.allowedValues as unknown[]).join(', ')}`;
    case 'pattern':
      return `Le paramètre ${parameter} n'est pas au format attendu`;
    default:
      return `Le paramètre ${parameter} n'est pas correctement formaté`;
  }
}

function paramOf(error: ErrorObject): string {
  if (error.keyword === 'required') return String((error.params as { missingProperty: string }).missingProperty);
  return (error.instancePath.split('/')[1] ?? '').replaceAll('~1', '/').replaceAll('~0', '~');
}

/** The v3 endpoint with the params v2 does not require made optional. */
function relaxed(endpoint: EndpointDefinition, optional: readonly string[]): EndpointDefinition {
  if (optional.length === 0) return endpoint;
  const properties = endpoint.params.properties as Record<string, TSchema>;
  const required = new Set(((endpoint.params.required as string[] | undefined) ?? []).filter((k) => !optional.includes(k)));
  const props = Object.fromEntries(Object.entries(properties).map(([k, s]) => [k, required.has(k) ? s : Type.Optional(s)]));
  return { ...endpoint, params: Type.Object(props) };
}

/** Rewords a v3 problem with the v2 names (never the values: they are personal data). */
function inV2Terms(route: V2Route, parameter: string, detail: string): V2Problem {
  let text = detail;
  const names = Object.entries(route.v2Names).sort(([a], [b]) => b.length - a.length);
  for (const [v3, v2] of names) if (v3 !== v2) text = text.replaceAll(v3, v2);
  return { parameter: route.v2Names[parameter] ?? parameter, detail: text };
}

/**
 * Compiles the validator of one v2 route.
 * @example
 * const validate = compileV2Validator(complementaireSanteSolidaireV2, () => new Date());
 * const { target } = validate(request.query, { franceConnect: false }); // or throws V2ValidationError
 */
export function compileV2Validator(route: V2Route, now: () => Date): (query: Record<string, unknown>, options: { franceConnect: boolean }) => V2Request {
  const schema = Type.Object({ recipient: Type.Optional(Type.String()), ...route.params.properties }, { additionalProperties: true });
  const check = ajv.compile(structuredClone(schema));
  const declared = Object.keys(schema.properties);
  const v3Validators = new Map<EndpointDefinition, ParamsValidator>();
  const v3ValidatorOf = (endpoint: EndpointDefinition): ParamsValidator => {
    let validator = v3Validators.get(endpoint);
    if (validator === undefined) {
      validator = compileParamsValidator(relaxed(endpoint, route.optionalInV2 ?? []), now);
      v3Validators.set(endpoint, validator);
    }
    return validator;
  };

  return (query, { franceConnect }) => {
    const params: QueryParams = {};
    for (const key of declared) if (Object.hasOwn(query, key)) params[key] = query[key];
    // v2 clients sometimes send `prenoms=` without brackets: same param.
    if ('prenoms[]' in schema.properties && !Object.hasOwn(params, 'prenoms[]') && Object.hasOwn(query, 'prenoms')) {
      params['prenoms[]'] = query.prenoms;
    }

    const problems: V2Problem[] = [];
    const seen = new Set<string>();
    const report = (p: V2Problem): void => {
      if (seen.has(p.parameter)) return;
      seen.add(p.parameter);
      problems.push(p);
    };
    if (!check(params)) {
      for (const error of check.errors ?? []) {
        const parameter = paramOf(error);
        report({ parameter, detail: v2Detail(error, parameter) });
      }
    }
    const recipient = typeof params.recipient === 'string' ? params.recipient : undefined;
    if (recipient !== undefined && !isValidSiret(recipient)) {
      report({ parameter: 'recipient', detail: "Le paramètre recipient doit être le numéro SIRET (14 chiffres) de l'administration destinataire" });
    }
    if (franceConnect && recipient === undefined) {
      report({ parameter: 'recipient', detail: 'Le paramètre recipient est obligatoire pour un appel avec un jeton FranceConnect' });
    }
    if (problems.length > 0) throw new V2ValidationError(problems);

    const v2: QueryParams = { ...params };
    delete v2.recipient;
    const wanted: V2Target =
      franceConnect && route.franceConnect !== undefined
        ? { endpoint: route.franceConnect.endpoint, params: route.franceConnect.extraParams?.(v2) ?? {} }
        : route.toV3(v2);
    try {
      const checked = v3ValidatorOf(wanted.endpoint)({ ...wanted.params, recipient: recipient ?? STAND_IN_RECIPIENT });
      delete checked.recipient;
      return { v2, recipient, target: { endpoint: wanted.endpoint, params: checked } };
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      throw new V2ValidationError(error.items.map((item) => inV2Terms(route, item.source?.parameter ?? '', item.detail)));
    }
  };
}
