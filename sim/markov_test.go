package sim

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// ucdp is the annual transition matrix of MODEL.md's reference figures
// (UCDP/PRIO 1971–2009), rounded so that rows sum to 1.
var ucdp = [NumStages][NumStages]float64{
	{0.9701, 0.0264, 0.0035},
	{0.1969, 0.6948, 0.1083},
	{0.0636, 0.2364, 0.7000},
}

func matPow(p [NumStages][NumStages]float64, k int) *mat.Dense {
	m := mat.NewDense(NumStages, NumStages, nil)
	for i := range NumStages {
		for j := range NumStages {
			m.Set(i, j, p[i][j])
		}
	}
	var out mat.Dense
	out.Pow(m, k)
	return &out
}

// The stage after k steps is distributed as row initial_stage of P^k, and
// the survival curve is that of the chain with war made absorbing.
func TestMarkovMatchesMatrixPower(t *testing.T) {
	const runs = 40000
	for i, test := range []struct {
		p       [NumStages][NumStages]float64
		initial Stage
		steps   int
		perStep int
	}{
		{ucdp, Latent, 10, 12},
		{ucdp, Escalating, 5, 1},
		{ucdp, War, 8, 3},
		{[NumStages][NumStages]float64{{0.5, 0.3, 0.2}, {0.2, 0.5, 0.3}, {0.1, 0.1, 0.8}}, Latent, 3, 1},
	} {
		sc := markovScenario(test.p, test.initial, test.steps*test.perStep, test.perStep)
		r := mustRun(t, sc, runs, 11, 2)
		s := Summarize(sc, r, 11)
		absorbing := test.p
		absorbing[War] = [NumStages]float64{0, 0, 1}
		for k := 0; k <= test.steps; k++ {
			pk := matPow(test.p, k)
			ak := matPow(absorbing, k)
			for within := 0; within < test.perStep && (k < test.steps || within == 0); within++ {
				m := k*test.perStep + within // the stage holds between steps
				for st := range NumStages {
					want := pk.At(int(test.initial), st)
					got := float64(r.Countries[0].Occupancy[m][st]) / runs
					if tol := 4.5*math.Sqrt(want*(1-want)/runs) + 1e-12; math.Abs(got-want) > tol {
						t.Errorf("%d: month %d stage %v: share %.4f, want %.4f ± %.4f", i, m, Stage(st), got, want, tol)
					}
				}
				wantSurv := 1 - ak.At(int(test.initial), int(War))
				gotSurv := s.Countries[0].TimeToWar.Survival[m]
				if tol := 4.5*math.Sqrt(wantSurv*(1-wantSurv)/runs) + 1e-12; math.Abs(gotSurv-wantSurv) > tol {
					t.Errorf("%d: month %d: survival %.4f, want %.4f ± %.4f", i, m, gotSurv, wantSurv, tol)
				}
			}
		}
	}
}

// A Markov intervention scales upward transitions by (1 - e*capacity) and
// keeps the removed mass in place; mediation in war moves that share of
// war→war to war→escalating.
func TestMarkovInterventions(t *testing.T) {
	const runs = 40000
	p := [NumStages][NumStages]float64{{0.6, 0.3, 0.1}, {0.2, 0.5, 0.3}, {0.1, 0.2, 0.7}}
	for i, test := range []struct {
		kind    Kind
		initial Stage
		effect  float64
		want    [NumStages]float64 // distribution after one step
	}{
		{Monitoring, Latent, 0.5, [NumStages]float64{0.6 + 0.2, 0.15, 0.05}},
		{Mediation, Escalating, 0.5, [NumStages]float64{0.2, 0.5 + 0.15, 0.15}},
		{Mediation, War, 0.5, [NumStages]float64{0.1, 0.2 + 0.35, 0.35}},
		{Monitoring, War, 0.5, [NumStages]float64{0.1, 0.2, 0.7}}, // nothing upward from war
	} {
		sc := markovScenario(p, test.initial, 1, 1)
		iv := mission("m", test.kind, 1000)
		iv.StaffScale = 1 // capacity 1 - exp(-1000) = 1
		iv.Effect = [NumStages]float64{test.effect, test.effect, test.effect}
		sc.Interventions = []Intervention{iv}
		sc.Interventions[0].StartMonth = 0
		r := mustRun(t, sc, runs, 3, 2)
		for st := range NumStages {
			got := float64(r.Countries[0].Occupancy[1][st]) / runs
			want := test.want[st]
			if tol := 4.5 * math.Sqrt(want*(1-want)/runs); math.Abs(got-want) > tol+1e-12 {
				t.Errorf("%d: %v from %v: share in %v %.4f, want %.4f", i, test.kind, test.initial, Stage(st), got, want)
			}
		}
	}
}
