/**
 * Errors are data: every error the gateway can answer is declared once, with its HTTP status and
 * its contract wording (CONTRACT §4), and rendered in the contract's envelope
 * `{errors:[{code,title,detail,source,meta}]}`.
 */

export interface ErrorSource {
  parameter: string;
}

/** One item of the contract's error envelope. `source` and `meta` are always present. */
export interface ErrorItem {
  code: string;
  title: string;
  detail: string;
  source: ErrorSource | null;
  meta: Record<string, unknown>;
}

export interface ErrorBody {
  errors: ErrorItem[];
}

export interface ErrorDefinition<C extends string = string> {
  readonly code: C;
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  /**
   * 422 codes whose official detail says a param is missing ("L'identifiant est manquant"): the
   * validator uses that sentence when the param is absent, and its own precise one otherwise.
   */
  readonly missingParamDetail?: boolean;
}

/**
 * Declares a coded error.
 * @example
 * const notFound = defineError({ code: '40003', status: 404, title: 'Dossier allocataire absent RNCPS', detail: '…' });
 */
export function defineError<const C extends string>(definition: ErrorDefinition<C>): ErrorDefinition<C> {
  if (!/^\d{5}$/.test(definition.code)) throw new TypeError(`error code must be 5 digits: ${definition.code}`);
  return Object.freeze(definition);
}

/** An error answer on its way to the client: an HTTP status plus one or more items. */
export class ApiError extends Error {
  readonly status: number;
  readonly items: ErrorItem[];

  constructor(status: number, items: ErrorItem[]) {
    super(items.map((i) => `${i.code} ${i.title}`).join('; '));
    this.name = 'ApiError';
    this.status = status;
    this.items = items;
  }

  /** Builds an error from its definition; `detail` may be overridden for a more precise message. */
  static of(
    definition: ErrorDefinition,
    options: { source?: ErrorSource | null; meta?: Record<string, unknown>; detail?: string } = {},
  ): ApiError {
    return new ApiError(definition.status, [itemOf(definition, options)]);
  }

  get code(): string {
    return this.items[0]?.code ?? '';
  }

  body(): ErrorBody {
    return { errors: this.items };
  }
}

export function itemOf(
  definition: ErrorDefinition,
  options: { source?: ErrorSource | null; meta?: Record<string, unknown>; detail?: string } = {},
): ErrorItem {
  return {
    code: definition.code,
    title: definition.title,
    detail: options.detail ?? definition.detail,
    source: options.source ?? null,
    meta: options.meta ?? {},
  };
}
