package explore

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// SobolIndex is one parameter's variance-based sensitivity indices with
// percentile-bootstrap 95% intervals.
type SobolIndex struct {
	First   float64    // first-order index S_i (Saltelli et al. 2010)
	FirstCI [2]float64 // 95% interval of S_i
	Total   float64    // total index S_Ti (Jansen 1999)
	TotalCI [2]float64 // 95% interval of S_Ti
}

// SobolResult holds the indices of every parameter for one output.
type SobolResult struct {
	Indices []SobolIndex
	// Variance is the output's variance over the A and B samples; zero
	// means the output did not vary and every index is 0 by definition.
	Variance float64
	// N is the number of base samples.
	N int
}

// SobolIndices estimates first-order and total Sobol indices from a
// Saltelli design's outputs (SaltelliSplit), with the estimators of
// Saltelli et al. (2010, Comput. Phys. Commun. 181, table 2 (b) and (f)):
//
//	V_i  = mean((f(B) - m) (f(AB_i) - f(A)))
//	V_Ti = mean((f(A) - f(AB_i))²) / 2
//
// each divided by the variance of f over A and B, m being its mean there
// (Saltelli's estimator with f(B) centred, which leaves its expectation
// unchanged and removes the variance a large mean adds). Intervals are
// percentile-bootstrap intervals over the base samples (resamples draws;
// 0 leaves them at the estimate). Estimates can fall below 0 or above 1 by
// sampling error; they are reported as estimated, not clipped, since
// clipping hides exactly the noise a user must see.
func SobolIndices(fA, fB []float64, fAB [][]float64, resamples int, src rand.Source) (SobolResult, error) {
	n := len(fA)
	if n < 2 || len(fB) != n {
		return SobolResult{}, fmt.Errorf("sobol indices: want equal f(A) and f(B) of at least 2 samples, got %d and %d", len(fA), len(fB))
	}
	for i, ab := range fAB {
		if len(ab) != n {
			return SobolResult{}, fmt.Errorf("sobol indices: f(AB_%d) has %d samples, want %d", i+1, len(ab), n)
		}
	}
	if resamples > 0 && src == nil {
		return SobolResult{}, fmt.Errorf("sobol indices: bootstrap needs a random source")
	}
	k := len(fAB)
	idx := make([]int, n)
	for j := range idx {
		idx[j] = j
	}
	v, first, total := sobolEstimate(fA, fB, fAB, idx)
	res := SobolResult{Indices: make([]SobolIndex, k), Variance: v, N: n}
	for i := range k {
		res.Indices[i] = SobolIndex{First: first[i], FirstCI: [2]float64{first[i], first[i]}, Total: total[i], TotalCI: [2]float64{total[i], total[i]}}
	}
	if resamples <= 0 || v == 0 {
		return res, nil
	}
	rng := rand.New(src)
	bf := make([][]float64, k)
	bt := make([][]float64, k)
	for range resamples {
		for j := range idx {
			idx[j] = rng.IntN(n)
		}
		_, f, t := sobolEstimate(fA, fB, fAB, idx)
		for i := range k {
			bf[i] = append(bf[i], f[i])
			bt[i] = append(bt[i], t[i])
		}
	}
	for i := range k {
		res.Indices[i].FirstCI = percentileCI(bf[i])
		res.Indices[i].TotalCI = percentileCI(bt[i])
	}
	return res, nil
}

// sobolEstimate computes the indices over the base samples idx (with
// repeats, for the bootstrap).
func sobolEstimate(fA, fB []float64, fAB [][]float64, idx []int) (v float64, first, total []float64) {
	var sum, sumSq float64
	for _, j := range idx {
		sum += fA[j] + fB[j]
	}
	m := sum / float64(2*len(idx))
	for _, j := range idx {
		a, b := fA[j]-m, fB[j]-m
		sumSq += a*a + b*b
	}
	v = sumSq / float64(2*len(idx)-1)
	first = make([]float64, len(fAB))
	total = make([]float64, len(fAB))
	if v == 0 || math.IsNaN(v) {
		return 0, first, total
	}
	for i, ab := range fAB {
		var s1, st float64
		for _, j := range idx {
			// Centred on the mean: the same expectation (f(AB_i) and
			// f(A) have the same mean), far less variance when the
			// output's mean is large against its spread.
			s1 += (fB[j] - m) * (ab[j] - fA[j])
			d := fA[j] - ab[j]
			st += d * d
		}
		first[i] = s1 / float64(len(idx)) / v
		total[i] = st / float64(2*len(idx)) / v
	}
	return v, first, total
}

// percentileCI returns the 2.5% and 97.5% quantiles of xs (sorted in place).
func percentileCI(xs []float64) [2]float64 {
	slices.Sort(xs)
	return [2]float64{quantileSorted(xs, 0.025), quantileSorted(xs, 0.975)}
}

// quantileSorted is the linearly interpolated quantile of sorted xs
// (Hyndman & Fan type 7, the default of R and numpy).
func quantileSorted(xs []float64, q float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	h := q * float64(len(xs)-1)
	lo := int(math.Floor(h))
	if lo >= len(xs)-1 {
		return xs[len(xs)-1]
	}
	return xs[lo] + (h-float64(lo))*(xs[lo+1]-xs[lo])
}

