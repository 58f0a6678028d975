package sim

// The constants of Go's math.expm1 (FreeBSD's s_expm1.c), whose paths for a
// negative argument effectsTension writes out for a regional mandate's
// capacity (see there).
const (
	expm1Ln2HalfX3 = 1.03972077083991796413e+00  // 0x3ff0a2b23f3bab73
	expm1Ln2Half   = 3.46573590279972654709e-01  // 0x3fd62e42fefa39ef
	expm1Ln2Hi     = 6.93147180369123816490e-01  // 0x3fe62e42fee00000
	expm1Ln2Lo     = 1.90821492927058770002e-10  // 0x3dea39ef35793c76
	expm1Tiny      = 1.0 / (1 << 54)             // 2**-54 = 0x3c90000000000000
	expm1Q1        = -3.33333333333331316428e-02 // 0xBFA11111111110F4
	expm1Q2        = 1.58730158725481460165e-03  // 0x3F5A01A019FE5585
	expm1Q3        = -7.93650757867487942473e-05 // 0xBF14CE199EAADBB7
	expm1Q4        = 4.00821782732936239552e-06  // 0x3ED0CFCA86E65239
	expm1Q5        = -2.01099218183624371326e-07 // 0xBE8AFDB76E09C32D
)
