/**
 * GTIN barcodes as printed on retail goods: EAN-8, UPC-A (12 digits) and EAN-13. The last digit is a
 * mod-10 check digit over the others, weighted 3,1,3,1… from the right (GS1 General Specifications §7.9).
 */
const GTIN = /^(?:\d{8}|\d{12}|\d{13})$/;

/** True when `code` has a GTIN length and its check digit matches. */
export function isValidGtin(code: string): boolean {
  if (!GTIN.test(code)) return false;
  return checkDigit(code.slice(0, -1)) === Number(code[code.length - 1]);
}

/** The check digit for a GTIN body (all digits but the last). */
export function checkDigit(body: string): number {
  let sum = 0;
  for (let i = body.length - 1, weight = 3; i >= 0; i--, weight = 4 - weight) sum += Number(body[i]) * weight;
  return (10 - (sum % 10)) % 10;
}

/**
 * The 14-digit form every GTIN maps to (zero-padded on the left): UPC-A 036000291452 and EAN-13
 * 0036000291452 are the same product, so uniqueness and look-ups use this key.
 */
export function gtinKey(code: string): string {
  return code.padStart(14, '0');
}
