package calibrate

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/escalate-sim/escalate/calibrate/acd"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// K is the number of stages.
const K = acd.NumStages

// Counts are transition counts: Counts[i][j] is the number of country-years
// in stage j whose previous year was in stage i.
type Counts [K][K]int

// Matrix is a row-stochastic matrix over the stages, or a matrix of
// interval bounds for one.
type Matrix [K][K]float64

// Row returns the number of transitions out of stage i.
func (c *Counts) Row(i int) int { return c[i][0] + c[i][1] + c[i][2] }

// Total returns the number of transitions.
func (c *Counts) Total() int { return c.Row(0) + c.Row(1) + c.Row(2) }

func (c *Counts) add(o *Counts) {
	for i := range K {
		for j := range K {
			c[i][j] += o[i][j]
		}
	}
}

// MLE returns the maximum-likelihood transition matrix, each row the
// counts over their sum; a row with no transitions is NaN.
func (c *Counts) MLE() Matrix {
	var m Matrix
	for i := range K {
		n := float64(c.Row(i))
		for j := range K {
			m[i][j] = float64(c[i][j]) / n
		}
	}
	return m
}

// UnitCounts counts the unit's transitions t-1 -> t for t in [from, to].
func UnitCounts(u *acd.Unit, from, to int) Counts {
	var c Counts
	for t := max(from, u.First+1); t <= to && t < u.First+len(u.Stages); t++ {
		a, b := u.At(t-1), u.At(t)
		if a != acd.Absent && b != acd.Absent {
			c[a][b]++
		}
	}
	return c
}

// CountTransitions counts the panel's transitions t-1 -> t for t in
// [from, to].
func CountTransitions(p *acd.Panel, from, to int) Counts {
	var c Counts
	for i := range p.Units {
		uc := UnitCounts(&p.Units[i], from, to)
		c.add(&uc)
	}
	return c
}

// Markov is a fitted annual transition matrix.
type Markov struct {
	From, To int    // years whose transitions were counted (t-1 -> t counts in t)
	Units    int    // units with at least one transition
	Counts   Counts // transitions counted
	P        Matrix // maximum-likelihood estimate
	// Low and High are the 95% bootstrap percentile interval of each
	// probability, from Resamples resamples of the units with replacement.
	Low, High Matrix
	// Stationary is the chain's long-run share of years in each stage,
	// with its bootstrap interval.
	Stationary, StationaryLow, StationaryHigh [K]float64
	// MeanStay is the expected length in years of a spell in each stage,
	// 1 / (1 - P[i][i]), with its bootstrap interval.
	MeanStay, MeanStayLow, MeanStayHigh [K]float64
	Resamples                           int
	Seed                                uint64
}

// FitMarkov fits the annual transition matrix to the transitions of the
// years from..to, with a bootstrap over units (resamples, seed) for the
// intervals. Every stage must be left at least once in the period.
func FitMarkov(p *acd.Panel, from, to, resamples int, seed uint64) (*Markov, error) {
	if from > to {
		return nil, fmt.Errorf("calibrate: --from %d is after --to %d", from, to)
	}
	if resamples < 2 {
		return nil, fmt.Errorf("calibrate: %d bootstrap resamples; need at least 2", resamples)
	}
	var per []Counts
	m := &Markov{From: from, To: to, Resamples: resamples, Seed: seed}
	for i := range p.Units {
		c := UnitCounts(&p.Units[i], from, to)
		if c.Total() > 0 {
			per = append(per, c)
			m.Counts.add(&c)
		}
	}
	m.Units = len(per)
	for i := range K {
		if m.Counts.Row(i) == 0 {
			return nil, fmt.Errorf("calibrate: no country-year in %d-%d follows a year in stage %s: its row cannot be estimated (widen --from/--to)", from, to, acd.Names[i])
		}
	}
	m.P = m.Counts.MLE()
	var err error
	if m.Stationary, err = Stationary(m.P); err != nil {
		return nil, err
	}
	m.MeanStay = meanStay(m.P)

	// Bootstrap over units: a resample draws len(per) units with
	// replacement and sums their counts. A resample in which no unit
	// leaves stage i has no estimate for row i; it is left out of that
	// row's (and the long-run shares') intervals.
	rng := rand.New(rand.NewPCG(seed, 0x63616c6962726174)) // "calibrat"
	var cells [K][K][]float64
	var stat3, stay [K][]float64
	for range resamples {
		var c Counts
		for range per {
			c.add(&per[rng.IntN(len(per))])
		}
		q := c.MLE()
		ok := true
		for i := range K {
			if c.Row(i) == 0 {
				ok = false
				continue
			}
			for j := range K {
				cells[i][j] = append(cells[i][j], q[i][j])
			}
			stay[i] = append(stay[i], 1/(1-q[i][i]))
		}
		if ok {
			if s, err := Stationary(q); err == nil {
				for i := range K {
					stat3[i] = append(stat3[i], s[i])
				}
			}
		}
	}
	for i := range K {
		for j := range K {
			m.Low[i][j], m.High[i][j] = interval(cells[i][j])
		}
		m.StationaryLow[i], m.StationaryHigh[i] = interval(stat3[i])
		m.MeanStayLow[i], m.MeanStayHigh[i] = interval(stay[i])
	}
	return m, nil
}

// interval returns the 2.5% and 97.5% quantiles of xs (NaN for none).
func interval(xs []float64) (lo, hi float64) {
	if len(xs) == 0 {
		return math.NaN(), math.NaN()
	}
	slices.Sort(xs)
	return stat.Quantile(0.025, stat.Empirical, xs, nil), stat.Quantile(0.975, stat.Empirical, xs, nil)
}

func meanStay(p Matrix) [K]float64 {
	var s [K]float64
	for i := range K {
		s[i] = 1 / (1 - p[i][i])
	}
	return s
}

// Stationary returns the stationary distribution pi = pi P of an
// irreducible transition matrix.
func Stationary(p Matrix) ([K]float64, error) {
	// Solve (P^T - I) pi = 0 with the last equation replaced by sum(pi) = 1.
	a := mat.NewDense(K, K, nil)
	b := mat.NewVecDense(K, nil)
	for i := range K {
		for j := range K {
			v := p[j][i]
			if i == j {
				v--
			}
			a.Set(i, j, v)
		}
	}
	for j := range K {
		a.Set(K-1, j, 1)
	}
	b.SetVec(K-1, 1)
	var x mat.VecDense
	var out [K]float64
	if err := x.SolveVec(a, b); err != nil {
		return out, fmt.Errorf("calibrate: the transition matrix has no unique long-run distribution: %w", err)
	}
	for i := range K {
		out[i] = x.AtVec(i)
		if out[i] < -1e-12 || math.IsNaN(out[i]) {
			return out, fmt.Errorf("calibrate: the transition matrix has no unique long-run distribution")
		}
		out[i] = max(out[i], 0)
	}
	return out, nil
}
