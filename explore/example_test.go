package explore_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/escalate-sim/escalate/explore"
)

// Sobol indices of y = 4 x1 + x2 over the unit square: the variance is
// 16/12 + 1/12, so x1 explains 16/17 of it and x2 1/17.
func ExampleSobolIndices() {
	pts, _ := explore.SaltelliPoints(1024, 2, rand.NewPCG(1, 2))
	f := make([]float64, len(pts))
	for i, p := range pts {
		f[i] = 4*p[0] + p[1]
	}
	fA, fB, fAB, _ := explore.SaltelliSplit(f, 2)
	res, _ := explore.SobolIndices(fA, fB, fAB, 0, nil)
	for i, ix := range res.Indices {
		fmt.Printf("x%d: first %.2f total %.2f\n", i+1, ix.First, ix.Total)
	}
	// Output:
	// x1: first 0.94 total 0.94
	// x2: first 0.06 total 0.06
}

// PRIM describes where the cases of interest lie; its limits sit on data
// points, so the last 5% peel may cut just inside the true edge.
func ExamplePRIM() {
	rng := rand.New(rand.NewPCG(3, 4))
	var x [][]float64
	var y []bool
	for range 2000 {
		p := []float64{rng.Float64(), rng.Float64()}
		x = append(x, p)
		y = append(y, p[0] > 0.7)
	}
	res, _ := explore.PRIM(x, y, explore.PRIMOptions{})
	b := res.Box()
	fmt.Printf("%s: density %.2f, coverage %.2f\n", b.Box.Describe([]string{"volatility", "consent"}), b.Density, b.Coverage)
	// Output:
	// volatility above 0.702: density 1.00, coverage 0.99
}
