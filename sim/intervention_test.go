package sim

import (
	"context"
	"math"
	"testing"
)

const eps = 1e-12

// flat returns a one-country scenario whose tension stays at x0 unless
// something acts on it (reversion 0).
func flat(x0 float64, horizon int) *Scenario {
	return quiet(x0, x0, 0, horizon)
}

func TestMediationTiming(t *testing.T) {
	for i, test := range []struct {
		start, delay, duration  int
		firstActive, lastActive int // months in which it acts
	}{
		{0, 0, 0, 1, 24},
		{0, 1, 0, 2, 24},
		{3, 2, 0, 6, 24},
		{0, 0, 5, 1, 5},
		{2, 3, 4, 6, 9},
		{20, 6, 0, 0, 0}, // starts acting after the horizon
	} {
		sc := flat(0.5, 24) // escalating throughout
		iv := mission("med", Mediation, 10)
		iv.StartMonth, iv.StartupDelay, iv.Duration = test.start, test.delay, test.duration
		sc.Interventions = []Intervention{iv}
		x, _, r := path(t, sc, 1)
		capacity := Capacity(10, 10, 1)
		want, stage := 0.5, Escalating
		active := 0
		for m := 1; m <= 24; m++ {
			if test.firstActive > 0 && m >= test.firstActive && m <= test.lastActive {
				// The effect depends on the stage of the month before.
				want -= iv.Effect[stage] * capacity
				active++
			}
			stage = StageOf(want, stage, 0.4, 0.75, 0.05)
			if math.Abs(x[m][0]-want) > eps {
				t.Errorf("%d: month %d: tension %.6f, want %.6f", i, m, x[m][0], want)
			}
		}
		if r.Interventions[0].ActiveMonths[active] != 1 {
			t.Errorf("%d: active months histogram %v, want one run with %d", i, r.Interventions[0].ActiveMonths, active)
		}
		if active > 0 && r.Interventions[0].FirstActive[test.firstActive] != 1 {
			t.Errorf("%d: first active %v, want month %d", i, r.Interventions[0].FirstActive, test.firstActive)
		}
	}
}

// A triggered mission launches when the stage is reached plus the
// detection lag, or at once in a country already monitored.
func TestTriggerDetectionLag(t *testing.T) {
	// Deterministic path from 0.2 toward 0.9: find the month escalation is
	// first reached.
	base := quiet(0.2, 0.9, 0.1, 36)
	x, st, _ := path(t, base, 1)
	reached := firstMonthAt(st, 0, Escalating)
	if reached < 1 {
		t.Fatalf("test scenario never escalates: %v", x)
	}
	for i, test := range []struct {
		lag, delay int
		monitored  bool
		want       int // first month the mediation acts
	}{
		{2, 0, false, reached + 2 + 1},
		{2, 3, false, reached + 2 + 3 + 1},
		{0, 0, false, reached + 1},
		{2, 0, true, reached + 1},
		{5, 1, true, reached + 1 + 1},
	} {
		sc := quiet(0.2, 0.9, 0.1, 36)
		sc.Model.DetectionLag = test.lag
		med := mission("med", Mediation, 10)
		med.Triggered, med.Trigger, med.StartupDelay = true, Escalating, test.delay
		sc.Interventions = []Intervention{med}
		if test.monitored {
			mon := mission("mon", Monitoring, 10)
			sc.Interventions = append(sc.Interventions, mon)
		}
		_, _, r := path(t, sc, 1)
		if got := firstNonZero(r.Interventions[0].FirstActive); got != test.want {
			t.Errorf("%d: mediation first acts in month %d, want %d (escalation reached in %d)", i, got, test.want, reached)
		}
	}
}

