package calibrate

import (
	"context"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"

	"github.com/escalate-sim/escalate/calibrate/acd"
	"github.com/escalate-sim/escalate/scenarios"
	"github.com/escalate-sim/escalate/sim"
)

var (
	tensionCoverage = flag.Int("tension-coverage", 0, "replications of the tension fit's coverage run (0: skip; each takes seconds)")
	covSims         = flag.Int("coverage-sims", 4, "simulated panels per evaluation in the coverage run")
	covStarts       = flag.Int("coverage-starts", 30, "starting points in the coverage run")
	covEvals        = flag.Int("coverage-evals", 100, "evaluations per Nelder-Mead search in the coverage run")
)

// tensionTruth are baseline parameters whose simulated panels look like
// the 1971-2009 data in size and roughly in stage shares.
var tensionTruth = [NumTensionParams]float64{
	ParamPressureLogitMean: math.Log(0.2 / 0.8),
	ParamPressureLogitSD:   1,
	ParamReversion:         0.1,
	ParamVolatility:        0.06,
}

func recoverTension(t *testing.T, seed uint64) (covered int, fit *TensionFit) {
	t.Helper()
	p := SimulateTension(tensionTruth, 178, 1971, 2009, seed)
	fit, err := FitTension(p, 1971, 2009, TensionOptions{Sims: 4, Resamples: 200, Starts: 30, Evaluations: 100, Seed: seed + 100})
	if err != nil {
		t.Fatal(err)
	}
	for j := range NumTensionParams {
		if fit.Low[j] <= tensionTruth[j] && tensionTruth[j] <= fit.High[j] {
			covered++
		}
	}
	return covered, fit
}

func TestFitTensionRecovers(t *testing.T) {
	for _, seed := range []uint64{1} {
		covered, fit := recoverTension(t, seed)
		for j := range NumTensionParams {
			t.Logf("%s: truth %.4f fit %.4f [%.4f, %.4f]", TensionParamNames[j], tensionTruth[j], fit.Estimate[j], fit.Low[j], fit.High[j])
		}
		t.Logf("J %.2f df %d p %.3f evals %d", fit.J, fit.DF, fit.PValue, fit.Evaluations)
		for i := range NumMoments {
			t.Logf("%s: obs %.4f (%.4f) fit %.4f", MomentNames[i], fit.Observed[i], fit.ObservedSE[i], fit.Fitted[i])
		}
		if covered != NumTensionParams {
			t.Errorf("seed %d: %d of %d parameters within their 95%% intervals", seed, covered, NumTensionParams)
		}
	}
}

// TestTensionCoverage fits -tension-coverage panels simulated from
// tensionTruth and reports how often each parameter's 95% interval covers
// the truth (go test ./calibrate -run TensionCoverage -tension-coverage 20 -v).
func TestTensionCoverage(t *testing.T) {
	if *tensionCoverage == 0 {
		t.Skip("run with -tension-coverage N")
	}
	var hits [NumTensionParams]int
	for r := range *tensionCoverage {
		p := SimulateTension(tensionTruth, 178, 1971, 2009, uint64(1000+r))
		fit, err := FitTension(p, 1971, 2009, TensionOptions{Sims: *covSims, Resamples: 200, Starts: *covStarts, Evaluations: *covEvals, Seed: uint64(2000 + r)})
		if err != nil {
			t.Fatal(err)
		}
		for j := range NumTensionParams {
			if fit.Low[j] <= tensionTruth[j] && tensionTruth[j] <= fit.High[j] {
				hits[j]++
			}
		}
		t.Logf("rep %d: estimate %.4f low %.4f high %.4f J %.2f", r, fit.Estimate, fit.Low, fit.High, fit.J)
	}
	for j := range NumTensionParams {
		t.Logf("%s: covered in %d of %d", TensionParamNames[j], hits[j], *tensionCoverage)
	}
}

