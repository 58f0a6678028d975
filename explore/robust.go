package explore

import (
	"fmt"
	"math"
	"slices"
)

// Robustness summarises one strategy's outcome (lower is better, e.g. a
// probability of war) across the futures of a design.
type Robustness struct {
	Mean     float64
	MeanCI   [2]float64 // normal 95% interval of the mean over futures
	P10, P90 float64    // 10th and 90th percentiles over futures
	// Satisficing is the share of futures whose outcome is at most the
	// threshold; NaN when no threshold was given.
	Satisficing float64
	// Regret in a future is the strategy's outcome minus the best
	// strategy's outcome in that future (0 for the best).
	RegretMean   float64
	RegretMeanCI [2]float64
	RegretMax    float64
}

// Robust computes each strategy's robustness from values[f][s], the
// outcome of strategy s in future f (lower is better). satisfice is the
// satisficing threshold, or NaN for none.
func Robust(values [][]float64, satisfice float64) ([]Robustness, error) {
	if len(values) == 0 {
		return nil, fmt.Errorf("robustness: no futures")
	}
	ns := len(values[0])
	for f, row := range values {
		if len(row) != ns || ns == 0 {
			return nil, fmt.Errorf("robustness: future %d has %d strategies, want %d", f+1, len(row), ns)
		}
	}
	out := make([]Robustness, ns)
	col := make([]float64, len(values))
	regret := make([]float64, len(values))
	for s := range ns {
		ok := 0
		for f, row := range values {
			col[f] = row[s]
			regret[f] = row[s] - slices.Min(row)
			if row[s] <= satisfice {
				ok++
			}
		}
		r := Robustness{Satisficing: math.NaN()}
		r.Mean, r.MeanCI = meanCI(col)
		r.RegretMean, r.RegretMeanCI = meanCI(regret)
		r.RegretMax = slices.Max(regret)
		if !math.IsNaN(satisfice) {
			r.Satisficing = float64(ok) / float64(len(values))
		}
		slices.Sort(col)
		r.P10, r.P90 = quantileSorted(col, 0.1), quantileSorted(col, 0.9)
		out[s] = r
	}
	return out, nil
}

// meanCI returns the mean of xs and its normal-approximation 95% interval.
func meanCI(xs []float64) (float64, [2]float64) {
	n := float64(len(xs))
	var sum float64
	for _, x := range xs {
		sum += x
	}
	m := sum / n
	if len(xs) < 2 {
		return m, [2]float64{m, m}
	}
	var ss float64
	for _, x := range xs {
		ss += (x - m) * (x - m)
	}
	h := 1.959963984540054 * math.Sqrt(ss/(n-1)/n)
	return m, [2]float64{m - h, m + h}
}

// RankStep compares two strategies adjacent in a ranking by mean outcome:
// the paired difference of their outcomes over the same futures.
type RankStep struct {
	Better, Worse int        // strategy indices
	Diff          float64    // mean of worse - better over futures (>= 0)
	CI            [2]float64 // 95% interval of Diff
	// Resolved says that the interval excludes zero: the sample of
	// futures separates the two.
	Resolved bool
}

// Rank orders strategies by mean outcome over futures (lower first) and
// says, for each adjacent pair, whether the paired difference is resolved.
func Rank(values [][]float64) (order []int, steps []RankStep, err error) {
	rob, err := Robust(values, math.NaN())
	if err != nil {
		return nil, nil, err
	}
	order = make([]int, len(rob))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case rob[a].Mean < rob[b].Mean:
			return -1
		case rob[a].Mean > rob[b].Mean:
			return 1
		}
		return 0
	})
	d := make([]float64, len(values))
	for i := 1; i < len(order); i++ {
		b, w := order[i-1], order[i]
		for f, row := range values {
			d[f] = row[w] - row[b]
		}
		m, ci := meanCI(d)
		steps = append(steps, RankStep{Better: b, Worse: w, Diff: m, CI: ci, Resolved: ci[0] > 0 || ci[1] < 0})
	}
	return order, steps, nil
}
