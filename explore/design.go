package explore

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// LatinHypercube returns n points in [0, 1)^k such that, in every
// dimension, each of the n intervals [i/n, (i+1)/n) holds exactly one
// point, placed uniformly inside it, the intervals matched across
// dimensions by independent random permutations (McKay, Beckman & Conover
// 1979). It is gonum's samplemv.LatinHypercube on the unit cube, written
// out because that package's import of distmv pulls golang.org/x/tools
// into the module for one interface.
func LatinHypercube(n, k int, src rand.Source) ([][]float64, error) {
	if n < 1 || k < 1 {
		return nil, fmt.Errorf("latin hypercube: want n >= 1 and k >= 1, got n = %d, k = %d", n, k)
	}
	if src == nil {
		return nil, fmt.Errorf("latin hypercube: nil random source")
	}
	rng := rand.New(src)
	pts := make([][]float64, n)
	for i := range pts {
		pts[i] = make([]float64, k)
	}
	for j := range k {
		for i, cell := range rng.Perm(n) {
			u := (float64(cell) + rng.Float64()) / float64(n)
			pts[i][j] = min(u, math.Nextafter(1, 0))
		}
	}
	return pts, nil
}

// SobolPoints returns the first n points of a k-dimensional Sobol
// sequence, scrambled with src (unscrambled if src is nil).
func SobolPoints(n, k int, src rand.Source) ([][]float64, error) {
	s, err := NewSobol(k, src)
	if err != nil {
		return nil, err
	}
	pts := make([][]float64, n)
	for i := range pts {
		pts[i] = make([]float64, k)
		if err := s.Next(pts[i]); err != nil {
			return nil, err
		}
	}
	return pts, nil
}

// SaltelliPoints returns the n(k+2) points of Saltelli's scheme for
// first-order and total indices of k parameters: the rows of A and B are
// the two halves of a scrambled 2k-dimensional Sobol sequence, and AB_i is
// A with column i taken from B. For each base sample j the points are
// A_j, AB_1j, ..., AB_kj, B_j, in that order (the order of SALib's
// saltelli.sample without second-order terms). n should be a power of 2.
func SaltelliPoints(n, k int, src rand.Source) ([][]float64, error) {
	if n < 2 || k < 1 {
		return nil, fmt.Errorf("saltelli: want n >= 2 base samples and k >= 1 parameters, got n = %d, k = %d", n, k)
	}
	if 2*k > MaxSobolDim {
		return nil, fmt.Errorf("saltelli: %d parameters need a %d-dimensional Sobol sequence; at most %d parameters are supported", k, 2*k, MaxSobolDim/2)
	}
	s, err := NewSobol(2*k, src)
	if err != nil {
		return nil, err
	}
	base := make([]float64, 2*k)
	pts := make([][]float64, 0, n*(k+2))
	for range n {
		if err := s.Next(base); err != nil {
			return nil, err
		}
		a, b := base[:k], base[k:]
		pts = append(pts, append([]float64(nil), a...))
		for i := range k {
			ab := append([]float64(nil), a...)
			ab[i] = b[i]
			pts = append(pts, ab)
		}
		pts = append(pts, append([]float64(nil), b...))
	}
	return pts, nil
}

// SaltelliSplit splits outputs f at the points of SaltelliPoints(n, k, ·)
// into f(A), f(B) and f(AB_i).
func SaltelliSplit(f []float64, k int) (fA, fB []float64, fAB [][]float64, err error) {
	if k < 1 || len(f) == 0 || len(f)%(k+2) != 0 {
		return nil, nil, nil, fmt.Errorf("saltelli: %d outputs is not a multiple of k+2 = %d", len(f), k+2)
	}
	n := len(f) / (k + 2)
	fA, fB = make([]float64, n), make([]float64, n)
	fAB = make([][]float64, k)
	for i := range fAB {
		fAB[i] = make([]float64, n)
	}
	for j := range n {
		row := f[j*(k+2) : (j+1)*(k+2)]
		fA[j] = row[0]
		for i := range k {
			fAB[i][j] = row[1+i]
		}
		fB[j] = row[k+1]
	}
	return fA, fB, fAB, nil
}

// MorrisDelta returns the step of a Morris design on p levels:
// p / (2(p-1)), so that each level has exactly one neighbour a step away.
func MorrisDelta(levels int) float64 { return float64(levels) / (2 * float64(levels-1)) }

// MorrisPoints returns r trajectories of k+1 points each on a grid of
// levels (even, at least 2) values per dimension, {0, 1/(p-1), ..., 1}:
// each trajectory starts at a random grid point and moves one dimension
// at a time, in a random order, by ±MorrisDelta(levels) (up from the lower
// half of the levels, down from the upper half), as in Morris (1991).
func MorrisPoints(r, k, levels int, src rand.Source) ([][]float64, error) {
	if r < 1 || k < 1 {
		return nil, fmt.Errorf("morris: want r >= 1 trajectories and k >= 1 parameters, got r = %d, k = %d", r, k)
	}
	if levels < 2 || levels%2 != 0 {
		return nil, fmt.Errorf("morris: want an even number of levels >= 2, got %d", levels)
	}
	if src == nil {
		return nil, fmt.Errorf("morris: nil random source")
	}
	rng := rand.New(src)
	step := levels / 2 // in grid units: Δ = step/(p-1)
	pts := make([][]float64, 0, r*(k+1))
	lv := make([]int, k)
	for range r {
		for i := range lv {
			lv[i] = rng.IntN(levels)
		}
		pts = append(pts, gridPoint(lv, levels))
		for _, i := range rng.Perm(k) {
			if lv[i] < levels/2 {
				lv[i] += step
			} else {
				lv[i] -= step
			}
			pts = append(pts, gridPoint(lv, levels))
		}
	}
	return pts, nil
}

func gridPoint(lv []int, levels int) []float64 {
	p := make([]float64, len(lv))
	for i, l := range lv {
		p[i] = float64(l) / float64(levels-1)
	}
	return p
}
