package calibrate

import (
	"bytes"
	"context"
	"encoding/json"
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
	"gonum.org/v1/gonum/stat/distuv"
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
// tensionTruth, each with a parametric bootstrap of -coverage-bootstrap
// replicates (0: none), and reports how often each parameter's 95%
// interval covers the truth: the sandwich's, the student-t bootstrap's
// (the fit's intervals with a bootstrap), the percentile and the basic
// bootstrap's, each
// with its Clopper-Pearson 95% interval. With at least 50 panels it fails
// if the fit's reported intervals' coverage of a parameter is implausible
// at 95% (its Clopper-Pearson interval excludes 0.95). The README's runs:
//
//	go test ./calibrate -run TensionCoverage -v -timeout 3h -tension-coverage 50 -coverage-sims 4 -coverage-starts 30 -coverage-evals 100 -coverage-resamples 200
//	go test ./calibrate -run TensionCoverage -v -timeout 3h -tension-coverage 30 -coverage-first 0 -coverage-sims 2 -coverage-starts 15 -coverage-evals 50 -coverage-resamples 200 -coverage-bootstrap 20 -coverage-workers 1
//	(and -coverage-first 30 for panels 30-59; the confirmation on fresh
//	panels: -tension-coverage 60 -coverage-first 60 with the same flags;
//	of the student-t intervals: -coverage-first 120)
var (
	tensionCoverage = flag.Int("tension-coverage", 0, "panels in the tension fit's coverage run (0: skip; each takes a minute or more)")
	covFirst        = flag.Int("coverage-first", 0, "index of the coverage run's first panel (to split a run in parts)")
	covSims         = flag.Int("coverage-sims", DefaultTensionOptions.Sims, "simulated panels per evaluation in the coverage run")
	covStarts       = flag.Int("coverage-starts", DefaultTensionOptions.Starts, "starting points in the coverage run")
	covEvals        = flag.Int("coverage-evals", DefaultTensionOptions.Evaluations, "evaluations per Nelder-Mead search in the coverage run")
	covBoot         = flag.Int("coverage-bootstrap", 0, "bootstrap replicates per panel in the coverage run (0: the sandwich only)")
	covResamples    = flag.Int("coverage-resamples", 1000, "resamples of countries for the moments' covariance in the coverage run")
	covWorkers      = flag.Int("coverage-workers", 2, "bootstrap replicates fitted at the same time in the coverage run")
)

func TestTensionCoverage(t *testing.T) {
	if *tensionCoverage == 0 {
		t.Skip("run with -tension-coverage N")
	}
	methods := []string{"sandwich", "student-t bootstrap", "percentile bootstrap", "basic bootstrap"}
	if *covBoot == 0 {
		methods = methods[:1]
	}
	hits := make([][NumTensionParams]int, len(methods))
	n := *tensionCoverage
	for r := *covFirst; r < *covFirst+n; r++ {
		p := SimulateTension(tensionTruth, 178, 1971, 2009, uint64(1000+r))
		fit, err := FitTension(p, 1971, 2009, TensionOptions{Sims: *covSims, Resamples: *covResamples, Starts: *covStarts, Evaluations: *covEvals,
			Bootstrap: *covBoot, Workers: *covWorkers, Seed: uint64(2000 + r)})
		if err != nil {
			t.Fatal(err)
		}
		ivs := [][2][NumTensionParams]float64{{fit.SandwichLow, fit.SandwichHigh}}
		if *covBoot > 0 {
			bl, bh := basicIntervals(fit.th, fit.boot)
			pl, ph := percentileIntervals(fit.boot)
			ivs = append(ivs, [2][NumTensionParams]float64{fit.Low, fit.High}, [2][NumTensionParams]float64{pl, ph}, [2][NumTensionParams]float64{bl, bh})
		}
		line := fmt.Sprintf("panel %d: estimate %.4f J %.1f evaluations %d;", r, fit.Estimate, fit.J, fit.Evaluations)
		for m, iv := range ivs {
			cov := ""
			for j := range NumTensionParams {
				if iv[0][j] <= tensionTruth[j] && tensionTruth[j] <= iv[1][j] {
					hits[m][j]++
					cov += "1"
				} else {
					cov += "0"
				}
			}
			line += fmt.Sprintf(" %s %s %.4f %.4f", methods[m], cov, iv[0], iv[1])
		}
		t.Log(line)
	}
	for m := range methods {
		for j := range NumTensionParams {
			lo, hi := clopperPearson(hits[m][j], n)
			t.Logf("%s, %s: covered in %d of %d panels (%.0f%%, 95%% interval %.0f-%.0f%%)", methods[m], TensionParamNames[j], hits[m][j], n,
				100*float64(hits[m][j])/float64(n), 100*lo, 100*hi)
			// The intervals the fit reports: the student-t bootstrap's
			// if asked for, else the sandwich's.
			if m == min(len(methods)-1, 1) && n >= 50 && (hi < 0.95 || lo > 0.95) {
				t.Errorf("%s: the %s intervals' coverage %d of %d is not about 95%%", TensionParamNames[j], methods[m], hits[m][j], n)
			}
		}
	}
}

// basicIntervals (for comparison with the percentile ones the fit
// reports) returns the 95% basic bootstrap intervals of the
// parameters, computed on the search's scale at th from the replicates'
// search vectors and mapped to the parameters. Volatility is not a
// coordinate of the search (its log is th[3] + log(1-(1-r)^2)/2): its
// interval is the basic interval of log volatility.
func basicIntervals(th []float64, draws [][]float64) (low, high [NumTensionParams]float64) {
	for j := range NumTensionParams {
		coord, back := searchScale(th, j)
		c := make([]float64, len(draws))
		for k, x := range draws {
			c[k] = coord(x)
		}
		slices.Sort(c)
		lo, hi := quantileSorted(c, 0.025), quantileSorted(c, 0.975)
		c0 := coord(th)
		low[j], high[j] = back(2*c0-hi), back(2*c0-lo)
	}
	return low, high
}

// clopperPearson is the exact 95% interval of a binomial proportion.
func clopperPearson(k, n int) (lo, hi float64) {
	lo, hi = 0, 1
	if k > 0 {
		lo = distuv.Beta{Alpha: float64(k), Beta: float64(n - k + 1)}.Quantile(0.025)
	}
	if k < n {
		hi = distuv.Beta{Alpha: float64(k + 1), Beta: float64(n - k)}.Quantile(0.975)
	}
	return lo, hi
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

// TestTensionMomentVariance checks the two ingredients of the sandwich's
// Omega = (1 + 1/S) Cov against variances measured across panels
// simulated from known parameters: the bootstrap over countries of one
// panel estimates the variance of that panel's moments (a country's
// history, not its single years, is the independent unit), and the
// simulated moments, averaged over S panels, have the variance of one
// panel's divided by S. With 150 panels a variance is measured within about 12% (normal
// moments; more loosely for recurrence, near 1, whose variance estimate
// has heavy tails): the test allows a ratio of 0.6-1.6 for each moment.
func TestTensionMomentVariance(t *testing.T) {
	const panels, pooled = 150, 4
	shape := SimulateTension(tensionTruth, 178, 1971, 2009, 1)
	variance := func(ms [][NumMoments]float64) (v [NumMoments]float64) {
		for i := range NumMoments {
			var m, s float64
			for _, x := range ms {
				m += x[i]
			}
			m /= float64(len(ms))
			for _, x := range ms {
				s += (x[i] - m) * (x[i] - m)
			}
			v[i] = s / float64(len(ms)-1)
		}
		return v
	}
	var one, many [][NumMoments]float64
	var boot [NumMoments]float64
	const bootPanels = 10
	for k := range panels {
		rng := rand.New(rand.NewPCG(uint64(k), 99))
		p := SimulateTension(tensionTruth, 178, 1971, 2009, uint64(100+k))
		obs, per := observedMoments(p, 1971, 2009)
		one = append(one, obs.moments())
		if k < bootPanels {
			cov := momentCovariance(per, 300, rng)
			for i := range NumMoments {
				boot[i] += cov.At(i, i) / bootPanels
			}
		}
		ts := newTensionSim(shape, 1971, 2009, pooled, rng)
		many = append(many, ts.moments(tensionTruth))
	}
	v1, vs := variance(one), variance(many)
	for i := range NumMoments {
		rb, rs := boot[i]/v1[i], pooled*vs[i]/v1[i]
		t.Logf("%s: SD across panels %.4f; bootstrap over countries / across panels %.2f; mean of %d panels x %d / one %.2f", MomentNames[i], math.Sqrt(v1[i]), rb, pooled, pooled, rs)
		if rb < 0.6 || rb > 1.6 {
			t.Errorf("%s: the bootstrap over countries gives %.2f times the variance across panels", MomentNames[i], rb)
		}
		if rs < 0.6 || rs > 1.6 {
			t.Errorf("%s: the mean of %d panels has %.2f / %d of one panel's variance", MomentNames[i], pooled, rs, pooled)
		}
	}
}

// TestBootstrapIntervals checks the bootstrap intervals on replicates
// with a known skew: 41 replicates of the pressure's logit mean at
// th - 1, th - 0.9, ..., th + 3 have 2.5% and 97.5% quantiles th - 0.9
// and th + 2.9, the percentile interval, which the basic interval
// reflects to [th - 2.9, th + 0.9].
func TestBootstrapIntervals(t *testing.T) {
	th := []float64{-1.5, 0, -2, -2}
	var draws [][]float64
	for k := range 41 {
		x := slices.Clone(th)
		x[0] += 0.1 * float64(k-10)
		draws = append(draws, x)
	}
	if low, high := percentileIntervals(draws); math.Abs(low[0]-(th[0]-0.9)) > 1e-12 || math.Abs(high[0]-(th[0]+2.9)) > 1e-12 {
		t.Errorf("percentile: pressure_logit_mean interval [%g, %g], want [%g, %g]", low[0], high[0], th[0]-0.9, th[0]+2.9)
	}
	// The student-t interval: th[0] plus and minus t(40, 0.975) times
	// the sample standard deviation of -1, -0.9, ..., 3 (1.1979).
	sd := math.Sqrt(0.01 * 41 * 42 / 12)
	if low, high := studentIntervals(th, draws); math.Abs(low[0]-(th[0]-2.021075*sd)) > 1e-5 || math.Abs(high[0]-(th[0]+2.021075*sd)) > 1e-5 {
		t.Errorf("student-t: pressure_logit_mean interval [%g, %g], want th[0] -+ %g", low[0], high[0], 2.021075*sd)
	}
	low, high := basicIntervals(th, draws)
	if math.Abs(low[0]-(th[0]-2.9)) > 1e-12 || math.Abs(high[0]-(th[0]+0.9)) > 1e-12 {
		t.Errorf("pressure_logit_mean interval [%g, %g], want [%g, %g]", low[0], high[0], th[0]-2.9, th[0]+0.9)
	}
	// The other coordinates do not vary: their intervals are the estimate.
	est := natural(th)
	for j := 1; j < NumTensionParams; j++ {
		if math.Abs(low[j]-est[j]) > 1e-12 || math.Abs(high[j]-est[j]) > 1e-12 {
			t.Errorf("%s: [%g, %g], want the estimate %g", TensionParamNames[j], low[j], high[j], est[j])
		}
	}
	if lo, hi := clopperPearson(0, 10); lo != 0 || math.Abs(hi-(1-math.Pow(0.025, 0.1))) > 1e-9 {
		t.Errorf("Clopper-Pearson 0 of 10: [%g, %g], want [0, %g]", lo, hi, 1-math.Pow(0.025, 0.1))
	}
}

// TestFewReplicates measures how often bootstrap intervals of B
// replicates cover the truth when the bootstrap is exact (estimate ~
// N(truth, 1), replicates ~ N(estimate, 1)). The percentile intervals
// cover less than 95% with few replicates, because the 2.5% and 97.5%
// quantiles of B draws are order statistics that fall inside the
// distribution's own quantiles (for B = 20, between the smallest two of
// 20 draws): that is the coverage the README's coverage runs with 20
// refits a panel can reach at best. The student-t intervals, which the
// fit reports, cover 95% at any B (their t quantile allows for a standard
// deviation estimated from B draws):
//
//	go test ./calibrate -run FewReplicates -v
func TestFewReplicates(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, c := range []struct {
		b, n              int
		pctLow, pctHigh   float64
		studLow, studHigh float64
	}{{20, 100000, 0.86, 0.885, 0.945, 0.955}, {100, 20000, 0.92, 0.945, 0.94, 0.96}} {
		draws := make([][]float64, c.b)
		for k := range draws {
			draws[k] = make([]float64, NumTensionParams)
		}
		th := make([]float64, NumTensionParams)
		pct, stud := 0, 0
		for range c.n {
			th[ParamPressureLogitMean] = rng.NormFloat64() // the truth is 0
			for _, x := range draws {
				x[ParamPressureLogitMean] = th[ParamPressureLogitMean] + rng.NormFloat64()
			}
			if low, high := percentileIntervals(draws); low[ParamPressureLogitMean] <= 0 && 0 <= high[ParamPressureLogitMean] {
				pct++
			}
			if low, high := studentIntervals(th, draws); low[ParamPressureLogitMean] <= 0 && 0 <= high[ParamPressureLogitMean] {
				stud++
			}
		}
		for _, m := range []struct {
			name     string
			hit      int
			lo, high float64
		}{{"percentile", pct, c.pctLow, c.pctHigh}, {"student-t", stud, c.studLow, c.studHigh}} {
			cov := float64(m.hit) / float64(c.n)
			t.Logf("%d replicates: the %s intervals covered the truth in %.1f%% of %d samples", c.b, m.name, 100*cov, c.n)
			if cov < m.lo || cov > m.high {
				t.Errorf("%d replicates: %s coverage %.4f, want %.3f-%.3f", c.b, m.name, cov, m.lo, m.high)
			}
		}
	}
}

// TestTensionBootstrapWorkers checks that a small parametric bootstrap
// gives the same intervals with one worker and with three (each
// replicate's random numbers come from the seed and its index), and that
// its intervals contain the estimate.
func TestTensionBootstrapWorkers(t *testing.T) {
	p := SimulateTension(tensionTruth, 80, 1975, 2009, 4)
	opt := TensionOptions{Sims: 1, Resamples: 20, Starts: 4, Evaluations: 10, Bootstrap: 20, Seed: 5}
	var fits []*TensionFit
	for _, workers := range []int{1, 3} {
		opt.Workers = workers
		calls := 0
		opt.Progress = func(done, total int) {
			if done != calls || total != 20 {
				t.Errorf("progress %d of %d at call %d", done, total, calls)
			}
			calls++
		}
		f, err := FitTension(p, 1975, 2009, opt)
		if err != nil {
			t.Fatal(err)
		}
		if f.Method != "bootstrap" || f.Bootstrap != 20 || calls != 21 {
			t.Fatalf("method %q, %d replicates, %d progress calls", f.Method, f.Bootstrap, calls)
		}
		for j := range NumTensionParams {
			if !(f.Low[j] <= f.Estimate[j] && f.Estimate[j] <= f.High[j]) {
				t.Errorf("%s: estimate %g outside [%g, %g]", TensionParamNames[j], f.Estimate[j], f.Low[j], f.High[j])
			}
		}
		fits = append(fits, f)
	}
	if fits[0].Low != fits[1].Low || fits[0].High != fits[1].High || fits[0].Evaluations != fits[1].Evaluations {
		t.Errorf("1 worker: [%v, %v]; 3 workers: [%v, %v]", fits[0].Low, fits[0].High, fits[1].Low, fits[1].High)
	}
	// The JSON report gives the student-t intervals as ci95 and the
	// percentile intervals beside them.
	var buf bytes.Buffer
	if err := (&TensionReport{Fit: fits[0]}).WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Parameters []struct {
			Low     float64  `json:"ci95_low"`
			PctLow  *float64 `json:"percentile_ci95_low"`
			PctHigh *float64 `json:"percentile_ci95_high"`
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	for j, p := range doc.Parameters {
		if p.Low != fits[0].Low[j] || p.PctLow == nil || p.PctHigh == nil || *p.PctLow != fits[0].PercentileLow[j] || *p.PctHigh != fits[0].PercentileHigh[j] {
			t.Errorf("%s: JSON %+v, fit ci95_low %g, percentile [%g, %g]", TensionParamNames[j], p, fits[0].Low[j], fits[0].PercentileLow[j], fits[0].PercentileHigh[j])
		}
	}
}
