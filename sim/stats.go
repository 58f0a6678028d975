package sim

import "math"

// z95 is the standard normal quantile for a two-sided 95% interval.
const z95 = 1.959963984540054

// Wilson returns the 95% Wilson score interval for k successes in n trials.
// Unlike the Wald interval it stays inside [0, 1] and has a sensible width
// when k is 0 or n, which matters for rare wars.
func Wilson(k, n int64) (lo, hi float64) {
	if n <= 0 {
		return 0, 1
	}
	nf := float64(n)
	p := float64(k) / nf
	z2 := z95 * z95
	den := 1 + z2/nf
	centre := (p + z2/(2*nf)) / den
	half := z95 * math.Sqrt(p*(1-p)/nf+z2/(4*nf*nf)) / den
	lo, hi = max(0, centre-half), min(1, centre+half)
	// At k = 0 and k = n the bound is exactly 0 or 1, which rounding
	// would otherwise leave a hair inside.
	if k == 0 {
		lo = 0
	}
	if k == n {
		hi = 1
	}
	return lo, hi
}

// PairedDiff returns the difference in the probability of war (variant minus
// baseline) over paired runs, d = (b − c)/n from the b runs at war only
// under the variant and the c only under the baseline, with its 95%
// Agresti–Min interval: the Wald interval for paired proportions after
// adding half a run to each cell of the 2×2 table, clamped to [−1, 1]. The
// plain Wald interval has zero width when no run disagrees, which a
// comparison of a few hundred runs of nearly equal variants often gives;
// the adjusted one stays honest there and equals it for large n. A variant
// identical to its baseline differs by exactly 0, with a zero-width
// interval.
func (p *Paired) PairedDiff() (d, lo, hi float64) {
	if p.Runs == 0 {
		return 0, -1, 1
	}
	n := float64(p.Runs)
	b, c := float64(p.VariantOnly), float64(p.BaseOnly)
	d = (b - c) / n
	if p.Identical {
		return d, d, d
	}
	n2 := n + 2
	pb, pc := (b+0.5)/n2, (c+0.5)/n2
	centre := pb - pc
	half := z95 * math.Sqrt(max(pb+pc-centre*centre, 0)/n2)
	return d, max(centre-half, -1), min(centre+half, 1)
}

// MonthsDiff returns the mean difference in months at war (variant minus
// baseline) over paired runs with its 95% normal interval.
func (p *Paired) MonthsDiff() (d, lo, hi float64) {
	if p.Runs == 0 {
		return 0, 0, 0
	}
	n := float64(p.Runs)
	d = float64(p.SumDiff) / n
	half := 0.0
	if p.Runs > 1 {
		v := (float64(p.SumSqDiff) - n*d*d) / (n - 1)
		half = z95 * math.Sqrt(max(v, 0)/n)
	}
	return d, d - half, d + half
}

// PairedVariance returns the variance of the paired estimate of the
// difference in P(war) and the variance the same difference would have with
// independent streams (from the two marginal proportions). Their ratio is
// what common random numbers saved.
func (p *Paired) PairedVariance() (paired, independent float64) {
	if p.Runs == 0 {
		return 0, 0
	}
	n := float64(p.Runs)
	b, c := float64(p.VariantOnly), float64(p.BaseOnly)
	paired = ((b + c) - (b-c)*(b-c)/n) / (n * n)
	pb := float64(p.Both+p.BaseOnly) / n
	pv := float64(p.Both+p.VariantOnly) / n
	independent = (pb*(1-pb) + pv*(1-pv)) / n
	return paired, independent
}

// histMean returns the mean of a histogram whose bin k counts value k.
func histMean(h []int64, n int64) float64 {
	if n == 0 {
		return 0
	}
	s := 0.0
	for k, c := range h {
		s += float64(k) * float64(c)
	}
	return s / float64(n)
}

// histVar returns the sample variance of a histogram whose bin k counts
// value k.
func histVar(h []int64, n int64) float64 {
	if n < 2 {
		return 0
	}
	m := histMean(h, n)
	s := 0.0
	for k, c := range h {
		d := float64(k) - m
		s += d * d * float64(c)
	}
	return s / float64(n-1)
}

// histQuantile returns the q-quantile of a histogram whose bin k counts
// value k: the smallest k whose cumulative count reaches q*n.
func histQuantile(h []int64, n int64, q float64) float64 {
	if n == 0 {
		return 0
	}
	target := q * float64(n)
	cum := int64(0)
	for k, c := range h {
		cum += c
		if c > 0 && float64(cum) >= target {
			return float64(k)
		}
	}
	return float64(len(h) - 1)
}

// binQuantile returns the q-quantile of a tension histogram over [0, 1],
// interpolating linearly within the bin where the cumulative count crosses
// q*n. Its error is at most one bin width (0.01).
func binQuantile(h []int64, n int64, q float64) float64 {
	if n == 0 {
		return 0
	}
	target := q * float64(n)
	cum := 0.0
	width := 1.0 / float64(len(h))
	for b, c := range h {
		if c == 0 {
			continue
		}
		next := cum + float64(c)
		if next >= target {
			frac := (target - cum) / float64(c)
			return (float64(b) + frac) * width
		}
		cum = next
	}
	return 1
}
