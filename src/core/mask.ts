/**
 * Field masking by scope (CONTRACT §3.2, DESIGN §2.2): one generic engine driven by declarative tables.
 *
 * A table maps a scope to the field paths it unlocks, relative to `data`. A path is dot-separated;
 * arrays are traversed transparently (`admissions.est_inscrit` applies to every admission). A field
 * that no held scope unlocks is removed — never nulled — and a field that no scope lists at all is
 * never returned: the table is an allow-list.
 *
 * A key may join scopes with `+` (`a+b`): its paths are unlocked only when ALL of them are held — for
 * a detail that production shows only with both its block's scope and the detail's scope (GIP-MDS,
 * docs/adr/0031-gip-mds-service-civique.md).
 */

export type MaskingTable = Readonly<Record<string, readonly string[]>>;

/** The scopes a table key needs: one, or several joined by `+`. */
export function scopesOfKey(key: string): string[] {
  return key.split('+');
}

/** Every scope a table mentions, alone or in a conjunction. */
export function scopesOfTable(table: MaskingTable): string[] {
  return [...new Set(Object.keys(table).flatMap(scopesOfKey))];
}

/** `true` = the whole subtree is allowed; an object = only the listed children are. */
type AllowNode = true | Map<string, AllowNode>;

function addPath(root: Map<string, AllowNode>, path: string): void {
  const parts = path.split('.');
  let node: Map<string, AllowNode> = root;
  for (let i = 0; i < parts.length; i += 1) {
    const key = parts[i] as string;
    const existing = node.get(key);
    if (existing === true) return; // an ancestor already unlocks everything below
    if (i === parts.length - 1) {
      node.set(key, true);
      return;
    }
    if (existing === undefined) {
      const child = new Map<string, AllowNode>();
      node.set(key, child);
      node = child;
    } else {
      node = existing;
    }
  }
}

function applyNode(value: unknown, node: AllowNode): unknown {
  if (node === true) return value;
  if (Array.isArray(value)) return value.map((item) => applyNode(item, node));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of node) {
    if (Object.prototype.hasOwnProperty.call(value, key)) {
      out[key] = applyNode((value as Record<string, unknown>)[key], child);
    }
  }
  return out;
}

export type Masker = (data: unknown) => unknown;

/**
 * Compiles the mask for one table and one set of held scopes.
 * @example
 * const mask = compileMask({ revenu_solidarite_active: ['est_beneficiaire', 'date_debut_droit'],
 *                            revenu_solidarite_active_majoration: ['avec_majoration'] },
 *                          ['revenu_solidarite_active']);
 * mask({ est_beneficiaire: true, avec_majoration: false, date_debut_droit: null })
 * // → { est_beneficiaire: true, date_debut_droit: null }
 */
export function compileMask(table: MaskingTable, heldScopes: Iterable<string>): Masker {
  const held = new Set(heldScopes);
  const root = new Map<string, AllowNode>();
  for (const [key, paths] of Object.entries(table)) {
    if (!scopesOfKey(key).every((scope) => held.has(scope))) continue;
    for (const path of paths) addPath(root, path);
  }
  return (data) => applyNode(data, root);
}

/**
 * Caches compiled masks per table and scope set: callers hold a handful of distinct scope sets, and
 * compiling on each request would be wasted work on the hot path.
 */
export class MaskCache {
  readonly #cache = new WeakMap<MaskingTable, { scopes: string[]; byScopes: Map<string, Masker>; bySet: WeakMap<ReadonlySet<string>, Masker> }>();

  get(table: MaskingTable, heldScopes: ReadonlySet<string>): Masker {
    let entry = this.#cache.get(table);
    if (entry === undefined) {
      entry = { scopes: scopesOfTable(table), byScopes: new Map(), bySet: new WeakMap() };
      this.#cache.set(table, entry);
    }
    // A verified token keeps one scope set object (authenticate.ts): its masker is found by identity,
    // without listing the table's scopes again — that showed at ~4 % of the live gateway's CPU.
    const known = entry.bySet.get(heldScopes);
    if (known !== undefined) return known;
    const relevant = entry.scopes.filter((scope) => heldScopes.has(scope));
    const key = relevant.join(' ');
    let masker = entry.byScopes.get(key);
    if (masker === undefined) {
      masker = compileMask(table, relevant);
      entry.byScopes.set(key, masker);
    }
    entry.bySet.set(heldScopes, masker);
    return masker;
  }
}
