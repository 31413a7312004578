/**
 * Formats a number with a fixed number of decimals exactly as Python's `format(x, '.Nf')` does:
 * the exact binary value is rounded half-to-even. JavaScript's `toFixed` rounds exact ties up
 * (`(0.125).toFixed(2)` is `'0.13'`, Python prints `'0.12'`), which would make reports differ from
 * scikit-learn's on values such as 1/8.
 *
 * @param value - Any number; NaN and infinities print as Python does (`nan`, `inf`, `-inf`).
 * @param digits - Decimals, a whole number from 0 to 100.
 */
export function formatFixed(value: number, digits: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  const magnitude = Math.abs(value);
  const sign = value < 0 || Object.is(value, -0) ? '-' : '';
  // Fast path: the scaled value is off the exact one by < 2e-7 here, so unless the exact value sits
  // within 1e-6 of a tie, rounding the scaled double rounds the exact value. Near ties go the exact way.
  if (digits <= 15) {
    const scale = POWERS_OF_TEN[digits] as number;
    const scaled = magnitude * scale;
    if (scaled < 1e9 && Math.abs(scaled - Math.floor(scaled) - 0.5) > 1e-6) {
      const rounded = Math.round(scaled);
      if (digits === 0) return sign + rounded;
      const whole = Math.floor(rounded / scale); // exact: integers below 1e9
      return `${sign}${whole}.${String(rounded - whole * scale).padStart(digits, '0')}`;
    }
  }
  return sign + formatFixedExact(magnitude, digits);
}

const POWERS_OF_TEN = Array.from({ length: 16 }, (_, i) => 10 ** i);

/** Exact half-to-even rounding of a non-negative finite double, with BigInt arithmetic. */
function formatFixedExact(magnitude: number, digits: number): string {
  const { mantissa, exponent } = decompose(magnitude);
  const pow10 = 10n ** BigInt(digits);
  let rounded: bigint;
  if (exponent >= 0) {
    rounded = (mantissa << BigInt(exponent)) * pow10;
  } else {
    const shift = BigInt(-exponent);
    const numerator = mantissa * pow10;
    rounded = numerator >> shift;
    const remainder = numerator - (rounded << shift);
    const half = 1n << (shift - 1n);
    if (remainder > half || (remainder === half && (rounded & 1n) === 1n)) rounded += 1n;
  }
  return withDecimalPoint(rounded.toString(), digits);
}

/** Places the decimal point `digits` from the right of an integer's digits, padding with zeros. */
function withDecimalPoint(integerDigits: string, digits: number): string {
  if (digits === 0) return integerDigits;
  const text = integerDigits.padStart(digits + 1, '0');
  return `${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/** Splits a non-negative finite double into an integer mantissa and a power of two. */
function decompose(magnitude: number): { mantissa: bigint; exponent: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, magnitude);
  const bits = view.getBigUint64(0);
  const biasedExponent = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & 0xfffffffffffffn;
  if (biasedExponent === 0) return { mantissa: fraction, exponent: -1074 }; // subnormal or zero
  return { mantissa: fraction | (1n << 52n), exponent: biasedExponent - 1075 };
}

/** Right-aligns `text` in `width` characters, counting code points as Python's `{:>N}` does. */
export function padLeft(text: string, width: number): string {
  const length = codePointLength(text);
  return length >= width ? text : ' '.repeat(width - length) + text;
}

/** Length in code points (Python's `len`): a character outside the BMP counts once, not twice. */
export function codePointLength(text: string): number {
  let length = text.length;
  for (let i = 0; i + 1 < text.length; i++) {
    const unit = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    // A high surrogate followed by a low one is a single code point.
    if (unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) length--;
  }
  return length;
}