// TestTensionMatchesEngine checks the fit's own simulator against the
// engine: countries started at their structural pressure (no burn-in) are
// at war within two years as often in both.
func TestTensionMatchesEngine(t *testing.T) {
	const n = 20000
	for _, pressure := range []float64{0.3, 0.55} {
		par := tensionTruth
		par[ParamPressureLogitMean] = math.Log(pressure / (1 - pressure))
		par[ParamPressureLogitSD] = 0
		shape := &acd.Panel{First: 2000, Last: 2001}
		for i := range n {
			shape.Units = append(shape.Units, acd.Unit{ID: strconv.Itoa(i), First: 2000, Stages: make([]acd.Stage, 2)})
		}
		ts := newTensionSim(shape, 2001, 2001, 1, rand.New(rand.NewPCG(5, 6)))
		ts.burn = 0
		war := 0
		ts.simulate(par, func(u *acd.Unit) {
			if slices.Contains(u.Stages, acd.War) {
				war++
			}
		})
		text := fmt.Sprintf(`title = "t"
horizon_months = 24
runs = %d
seed = 3
[model]
dynamics = "tension"
[country.a]
initial_tension = %g
structural_pressure = %g
reversion = %g
volatility = %g
`, n, pressure, pressure, par[ParamReversion], par[ParamVolatility])
		f, err := scenarios.Parse("t.toml", []byte(text))
		if err != nil {
			t.Fatal(err)
		}
		sc, err := f.Scenario()
		if err != nil {
			t.Fatal(err)
		}
		engWar := 0
		_, err = sim.Run(context.Background(), sc, sim.Options{Seed: 3, Runs: n, Workers: 1, Records: func(rs []sim.CountryRecord) error {
			for _, r := range rs {
				if r.EverWar {
					engWar++
				}
			}
			return nil
		}})
		if err != nil {
			t.Fatal(err)
		}
		a, b := float64(war)/n, float64(engWar)/n
		se := math.Sqrt((a*(1-a) + b*(1-b)) / n)
		t.Logf("pressure %.2f: P(war within 2 years) %.4f here, %.4f in the engine", pressure, a, b)
		if math.Abs(a-b) > 4*se || b == 0 {
			t.Errorf("pressure %.2f: P(war within 2 years) %.4f here, %.4f in the engine (%.1f standard errors apart)", pressure, a, b, math.Abs(a-b)/se)
		}
	}
}

// TestTensionScenario checks that the written scenario loads with the
// fitted reversion and volatility and increasing pressures.
func TestTensionScenario(t *testing.T) {
	f := &TensionFit{From: 1971, To: 2009, Escalation: sim.DefaultEscalationThreshold, War: sim.DefaultWarThreshold, Hysteresis: sim.DefaultHysteresis,
		Estimate: tensionTruth, Low: tensionTruth, High: tensionTruth, J: 3, DF: 7, PValue: 0.9, Seed: 1}
	text := TensionScenario(f, Source{File: "data.csv", Command: "escalate calibrate --dynamics tension"})
	file, err := scenarios.Parse("fitted.toml", []byte(text))
	if err != nil {
		t.Fatalf("%v\n%s", err, text)
	}
	sc, err := file.Scenario()
	if err != nil {
		t.Fatal(err)
	}
	if sc.Model.Dynamics != sim.Tension || len(sc.Countries) != 3 {
		t.Fatalf("dynamics %v, %d countries", sc.Model.Dynamics, len(sc.Countries))
	}
	for i, c := range sc.Countries {
		if math.Abs(c.Reversion-0.1) > 1e-4 || math.Abs(c.Volatility-0.06) > 1e-4 {
			t.Errorf("%s: reversion %g volatility %g", c.ID, c.Reversion, c.Volatility)
		}
		if i > 0 && !(c.StructuralPressure > sc.Countries[i-1].StructuralPressure) {
			t.Errorf("pressures not increasing: %v then %v", sc.Countries[i-1].StructuralPressure, c.StructuralPressure)
		}
	}
	if math.Abs(sc.Countries[1].StructuralPressure-0.2) > 1e-4 {
		t.Errorf("median pressure %g, want 0.2", sc.Countries[1].StructuralPressure)
	}
}
