/**
 * SIRET validation for the mandatory `recipient` param (CONTRACT §1.1, docs/adr/0003-recipient-siret.md).
 *
 * A SIRET is 14 digits: the SIREN (9) + the establishment number (5). Its key is a Luhn check over the
 * 14 digits. La Poste (SIREN 356000000) numbered its many establishments beyond what Luhn allows, so INSEE
 * applies another rule to them: the sum of the 14 digits is a multiple of 5.
 */

const LA_POSTE_SIREN = '356000000';

function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

function digitSum(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) sum += digits.charCodeAt(i) - 48;
  return sum;
}

/**
 * Tells whether a string is a well-formed SIRET.
 * @example
 * isValidSiret('13002526500013') // true (DINUM)
 * isValidSiret('13002526500014') // false
 */
export function isValidSiret(value: string): boolean {
  if (!/^\d{14}$/.test(value)) return false;
  if (value.startsWith(LA_POSTE_SIREN)) return luhnValid(value) || digitSum(value) % 5 === 0;
  return luhnValid(value);
}
