// Package numfmt formats the numbers escalate shows people, once for the
// command line's tables and the charts, so that a figure reads the same
// everywhere: differences with their sign, amounts of money, counts of
// runs.
//
// Text uses the ASCII hyphen-minus; charts replace it with a typographic
// minus (Typographic) for print.
package numfmt

import (
	"math"
	"strconv"
	"strings"
)

// Signed formats a difference x with a sign and the given decimals, as
// tables and charts write changes ("+1.5", "-28.3"). Exactly zero is
// "0.0", without a sign. A difference that is not zero but rounds to zero
// gets up to three more decimals, so that its sign shows ("-0.003"): an
// interval [-0.005, -0.0002] is wholly negative, and its estimate must not
// read "+0.00" beside it. Beyond three more decimals it keeps the sign of
// x ("-0.00000").
func Signed(x float64, decimals int) string {
	if x == 0 {
		return strconv.FormatFloat(0, 'f', decimals, 64)
	}
	var s string
	for d := decimals; d <= decimals+3; d++ {
		s = strconv.FormatFloat(x, 'f', d, 64)
		if strings.Trim(s, "+-0.") != "" {
			break
		}
	}
	if x > 0 {
		return "+" + s
	}
	if !strings.HasPrefix(s, "-") {
		s = "-" + s
	}
	return s
}

// Points formats a difference of two shares in percentage points with
// one decimal and a sign: Points(-0.1795) is "-17.9" (the share is
// 0.17949999999999999 as a float64), in the table and on the chart alike.
func Points(d float64) string { return Signed(100*d, 1) }

// Money formats an amount of US dollars briefly: "$950", "$12k",
// "$12.8M", "$1.25bn".
func Money(x float64) string {
	a := math.Abs(x)
	unit, suffix, d := 1.0, "", 0
	switch {
	case a >= 1e9:
		unit, suffix, d = 1e9, "bn", 2
	case a >= 1e6:
		unit, suffix, d = 1e6, "M", 1
	case a >= 1e3:
		unit, suffix = 1e3, "k"
	}
	s := "$" + strconv.FormatFloat(a/unit, 'f', d, 64) + suffix
	if x < 0 && s != "$0" {
		return "-" + s
	}
	return s
}

// Thousands formats n with thousands separators, e.g. "10,000".
func Thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := n < 0
	if neg {
		s = s[1:]
	}
	out := make([]byte, 0, len(s)+len(s)/3)
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	if neg {
		return "-" + string(out)
	}
	return string(out)
}

// RunCount is "1 run" or "10,000 runs".
func RunCount(n int64) string {
	if n == 1 {
		return "1 run"
	}
	return Thousands(n) + " runs"
}

// Typographic replaces the hyphen-minus of a formatted number by the
// minus sign U+2212, for charts.
func Typographic(s string) string { return strings.ReplaceAll(s, "-", "−") }