// Resolution judges whether indices are resolved: an index is unresolved
// when its interval is wider than Width or it is estimated below zero by
// more than its interval explains.
type Resolution struct {
	Width float64 // widest acceptable 95% interval, e.g. 0.1
}

// Unresolved lists, for each parameter whose indices the sample does not
// resolve, a plain-word reason, and returns the number of base samples
// that would resolve them all: interval widths shrink as 1/sqrt(n), so
// n (width/Width)², rounded up to a power of two (0 when all are resolved).
func (r Resolution) Unresolved(res SobolResult, names []string) (reasons []string, need int) {
	worst := 0.0
	for i, ix := range res.Indices {
		name := fmt.Sprintf("parameter %d", i+1)
		if i < len(names) {
			name = names[i]
		}
		wf := ix.FirstCI[1] - ix.FirstCI[0]
		wt := ix.TotalCI[1] - ix.TotalCI[0]
		w := max(wf, wt)
		switch {
		case ix.First < 0 && ix.FirstCI[1] < 0:
			reasons = append(reasons, fmt.Sprintf("%s: first-order index %.3f is negative beyond its interval; the estimate is dominated by noise", name, ix.First))
			worst = max(worst, w, 2*r.Width)
		case w > r.Width:
			reasons = append(reasons, fmt.Sprintf("%s: 95%% intervals %.2f wide (first order [%.3f, %.3f], total [%.3f, %.3f])", name, w, ix.FirstCI[0], ix.FirstCI[1], ix.TotalCI[0], ix.TotalCI[1]))
			worst = max(worst, w)
		}
	}
	if worst == 0 {
		return nil, 0
	}
	want := float64(res.N) * (worst / r.Width) * (worst / r.Width)
	need = 1
	for float64(need) < want {
		need *= 2
	}
	return reasons, need
}

// MorrisIndex is one parameter's elementary-effect statistics.
type MorrisIndex struct {
	MuStar   float64    // mean of |elementary effects| (Campolongo et al. 2007)
	MuStarCI [2]float64 // bootstrap 95% interval of MuStar, over trajectories
	Mu       float64    // mean elementary effect
	Sigma    float64    // standard deviation of the elementary effects
}

// MorrisEffects computes the elementary effects of a MorrisPoints design
// of k parameters from the outputs f at its points, in units of output
// per unit of the cube coordinate, with bootstrap intervals of mu* over
// trajectories (resamples draws; 0 leaves them at the estimate).
func MorrisEffects(pts [][]float64, f []float64, k, resamples int, src rand.Source) ([]MorrisIndex, error) {
	if k < 1 || len(pts) == 0 || len(pts)%(k+1) != 0 || len(f) != len(pts) {
		return nil, fmt.Errorf("morris: %d points and %d outputs do not form trajectories of k+1 = %d points", len(pts), len(f), k+1)
	}
	if resamples > 0 && src == nil {
		return nil, fmt.Errorf("morris: bootstrap needs a random source")
	}
	r := len(pts) / (k + 1)
	ee := make([][]float64, k) // ee[i][t]: effect of parameter i in trajectory t
	for i := range ee {
		ee[i] = make([]float64, r)
	}
	for t := range r {
		seen := make([]bool, k)
		for s := range k {
			p0, p1 := pts[t*(k+1)+s], pts[t*(k+1)+s+1]
			i := -1
			for j := range k {
				if p0[j] != p1[j] {
					if i >= 0 {
						return nil, fmt.Errorf("morris: trajectory %d step %d changes more than one parameter", t+1, s+1)
					}
					i = j
				}
			}
			if i < 0 || seen[i] {
				return nil, fmt.Errorf("morris: trajectory %d step %d does not change a new parameter", t+1, s+1)
			}
			seen[i] = true
			ee[i][t] = (f[t*(k+1)+s+1] - f[t*(k+1)+s]) / (p1[i] - p0[i])
		}
	}
	out := make([]MorrisIndex, k)
	var rng *rand.Rand
	if resamples > 0 {
		rng = rand.New(src)
	}
	pick := make([]int, r)
	boot := make([]float64, resamples)
	for i, e := range ee {
		var sum, abs float64
		for _, x := range e {
			sum += x
			abs += math.Abs(x)
		}
		mu := sum / float64(r)
		var ss float64
		for _, x := range e {
			ss += (x - mu) * (x - mu)
		}
		sigma := 0.0
		if r > 1 {
			sigma = math.Sqrt(ss / float64(r-1))
		}
		out[i] = MorrisIndex{MuStar: abs / float64(r), Mu: mu, Sigma: sigma}
		out[i].MuStarCI = [2]float64{out[i].MuStar, out[i].MuStar}
		if resamples > 0 {
			for b := range boot {
				for t := range pick {
					pick[t] = rng.IntN(r)
				}
				var a float64
				for _, t := range pick {
					a += math.Abs(e[t])
				}
				boot[b] = a / float64(r)
			}
			out[i].MuStarCI = percentileCI(boot)
		}
	}
	return out, nil
}