// A monitoring mission without capacity (no staff, or no expertise) has no
// effect of any kind: it does not remove the detection lag either (issue
// 12, item 14). One with staff and an effect of 0 in every stage deters
// nothing but still detects at once: detection comes with the staff.
func TestMonitoringWithoutStaffDetectsNothing(t *testing.T) {
	base := quiet(0.2, 0.9, 0.1, 36)
	_, st, _ := path(t, base, 1)
	reached := firstMonthAt(st, 0, Escalating)
	for i, test := range []struct {
		staff, expertise float64
		effect           [NumStages]float64
		want             int // first month the mediation acts
	}{
		{10, 1, DefaultEffect(Monitoring, Tension), reached + 1},
		{0, 1, DefaultEffect(Monitoring, Tension), reached + 2 + 1},
		{10, 0, DefaultEffect(Monitoring, Tension), reached + 2 + 1},
		{10, 1, [NumStages]float64{}, reached + 1},
	} {
		sc := quiet(0.2, 0.9, 0.1, 36)
		med := mission("med", Mediation, 10)
		med.Triggered, med.Trigger = true, Escalating
		mon := mission("mon", Monitoring, test.staff)
		mon.Expertise, mon.Effect = test.expertise, test.effect
		sc.Interventions = []Intervention{med, mon}
		_, _, r := path(t, sc, 1)
		if got := firstNonZero(r.Interventions[0].FirstActive); got != test.want {
			t.Errorf("%d: monitoring staff %g expertise %g: mediation first acts in month %d, want %d (escalation reached in %d)",
				i, test.staff, test.expertise, got, test.want, reached)
		}
	}
	// The case of the report: with a zero-staff monitoring mission, whether
	// the hosts consent changes nothing, run by run.
	sc := guineaLike()
	med := mission("med", Mediation, 10)
	med.Triggered, med.Trigger = true, Escalating
	mon := mission("mon", Monitoring, 0)
	mon.Consent = 0
	sc.Interventions = []Intervention{med, mon}
	yes := *sc
	yes.Interventions = []Intervention{med, mon}
	yes.Interventions[1].Consent = 1
	cmp, err := Compare(context.Background(), []*Scenario{sc, &yes}, Options{Seed: 3, Runs: 5000, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if p := cmp.Paired[1][0]; p.BaseOnly != 0 || p.VariantOnly != 0 || p.SumSqDiff != 0 {
		t.Errorf("consent to a zero-staff monitoring mission changed runs: %+v", p)
	}
}

func firstNonZero(h []int64) int {
	for m, k := range h {
		if k != 0 {
			return m
		}
	}
	return -1
}

// Consent 0 and staff 0 change nothing; consent 0 also costs nothing.
func TestNoConsentNoStaff(t *testing.T) {
	base := guineaLike()
	want := mustRun(t, base, 2000, 5, 2)
	for i, test := range []struct {
		staff, consent float64
		wantCost       bool
	}{
		{10, 0, false},
		{0, 1, false},
	} {
		for _, k := range []Kind{Mediation, RuleOfLaw, Monitoring} {
			sc := guineaLike()
			iv := mission("m", k, test.staff)
			iv.Consent = test.consent
			sc.Interventions = []Intervention{iv}
			got := mustRun(t, sc, 2000, 5, 2)
			if !sameCountries(got, want) {
				t.Errorf("%d %v: staff %g consent %g changed the outcomes", i, k, test.staff, test.consent)
			}
			s := Summarize(sc, got, 5)
			if s.Cost.Mean != 0 {
				t.Errorf("%d %v: staff %g consent %g cost %g, want 0", i, k, test.staff, test.consent, s.Cost.Mean)
			}
			if test.consent == 0 && got.Interventions[0].Consented != 0 {
				t.Errorf("%d %v: %d runs consented with consent 0", i, k, got.Interventions[0].Consented)
			}
		}
	}
}

func sameCountries(a, b *Result) bool {
	for c := range a.Countries {
		x, y := &a.Countries[c], &b.Countries[c]
		if x.EverWar != y.EverWar || x.FinalStage != y.FinalStage {
			return false
		}
		for m := range x.Tension {
			for k := range x.Tension[m] {
				if x.Tension[m][k] != y.Tension[m][k] {
					return false
				}
			}
		}
	}
	return true
}

// guineaLike is a noisy one-country scenario with shocks and an event.
func guineaLike() *Scenario {
	sc := quiet(0.55, 0.5, 0.08, 36)
	sc.Countries[0].Volatility = 0.04
	sc.Countries[0].Momentum = [NumStages]float64{0, 0.005, 0.02}
	sc.Countries[0].Shocks = []Shock{{Name: "mutiny", RatePerYear: 1, MeanSize: 0.12}}
	sc.Countries[0].Events = []Event{{Name: "election", Month: 18, Size: 0.15}}
	return sc
}

// Rule-of-law capacity builds while the mission acts, persists after it
// ends and decays at rule_of_law_decay per month; it lowers the attractor to
// pressure*(1-R).
func TestRuleOfLawCapacity(t *testing.T) {
	const (
		x0, pressure, rev = 0.3, 0.6, 0.1
		horizon           = 60
	)
	sc := quiet(x0, pressure, rev, horizon)
	sc.Model.RuleOfLawDecay = 0.05
	iv := mission("rol", RuleOfLaw, 20)
	iv.StartMonth, iv.StartupDelay, iv.Duration = 0, 2, 12 // acts in months 3..14
	sc.Interventions = []Intervention{iv}
	x, st, _ := path(t, sc, 1)

	capacity := Capacity(20, 10, 1)
	wantX, R, prev := x0, 0.0, Latent
	for m := 1; m <= horizon; m++ {
		if m >= 3 && m <= 14 {
			R = 1 - (1-R)*(1-iv.Effect[prev]*capacity)
		} else {
			R *= 1 - 0.05
		}
		wantX += rev * (pressure*(1-R) - wantX)
		prev = StageOf(wantX, prev, 0.4, 0.75, 0.05)
		if math.Abs(x[m][0]-wantX) > 1e-9 {
			t.Fatalf("month %d: tension %.9f, want %.9f (R = %.4f)", m, x[m][0], wantX, R)
		}
		if st[m][0] != prev {
			t.Fatalf("month %d: stage %v, want %v", m, st[m][0], prev)
		}
	}
	// Without the mission the path converges to 0.6; with it, tension is
	// lower throughout and most of all when the mission ends.
	plain, _, _ := path(t, quiet(x0, pressure, rev, horizon), 1)
	for m := 3; m <= horizon; m++ {
		if !(x[m][0] < plain[m][0]) {
			t.Errorf("month %d: tension %.4f with rule of law, %.4f without", m, x[m][0], plain[m][0])
		}
	}
	if gap14, gap60 := plain[14][0]-x[14][0], plain[60][0]-x[60][0]; !(gap60 < gap14) {
		t.Errorf("capacity did not decay: gap %.4f at month 14, %.4f at month 60", gap14, gap60)
	}
}

// Monitoring scales positive events (and shocks) by 1 - effect*capacity;
// negative events pass unchanged.
func TestMonitoringDeterrence(t *testing.T) {
	for i, test := range []struct {
		size    float64
		monitor bool
	}{
		{0.2, false}, {0.2, true}, {-0.2, false}, {-0.2, true},
	} {
		sc := flat(0.3, 12)
		sc.Countries[0].Events = []Event{{Name: "e", Month: 5, Size: test.size}}
		want := 0.3 + test.size
		if test.monitor {
			mon := mission("mon", Monitoring, 10)
			sc.Interventions = []Intervention{mon}
			if test.size > 0 {
				want = 0.3 + test.size*(1-mon.Effect[Latent]*Capacity(10, 10, 1))
			}
		}
		x, _, _ := path(t, sc, 1)
		if math.Abs(x[4][0]-0.3) > eps || math.Abs(x[5][0]-want) > eps {
			t.Errorf("%d: tension %.6f then %.6f around the event, want 0.3 then %.6f", i, x[4][0], x[5][0], want)
		}
	}
}

// A neighbour at war adds its spillover weight in every following month.
func TestSpillover(t *testing.T) {
	sc := flat(0.1, 10)
	sc.Countries = append(sc.Countries, Country{ID: "b", Name: "B", InitialTension: 0.9, StructuralPressure: 0.9})
	sc.Countries[0].Spillover = []Spillover{{From: 1, Weight: 0.02}}
	x, st, _ := path(t, sc, 1)
	for m := 0; m <= 10; m++ {
		want := 0.1 + 0.02*float64(m)
		if math.Abs(x[m][0]-want) > 1e-9 || st[m][1] != War {
			t.Errorf("month %d: tension %.4f (neighbour %v), want %.4f", m, x[m][0], st[m][1], want)
		}
	}
}

// A regional mandate splits staff in proportion to tension: the country
// with higher tension gets more capacity; the total staff is what costs,
// and each country is charged for the staff that served there.
func TestRegionalAllocation(t *testing.T) {
	sc := flat(0.6, 3)
	sc.Countries = append(sc.Countries, Country{ID: "b", Name: "B", InitialTension: 0.45, StructuralPressure: 0.45})
	iv := mission("reg", Mediation, 20)
	iv.Countries = []int{0, 1}
	sc.Interventions = []Intervention{iv}
	x, _, _ := path(t, sc, 1)
	dropA := iv.Effect[Escalating] * Capacity(20*0.6/1.05, 10, 1)
	dropB := iv.Effect[Escalating] * Capacity(20*0.45/1.05, 10, 1)
	if math.Abs(x[1][0]-(0.6-dropA)) > eps || math.Abs(x[1][1]-(0.45-dropB)) > eps {
		t.Errorf("month 1: tensions %.6f, %.6f, want %.6f, %.6f", x[1][0], x[1][1], 0.6-dropA, 0.45-dropB)
	}
	r := mustRun(t, sc, 10, 1, 1)
	s := Summarize(sc, r, 1)
	wantCost := 20 * 1000 * 3.0
	shareA := 0.0 // staff-months in a: its share of tension in the month before each
	for m := 1; m <= 3; m++ {
		shareA += x[m-1][0] / (x[m-1][0] + x[m-1][1])
	}
	costA, costB := s.Countries[0].Cost.Mean, s.Countries[1].Cost.Mean
	if math.Abs(s.Cost.Mean-wantCost) > 1e-6 || math.Abs(costA+costB-wantCost) > 1e-6 ||
		math.Abs(costA-20*1000*shareA) > 20*1000*3.0/ShareUnit {
		t.Errorf("cost %g (country a %g, b %g), want %g with a charged %g", s.Cost.Mean, costA, costB, wantCost, 20*1000*shareA)
	}
}

func TestCapacity(t *testing.T) {
	for i, test := range []struct {
		staff, scale, expertise, want float64
	}{
		{0, 10, 1, 0},
		{10, 10, 1, 1 - math.Exp(-1)},
		{10, 10, 0.5, 0.5 * (1 - math.Exp(-1))},
		{-3, 10, 1, 0},
	} {
		if got := Capacity(test.staff, test.scale, test.expertise); math.Abs(got-test.want) > eps {
			t.Errorf("%d: Capacity(%g, %g, %g) = %g, want %g", i, test.staff, test.scale, test.expertise, got, test.want)
		}
	}
	prev := 0.0
	for staff := 1.0; staff <= 200; staff++ {
		c := Capacity(staff, 10, 1)
		if c < prev {
			t.Fatalf("capacity fell from %g to %g at staff %g", prev, c, staff)
		}
		prev = c
	}
}

// shockCounts runs a scenario whose only movement is fixed shocks of size
// 0.0001 from tension 0, so each run's final tension counts its events.
func shockCounts(t *testing.T, ratePerYear float64, horizon int, runs int64) []int {
	t.Helper()
	sc := flat(0, horizon)
	sc.Countries[0].Shocks = []Shock{{Name: "s", RatePerYear: ratePerYear, MeanSize: 0.0001, Distribution: Fixed}}
	counts := make([]int, 0, runs)
	_, err := Run(context.Background(), sc, Options{Seed: 4, Runs: runs, Workers: 2, Records: func(recs []CountryRecord) error {
		for _, r := range recs {
			counts = append(counts, int(math.Round(r.PeakTension/0.0001)))
		}
		return nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	return counts
}

// Shock events form a Poisson process: the count over H months is
// Poisson(rate*H/12) (mean, variance and P(0) within sampling error), and
// with common random numbers a higher rate never gives fewer events in a
// run.
func TestShockProcess(t *testing.T) {
	const runs = 40000
	for _, test := range []struct {
		rate    float64
		horizon int
	}{{1.2, 1}, {2, 12}, {12, 6}, {60, 3}} {
		counts := shockCounts(t, test.rate, test.horizon, runs)
		lambda := test.rate * float64(test.horizon) / 12
		sum, sumSq, zeros := 0.0, 0.0, 0
		for _, k := range counts {
			sum += float64(k)
			sumSq += float64(k * k)
			if k == 0 {
				zeros++
			}
		}
		mean := sum / runs
		variance := sumSq/runs - mean*mean
		p0 := float64(zeros) / runs
		se := math.Sqrt(lambda / runs)
		if math.Abs(mean-lambda) > 5*se || math.Abs(variance-lambda) > 10*math.Sqrt((lambda+2*lambda*lambda)/runs) ||
			math.Abs(p0-math.Exp(-lambda)) > 5*math.Sqrt(math.Exp(-lambda)*(1-math.Exp(-lambda))/runs)+1e-9 {
			t.Errorf("rate %g over %d months: mean %.4f, variance %.4f, P(0) %.4f; want Poisson(%.4f): P(0) %.4f",
				test.rate, test.horizon, mean, variance, p0, lambda, math.Exp(-lambda))
		}
	}
	low, high := shockCounts(t, 3, 24, 2000), shockCounts(t, 6, 24, 2000)
	for i := range low {
		if high[i] < low[i] {
			t.Fatalf("run %d: %d events at rate 6, %d at rate 3", i, high[i], low[i])
		}
	}
}

// A rule-of-law mission without effect (no staff) does not hold capacity
// up: what an earlier mission built decays exactly as with no mission.
func TestRuleOfLawWithoutEffectLetsCapacityDecay(t *testing.T) {
	build := mission("build", RuleOfLaw, 10)
	build.Duration = 12
	idle := mission("idle", RuleOfLaw, 0)
	idle.StartMonth = 12 // acts from month 13, with zero staff
	with, without := quiet(0.5, 0.5, 0.1, 40), quiet(0.5, 0.5, 0.1, 40)
	with.Interventions = []Intervention{build, idle}
	without.Interventions = []Intervention{build}
	xa, _, _ := path(t, with, 1)
	xb, _, _ := path(t, without, 1)
	for m := range xa {
		if xa[m][0] != xb[m][0] {
			t.Fatalf("month %d: tension %v with an idle rule-of-law mission, %v without", m, xa[m][0], xb[m][0])
		}
	}
}

// A regional mandate's trigger fires at the earliest detection among its
// countries, whatever their order: a monitored country detects at once.
func TestRegionalTriggerEarliestDetection(t *testing.T) {
	for _, order := range [][]int{{0, 1}, {1, 0}} {
		sc := quiet(0.2, 0.9, 0.1, 24)
		b := sc.Countries[0]
		b.ID, b.Name = "b", "B"
		sc.Countries = append(sc.Countries, b) // both escalate in the same month
		mon := mission("mon", Monitoring, 10)
		mon.Countries = []int{1}          // only B is monitored, from month 1
		mon.Effect = [NumStages]float64{} // and nothing else changes
		med := mission("med", Mediation, 10)
		med.Effect = [NumStages]float64{}
		med.Countries = order
		med.Triggered, med.Trigger = true, Escalating
		sc.Interventions = []Intervention{mon, med}
		_, st, r := path(t, sc, 1)
		reached := firstMonthAt(st, 0, Escalating)
		if got := firstActive(r, 1); got != reached+1 {
			t.Errorf("countries %v: mediation first acts in month %d, want %d (escalation in month %d, detected at once in B)", order, got, reached+1, reached)
		}
	}
}

// Scheduled events of one month are deterred one by one: monitoring scales
// the raising event down but not the calming one.
func TestEventsDeterredApart(t *testing.T) {
	sc := flat(0.3, 3)
	sc.Countries[0].Events = []Event{{Name: "up", Month: 2, Size: 0.3}, {Name: "down", Month: 2, Size: -0.1}}
	mon := mission("mon", Monitoring, 10)
	sc.Interventions = []Intervention{mon}
	x, _, _ := path(t, sc, 1)
	keep := 1 - mon.Effect[Latent]*Capacity(10, 10, 1)
	if want := 0.3 + 0.3*keep - 0.1; math.Abs(x[2][0]-want) > eps {
		t.Errorf("month 2: tension %v, want %v", x[2][0], want)
	}
}

// firstActive returns the first month in which intervention i acted in a
// one-run result, or -1.
func firstActive(r *Result, i int) int {
	for m, k := range r.Interventions[i].FirstActive {
		if k > 0 {
			return m
		}
	}
	return -1
}

// A mission whose start month is after the horizon (a horizon shortened
// on the command line) never acts and costs nothing.
func TestStartAfterHorizon(t *testing.T) {
	sc := flat(0.5, 6)
	iv := mission("late", Mediation, 10)
	iv.StartMonth = 10
	sc.Interventions = []Intervention{iv}
	x, _, r := path(t, sc, 1)
	if x[6][0] != 0.5 || r.Interventions[0].ActiveMonths[0] != 1 || r.Interventions[0].Launched != 0 {
		t.Errorf("tension %v, active months %v, launched %d", x[6][0], r.Interventions[0].ActiveMonths, r.Interventions[0].Launched)
	}
}

// firstMonthAt returns the first month in which country c of a path is in
// stage at or worse, or -1.
func firstMonthAt(st [][]Stage, c int, at Stage) int {
	for m := range st {
		if st[m][c] >= at {
			return m
		}
	}
	return -1
}
