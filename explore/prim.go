package explore

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Box is a hyper-rectangle: Lo[j] <= x[j] <= Hi[j]; infinite limits are
// not restrictions.
type Box struct {
	Lo, Hi []float64
}

func unbounded(k int) Box {
	b := Box{Lo: make([]float64, k), Hi: make([]float64, k)}
	for j := range k {
		b.Lo[j], b.Hi[j] = math.Inf(-1), math.Inf(1)
	}
	return b
}

func (b Box) clone() Box {
	return Box{Lo: slices.Clone(b.Lo), Hi: slices.Clone(b.Hi)}
}

// Contains reports whether x is in the box.
func (b Box) Contains(x []float64) bool {
	for j, v := range x {
		if v < b.Lo[j] || v > b.Hi[j] {
			return false
		}
	}
	return true
}

// Restricted reports whether the box limits dimension j.
func (b Box) Restricted(j int) bool {
	return !math.IsInf(b.Lo[j], -1) || !math.IsInf(b.Hi[j], 1)
}

// Describe says in words which ranges the box keeps, naming dimension j
// names[j]: "volatility above 0.071 and consent below 0.82".
func (b Box) Describe(names []string) string {
	var parts []string
	for j := range b.Lo {
		name := fmt.Sprintf("x%d", j+1)
		if j < len(names) {
			name = names[j]
		}
		lo, hi := !math.IsInf(b.Lo[j], -1), !math.IsInf(b.Hi[j], 1)
		switch {
		case lo && hi:
			parts = append(parts, fmt.Sprintf("%s between %s and %s", name, num(b.Lo[j]), num(b.Hi[j])))
		case lo:
			parts = append(parts, fmt.Sprintf("%s above %s", name, num(b.Lo[j])))
		case hi:
			parts = append(parts, fmt.Sprintf("%s below %s", name, num(b.Hi[j])))
		}
	}
	if len(parts) == 0 {
		return "any values (no restriction)"
	}
	return strings.Join(parts, " and ")
}

func num(x float64) string { return strconv.FormatFloat(x, 'g', 3, 64) }

// PeelStep is one box of PRIM's peeling trajectory.
type PeelStep struct {
	Box      Box
	Coverage float64 // share of all cases of interest that fall in the box
	Density  float64 // share of the box's points that are cases of interest
	Mass     float64 // share of all points in the box
	N        int     // points in the box
}

// PRIMOptions controls PRIM.
type PRIMOptions struct {
	Alpha       float64 // share of the box's points peeled per step (default 0.05)
	MinMass     float64 // stop when the box would hold less (default 0.05)
	MinCoverage float64 // the chosen box has at least this coverage (default 0.5)
	Resamples   int     // bootstrap resamples for stability (0: none)
	Src         rand.Source
}

// PRIMResult is PRIM's trajectory, chosen box and its stability.
type PRIMResult struct {
	Trajectory []PeelStep
	Chosen     int // index into Trajectory
	// RestrictedShare[j] is the share of bootstrap resamples whose chosen
	// box restricts dimension j (nil without resamples).
	RestrictedShare []float64
	// Jaccard is the mean, over resamples, of the overlap between the
	// resample's chosen box and this one, measured on the data's points:
	// |in both| / |in either|. 1 is perfectly stable.
	Jaccard float64
}

// Box returns the chosen box's step.
func (r PRIMResult) Box() PeelStep { return r.Trajectory[r.Chosen] }

// PRIM runs the patient rule induction method (Friedman & Fisher 1999) on
// points x (rows) labelled y (cases of interest true): starting from the
// unbounded box, it repeatedly removes the Alpha share of the box's
// points at the low or high end of one dimension, whichever leaves the
// densest box, until the box would hold less than MinMass of the points.
// The chosen box is the one on the trajectory with the largest product of
// density and coverage among those with coverage at least MinCoverage: a
// box that holds few of the cases is useless however pure, and peeling
// past a planted box's edge raises density little while coverage falls.
func PRIM(x [][]float64, y []bool, opt PRIMOptions) (PRIMResult, error) {
	if len(x) == 0 || len(x) != len(y) {
		return PRIMResult{}, fmt.Errorf("prim: %d points and %d labels", len(x), len(y))
	}
	k := len(x[0])
	for i, row := range x {
		if len(row) != k {
			return PRIMResult{}, fmt.Errorf("prim: point %d has %d values, want %d", i+1, len(row), k)
		}
	}
	opt = primDefaults(opt)
	if opt.Alpha <= 0 || opt.Alpha >= 1 || opt.MinMass <= 0 || opt.MinMass >= 1 {
		return PRIMResult{}, fmt.Errorf("prim: alpha %v and minimum mass %v must be in (0, 1)", opt.Alpha, opt.MinMass)
	}
	if opt.Resamples > 0 && opt.Src == nil {
		return PRIMResult{}, fmt.Errorf("prim: resampling needs a random source")
	}
	traj := peel(x, y, opt)
	res := PRIMResult{Trajectory: traj, Chosen: choose(traj, opt.MinCoverage)}
	if opt.Resamples == 0 {
		return res, nil
	}
	rng := rand.New(opt.Src)
	chosen := res.Box().Box
	res.RestrictedShare = make([]float64, k)
	bx := make([][]float64, len(x))
	by := make([]bool, len(y))
	for range opt.Resamples {
		for i := range bx {
			j := rng.IntN(len(x))
			bx[i], by[i] = x[j], y[j]
		}
		t := peel(bx, by, opt)
		b := t[choose(t, opt.MinCoverage)].Box
		for j := range k {
			if b.Restricted(j) {
				res.RestrictedShare[j]++
			}
		}
		both, either := 0, 0
		for _, p := range x {
			in1, in2 := chosen.Contains(p), b.Contains(p)
			if in1 && in2 {
				both++
			}
			if in1 || in2 {
				either++
			}
		}
		if either > 0 {
			res.Jaccard += float64(both) / float64(either)
		}
	}
	for j := range res.RestrictedShare {
		res.RestrictedShare[j] /= float64(opt.Resamples)
	}
	res.Jaccard /= float64(opt.Resamples)
	return res, nil
}

