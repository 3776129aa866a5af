/** Three decimals: seconds to the millisecond (and progress fractions) in everything we return. */
export const round3 = (x: number): number => Math.round(x * 1000) / 1000;
