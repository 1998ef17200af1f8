// src/options/simd_math.h (private): exp, log and the normal CDF as branch-free inline code that
// the compiler vectorises (no libm calls, selects instead of branches), for the batch kernels.
//
// Accuracy (checked against libm and scipy in tests/options/batch_kernel_test.cpp):
//   exp: Cody-Waite reduction by ln 2 and a degree-13 Taylor polynomial, ~1 ulp; 0 below -708
//        (exp<11>: degree 11, ~9e-15).
//   log: x = m 2^e with m in [sqrt(1/2), sqrt(2)), ln m = 2 atanh((m-1)/(m+1)) by 11 terms of
//        its series, ~1 ulp; for positive normal x only (callers route other inputs elsewhere).
//   norm_cdf: N(x) = erfc(|x|/sqrt 2)/2 (or 1 minus that), erfc(z) = e^{-z^2} erfcx(z), erfcx
//        from a degree-22 polynomial (a Chebyshev fit in powers) of t = (z - 4)/(z + 4) on
//        z in [0, 27] (fitted to scipy.special.erfcx, max relative error 2.3e-14) for |x| >= sqrt 2; relative error in
//        the lower tail ~1e-14 (plus e^{-z^2} losing ~z^2 ulp for very negative x). For
//        |x| < sqrt 2 the Maclaurin series of erf (18 terms), exact to a few ulp.
//   erfcx_lean: the same form to degree 16, relative error ~5e-13, for kernels that need less.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>