func primDefaults(o PRIMOptions) PRIMOptions {
	if o.Alpha == 0 {
		o.Alpha = 0.05
	}
	if o.MinMass == 0 {
		o.MinMass = 0.05
	}
	if o.MinCoverage == 0 {
		o.MinCoverage = 0.5
	}
	return o
}

func choose(traj []PeelStep, minCoverage float64) int {
	best := 0
	for i, s := range traj {
		if s.Coverage >= minCoverage && s.Density*s.Coverage > traj[best].Density*traj[best].Coverage {
			best = i
		}
	}
	return best
}

// peel returns the peeling trajectory, starting with the unbounded box.
func peel(x [][]float64, y []bool, opt PRIMOptions) []PeelStep {
	k := len(x[0])
	total := 0
	for _, v := range y {
		if v {
			total++
		}
	}
	in := make([]int, len(x))
	for i := range in {
		in[i] = i
	}
	box := unbounded(k)
	step := func(in []int) PeelStep {
		hit := 0
		for _, i := range in {
			if y[i] {
				hit++
			}
		}
		s := PeelStep{Box: box.clone(), N: len(in), Mass: float64(len(in)) / float64(len(x))}
		if total > 0 {
			s.Coverage = float64(hit) / float64(total)
		}
		if len(in) > 0 {
			s.Density = float64(hit) / float64(len(in))
		}
		return s
	}
	traj := []PeelStep{step(in)}
	minN := int(math.Ceil(opt.MinMass * float64(len(x))))
	// Each dimension's points are sorted once; a step walks them in that
	// order keeping those in the box, which is linear where sorting the
	// box's values at every step for every dimension was not.
	order := make([][]int, k)
	for j := range order {
		order[j] = make([]int, len(x))
		for i := range order[j] {
			order[j][i] = i
		}
		slices.SortStableFunc(order[j], func(a, b int) int { return cmp.Compare(x[a][j], x[b][j]) })
	}
	inBox := make([]bool, len(x))
	for i := range inBox {
		inBox[i] = true
	}
	vals := make([]float64, 0, len(x))
	hits := make([]int, 0, len(x)+1) // hits[p]: cases among the first p of vals
	for {
		bestDensity, bestJ, bestLo, bestN := -1.0, -1, false, 0
		var bestLimit float64
		for j := range k {
			vals, hits = vals[:0], append(hits[:0], 0)
			for _, i := range order[j] {
				if inBox[i] {
					vals = append(vals, x[i][j])
					h := hits[len(hits)-1]
					if y[i] {
						h++
					}
					hits = append(hits, h)
				}
			}
			cut := max(1, int(opt.Alpha*float64(len(vals))))
			for _, lo := range []bool{true, false} {
				// Peel at least cut points, and whole values: ties stay
				// together, so a parameter with few distinct values
				// (an integer, a choice, a Morris grid) is peeled one
				// value at a time.
				var limit float64
				var hit, n int
				if lo {
					i := sort.SearchFloat64s(vals, math.Nextafter(vals[cut-1], math.Inf(1)))
					if i >= len(vals) {
						continue
					}
					limit, n, hit = vals[i], len(vals)-i, hits[len(vals)]-hits[i]
				} else {
					i := sort.SearchFloat64s(vals, vals[len(vals)-cut]) - 1
					if i < 0 {
						continue
					}
					limit, n, hit = vals[i], i+1, hits[i+1]
				}
				if n == len(in) || n < minN || n == 0 {
					continue
				}
				if d := float64(hit) / float64(n); d > bestDensity || (d == bestDensity && n > bestN) {
					bestDensity, bestJ, bestLo, bestN, bestLimit = d, j, lo, n, limit
				}
			}
		}
		if bestJ < 0 {
			return traj
		}
		if bestLo {
			box.Lo[bestJ] = bestLimit
		} else {
			box.Hi[bestJ] = bestLimit
		}
		kept := in[:0:0]
		for _, i := range in {
			if v := x[i][bestJ]; v >= box.Lo[bestJ] && v <= box.Hi[bestJ] {
				kept = append(kept, i)
			} else {
				inBox[i] = false
			}
		}
		in = kept
		traj = append(traj, step(in))
	}
}
