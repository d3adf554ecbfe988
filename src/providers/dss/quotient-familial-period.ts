/**
 * The month a quotient familial request asks for (CONTRACT §1.2, §8.1; OA3 QF `annee`/`mois`
 * descriptions) and the rules it must follow: docs/adr/0010-dss-quotient-familial-period.md.
 *
 * - no `annee`, no `mois` → the current month;
 * - `mois` alone → that month of the current year;
 * - `annee` alone → the current month of that year;
 * - the composed month may not be in the future, nor older than 24 months before the current one.
 */
import { Type } from 'typebox';
import type { ParamProblem, QueryParams } from '../../core/endpoint.ts';

/** How far back the history goes, in months (OA3: "un historique de maximum 2 ans"). */
export const HISTORY_MONTHS = 24;

export const periodParams = {
  annee: Type.Optional(
    Type.Integer({
      description:
        "**Année du quotient familial recherché**. Par défaut, l'année en cours. L'historique remonte au plus à 2 ans (24 mois avant le mois en cours). Sans `mois`, c'est le mois en cours de cette année qui est demandé.",
      examples: [2025],
    }),
  ),
  mois: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 12,
      description:
        "**Mois du quotient familial recherché** (1 à 12). Par défaut, le mois en cours. Sans `annee`, c'est ce mois de l'année en cours qui est demandé. Une période dans le futur est refusée (422).",
      examples: [12],
    }),
  ),
};

export interface Period {
  annee: number;
  mois: number;
}

const MONTH_NAMES = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];

const index = (p: Period): number => p.annee * 12 + (p.mois - 1);
const fromIndex = (i: number): Period => ({ annee: Math.floor(i / 12), mois: (i % 12) + 1 });
const label = (p: Period): string => `${MONTH_NAMES[p.mois - 1] ?? ''} ${p.annee}`;

/** The current month, in French legal time (the CAF and MSA calendar). */
export function currentPeriod(today: Date): Period {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: 'numeric' }).formatToParts(today);
  const value = (type: string): number => Number(parts.find((p) => p.type === type)?.value);
  return { annee: value('year'), mois: value('month') };
}

/**
 * The month the request designates, defaults applied.
 * @example
 * requestedPeriod({ mois: 3 }, new Date('2026-11-23')); // { annee: 2026, mois: 3 }
 */
export function requestedPeriod(params: QueryParams, today: Date = new Date()): Period {
  const now = currentPeriod(today);
  return { annee: (params.annee as number | undefined) ?? now.annee, mois: (params.mois as number | undefined) ?? now.mois };
}

/**
 * The rules of the composed period; at most one problem, on the param that makes it wrong.
 * @example
 * quotientFamilialPeriodRules({ annee: 2027 }, new Date('2026-11-23'));
 * // [{ parameter: 'annee', detail: 'La période demandée (novembre 2027) est dans le futur : …' }]
 */
export function quotientFamilialPeriodRules(params: QueryParams, today: Date = new Date()): ParamProblem[] {
  if (params.annee === undefined && params.mois === undefined) return [];
  const now = currentPeriod(today);
  const asked = requestedPeriod(params, today);
  // The param at fault: the year when it differs from the current one, else the month.
  const parameter = params.annee !== undefined && (params.mois === undefined || asked.annee !== now.annee) ? 'annee' : 'mois';
  if (index(asked) > index(now)) {
    return [
      {
        parameter,
        detail: `La période demandée (${label(asked)}) est dans le futur : le quotient familial le plus récent est celui du mois en cours (${label(now)})`,
      },
    ];
  }
  const oldest = fromIndex(index(now) - HISTORY_MONTHS);
  if (index(asked) < index(oldest)) {
    return [
      {
        parameter,
        detail: `La période demandée (${label(asked)}) est trop ancienne : l'historique du quotient familial remonte au plus à 2 ans (${label(oldest)})`,
      },
    ];
  }
  return [];
}
