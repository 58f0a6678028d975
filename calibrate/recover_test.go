package calibrate

import (
	"flag"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/escalate-sim/escalate/calibrate/acd"
)

var coverageReps = flag.Int("coverage-reps", 100, "replications in TestCoverage (more on demand: -coverage-reps 1000)")

// hegre is the published 1971-2009 matrix (rows from none, minor, war),
// with the first row's 0.36 written 0.35 so that it sums to 1.
var hegre = Matrix{
	{0.9701, 0.0264, 0.0035},
	{0.1969, 0.6948, 0.1083},
	{0.0636, 0.2364, 0.7000},
}

// stationaryStarts draws n starting stages from the chain's long-run shares.
func stationaryStarts(t testing.TB, p Matrix, n int, rng *rand.Rand) []acd.Stage {
	pi, err := Stationary(p)
	if err != nil {
		t.Fatal(err)
	}
	pm := Matrix{pi, pi, pi}
	s := make([]acd.Stage, n)
	for i := range s {
		s[i] = next(&pm, 0, rng.Float64())
	}
	return s
}

// TestRecover fits a large simulated panel: the MLE is within four
// binomial standard errors of the truth in every cell.
func TestRecover(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	p := SimulatePanel(hegre, stationaryStarts(t, hegre, 3000, rng), 1970, 40, rng)
	m, err := FitMarkov(p, 1971, 2010, 100, 3)
	if err != nil {
		t.Fatal(err)
	}
	for i := range K {
		n := float64(m.Counts.Row(i))
		for j := range K {
			se := math.Sqrt(hegre[i][j] * (1 - hegre[i][j]) / n)
			if d := math.Abs(m.P[i][j] - hegre[i][j]); d > 4*se {
				t.Errorf("P[%d][%d] = %.4f, truth %.4f (%.1f standard errors off)", i, j, m.P[i][j], hegre[i][j], d/se)
			}
			if !(m.Low[i][j] <= m.P[i][j] && m.P[i][j] <= m.High[i][j]) {
				t.Errorf("P[%d][%d] = %.4f outside its interval [%.4f, %.4f]", i, j, m.P[i][j], m.Low[i][j], m.High[i][j])
			}
		}
	}
}

// TestCoverage measures how often the bootstrap's 95% intervals cover the
// true probabilities, on panels the size of the 1971-2009 data (170
// countries, 39 transitions each) simulated from the published matrix.
// With the default 100 replications (900 cells) it must lie in
// 91-98%; measured 2026-12-04: see the README.
func TestCoverage(t *testing.T) {
	if testing.Short() {
		t.Skip("coverage replications")
	}
	rng := rand.New(rand.NewPCG(7, 11))
	covered, cells := 0, 0
	var byCell Matrix
	for r := range *coverageReps {
		p := SimulatePanel(hegre, stationaryStarts(t, hegre, 170, rng), 1970, 39, rng)
		m, err := FitMarkov(p, 1971, 2009, 200, uint64(r))
		if err != nil {
			t.Fatal(err)
		}
		for i := range K {
			for j := range K {
				cells++
				if m.Low[i][j] <= hegre[i][j] && hegre[i][j] <= m.High[i][j] {
					covered++
					byCell[i][j]++
				}
			}
		}
	}
	cov := float64(covered) / float64(cells)
	t.Logf("coverage %.1f%% of %d cells in %d replications; by cell %v", 100*cov, cells, *coverageReps, byCell)
	if cov < 0.91 || cov > 0.98 {
		t.Errorf("coverage %.1f%%, want about 95%% (91-98%%)", 100*cov)
	}
}