namespace keel::options::detail::simd {

inline constexpr double kLog2e = 1.4426950408889634074;
inline constexpr double kLn2Hi = 6.93147180369123816490e-01;  // fdlibm split of ln 2
inline constexpr double kLn2Lo = 1.90821492927058770002e-10;
inline constexpr double kShift = 6755399441055744.0;  // 1.5 * 2^52: rounds to an integer
inline constexpr double kSqrt2 = 1.41421356237309504880;

// 1 / k!, k = 0..13 (each k! is exact in double).
inline constexpr double kInvFactorial[14] = {
    1.0,         1.0,          0.5,            1.0 / 6.0,       1.0 / 24.0,        1.0 / 120.0,        1.0 / 720.0,
    1.0 / 5040.0, 1.0 / 40320.0, 1.0 / 362880.0, 1.0 / 3628800.0, 1.0 / 39916800.0, 1.0 / 479001600.0, 1.0 / 6227020800.0,
};

// e^x with the Taylor polynomial of e^r to degree kDegree, |r| <= ln2 / 2: 13 gives ~1 ulp; 11
// leaves the truncation below 6.4e-15 relative (0.347^12 / 12!; 8.7e-15 measured) for two fewer
// operations.
template <int kDegree = 13>
[[gnu::always_inline]] inline double exp(double x) {
  static_assert(kDegree >= 1 && kDegree <= 13);
  const double xc = x < -708.0 ? -708.0 : (x > 709.0 ? 709.0 : x);
  const double t = xc * kLog2e + kShift;
  const double n = t - kShift;
  const double r = (xc - n * kLn2Hi) - n * kLn2Lo;
  // e^r = sum r^k / k!, k = 0..kDegree.
  double p = kInvFactorial[kDegree];
#pragma GCC unroll 16
  for (int k = kDegree - 1; k >= 0; --k) p = p * r + kInvFactorial[k];
  // Scale by 2^n: the low mantissa bits of t hold n; shifted into the exponent field.
  const std::uint64_t bits = std::bit_cast<std::uint64_t>(p) + (std::bit_cast<std::uint64_t>(t) << 52);
  double out = std::bit_cast<double>(bits);
  out = x < -708.0 ? 0.0 : out;
  out = x > 709.0 ? __builtin_inf() : out;
  return out;
}

[[gnu::always_inline]] inline double log(double x) {
  const std::uint64_t bits = std::bit_cast<std::uint64_t>(x);
  // Biased exponent as a double without an int-to-double conversion: 2^52 + field - (2^52 + 1023).
  double e = std::bit_cast<double>((bits >> 52) | 0x4330000000000000ULL) - 4503599627371519.0;
  double m = std::bit_cast<double>((bits & 0x000FFFFFFFFFFFFFULL) | 0x3FF0000000000000ULL);
  const bool big = m > kSqrt2;
  m = big ? 0.5 * m : m;
  e = big ? e + 1.0 : e;
  const double f = (m - 1.0) / (m + 1.0);
  const double f2 = f * f;
  double s = 1.0 / 21.0;
  s = s * f2 + 1.0 / 19.0;
  s = s * f2 + 1.0 / 17.0;
  s = s * f2 + 1.0 / 15.0;
  s = s * f2 + 1.0 / 13.0;
  s = s * f2 + 1.0 / 11.0;
  s = s * f2 + 1.0 / 9.0;
  s = s * f2 + 1.0 / 7.0;
  s = s * f2 + 1.0 / 5.0;
  s = s * f2 + 1.0 / 3.0;
  s = s * f2 + 1.0;
  return e * kLn2Hi + (e * kLn2Lo + 2.0 * f * s);
}

// erfcx(z) (1 + 2z) as a degree-22 polynomial in u = (t - (a + b)/2) / ((b - a)/2),
// t = (z - 4)/(z + 4), a = -1, b = 23/31 (z = 27): a Chebyshev series fitted to
// scipy.special.erfcx, converted to powers of u (numpy.polynomial.chebyshev.cheb2poly) so that
// Horner's rule costs one FMA per term instead of Clenshaw's two; the power coefficients stay
// below 1.3 in magnitude, so Horner in double is as accurate as Clenshaw (both ~3e-16 relative,
// checked in long double).
inline constexpr double kErfcxPoly[23] = {
    1.2510888243256928,
    -0.12121699707788329,
    -0.017745935064714197,
    0.09190187551322261,
    -0.10427717773851428,
    0.08029773197331959,
    -0.04731980569619427,
    0.021700599351300424,
    -0.007456299137003968,
    0.0016590194475525303,
    -7.490142844942365e-05,
    -9.917771411652448e-05,
    3.227083516576426e-05,
    8.139382231000937e-07,
    -2.9770826927905525e-06,
    4.1617711673880557e-07,
    2.4868258373906703e-07,
    -7.157207470981017e-08,
    -3.586937681424675e-08,
    1.1016010191569062e-08,
    9.539962493942834e-09,
    -1.3161031481075694e-09,
    -1.6299011218185026e-09,
};
inline constexpr double kErfcxB = 23.0 / 31.0;
inline constexpr double kErfcxScale = 2.0 / (kErfcxB + 1.0);             // 2 / (b - a)
inline constexpr double kErfcxOffset = -(kErfcxB - 1.0) / (kErfcxB + 1.0);  // -(a + b) / (b - a)

// 1 / (n! (2n + 1)), n = 0..19: the series of erf(z) / (2 z / sqrt(pi)) in -z^2.
inline constexpr double kErfSeries[20] = {
    1.0 / 1.0,
    1.0 / 3.0,
    1.0 / 10.0,
    1.0 / 42.0,
    1.0 / 216.0,
    1.0 / 1320.0,
    1.0 / 9360.0,
    1.0 / 75600.0,
    1.0 / 685440.0,
    1.0 / 6894720.0,
    1.0 / 76204800.0,
    1.0 / 918086400.0,
    1.0 / 11975040000.0,
    1.0 / 168129561600.0,
    1.0 / 2528170444800.0,
    1.0 / 40537905408000.0,
    1.0 / 690452066304000.0,
    1.0 / 12449059983360000.0,
    1.0 / 236887827111936000.0,
    1.0 / 4744158915944448000.0,
};

// erfcx(a) = e^{a^2} erfc(a) for a >= 0 from a fit of erfcx(z) (1 + 2z) in u (coefficients
// `coef`, in powers of u), arguments clamped to [0, 27] (callers keep a <= 27 where the value
// matters). One division gives both t = (a - 4)/(a + 4) and 1/(1 + 2a).
template <std::size_t N>
[[gnu::always_inline]] inline double erfcx_fit(double a, const double (&coef)[N]) {
  a = a < 0.0 ? 0.0 : (a > 27.0 ? 27.0 : a);
  const double inv = 1.0 / ((a + 4.0) * (1.0 + 2.0 * a));
  const double t = (a - 4.0) * (1.0 + 2.0 * a) * inv;
  const double u = t * kErfcxScale + kErfcxOffset;
  double poly = coef[N - 1];
#pragma GCC unroll 24
  for (int k = static_cast<int>(N) - 2; k >= 0; --k) poly = poly * u + coef[k];
  return poly * ((a + 4.0) * inv);
}

// erfcx from kErfcxPoly: relative error ~2.3e-14, smooth in a.
[[gnu::always_inline]] inline double erfcx(double a) { return erfcx_fit(a, kErfcxPoly); }

// The same fit to degree 16 (relative least squares on 4,000 Chebyshev points of u; max relative
// error 5.3e-13 against scipy.special.erfcx): for kernels that need far less than double
// precision (the American fixed-point integrals, accurate to ~1e-9), six fewer operations.
inline constexpr double kErfcxLeanPoly[17] = {
    1.2510888243255858,
    -0.12121699706766491,
    -0.01774593504757499,
    0.09190187502190672,
    -0.10427717817647306,
    0.08029773888623279,
    -0.04731980129464802,
    0.02170055546393631,
    -0.007456321724706876,
    0.0016591683581811054,
    -7.48349315989414e-05,
    -9.946822656040771e-05,
    3.2152349474720565e-05,
    1.145511374200936e-06,
    -2.847087094109968e-06,
    2.0178966375627994e-07,
    1.613237194386663e-07,
};

// erfcx from kErfcxLeanPoly: relative error ~5.3e-13.
[[gnu::always_inline]] inline double erfcx_lean(double a) { return erfcx_fit(a, kErfcxLeanPoly); }

// N(x), given g = exp(-x^2 / 2) (which the caller also uses for the density).
[[gnu::always_inline]] inline double norm_cdf_with(double x, double g) {
  const double ax = x < 0.0 ? -x : x;
  const double half_erfc = 0.5 * g * erfcx(ax * 0.70710678118654752440);
  const double tail = x < 0.0 ? half_erfc : 1.0 - half_erfc;
  // Near the centre (|x| < sqrt 2) the Maclaurin series of erf is exact to rounding:
  // erf(z) = 2/sqrt(pi) sum_n (-1)^n z^(2n+1) / (n! (2n+1)), 18 terms for |z| < 1
  // (the next term is below 5e-18).
  const double zs = x * 0.70710678118654752440;
  const double zz = zs * zs;
  double series = 0.0;
#pragma GCC unroll 24
  for (int n = 17; n >= 0; --n) series = series * (-zz) + kErfSeries[n];
  const double centre = 0.5 + 0.5 * 1.12837916709551257390 * zs * series;
  return ax < kSqrt2 ? centre : tail;
}

}  // namespace keel::options::detail::simd
