package sim

import (
	"context"
	"math"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// Known-answer tests of engine behaviours that nothing else pins down: each
// asserts an exact value or a closed form worked out by hand in a comment.

// approx reports whether got is within tol of want; it is false for NaN, so
// a NaN never passes a check written as !approx(...).
func approx(got, want, tol float64) bool {
	return math.Abs(got-want) <= tol
}

// mcTol is four standard errors of a share p estimated from n runs.
func mcTol(p float64, n int64) float64 {
	return 4*math.Sqrt(p*(1-p)/float64(n)) + 1e-12
}

// Under Markov dynamics rule-of-law capacity builds monthly and scales the
// upward moves at the step: a mission of latent effect 0.04 and capacity 1
// acting in months 1..12 leaves R = 1 − 0.96^12, so the first annual step
// moves up with probability p_up · 0.96^12. By hand: 0.96^2 = 0.9216,
// 0.96^4 = 0.84934656, 0.96^8 = 0.72138958, 0.96^12 = 0.61270976; with
// latent → escalating 0.4 and → war 0.2 (p_up = 0.6) that is 0.24508 up to
// escalating, 0.12254 up to war, 0.63237 staying latent.
func TestModelMarkovRuleOfLawStep(t *testing.T) {
	const runs = 40000
	p := [NumStages][NumStages]float64{{0.4, 0.4, 0.2}, {0.2, 0.5, 0.3}, {0.1, 0.2, 0.7}}
	u := 0.61270976 // 0.96^12, by hand
	if math.Abs(math.Pow(0.96, 12)-u) > 1e-8 {
		t.Fatalf("0.96^12 = %v", math.Pow(0.96, 12))
	}
	for _, test := range []struct {
		mission bool
		want    [NumStages]float64 // stage shares at month 12
	}{
		{false, [NumStages]float64{0.4, 0.4, 0.2}},
		{true, [NumStages]float64{1 - 0.6*u, 0.4 * u, 0.2 * u}},
	} {
		sc := markovScenario(p, Latent, 12, 12)
		if test.mission {
			iv := mission("rol", RuleOfLaw, 1000)
			iv.StaffScale = 1 // capacity 1 − exp(−1000) = 1
			// Only the latent effect may count: the country is latent in
			// months 0..11, the months whose stage drives months 1..12.
			iv.Effect = [NumStages]float64{0.04, 0.5, 0.5}
			sc.Interventions = []Intervention{iv}
		}
		r := mustRun(t, sc, runs, 21, 2)
		occ := r.Countries[0].Occupancy
		for m := 0; m < 12; m++ {
			if occ[m][Latent] != runs {
				t.Errorf("mission %v: month %d: %d runs latent before the first step, want %d", test.mission, m, occ[m][Latent], runs)
			}
		}
		for st := range NumStages {
			got := float64(occ[12][st]) / runs
			if want := test.want[st]; !approx(got, want, mcTol(want, runs)) {
				t.Errorf("mission %v: share in %v after one step %.4f, want %.4f ± %.4f", test.mission, Stage(st), got, want, mcTol(want, runs))
			}
		}
		up := float64(occ[12][Escalating]+occ[12][War]) / runs
		if want := test.want[Escalating] + test.want[War]; !approx(up, want, mcTol(want, runs)) {
			t.Errorf("mission %v: P(move up) %.4f, want %.4f", test.mission, up, want)
		}
	}
}

// A Markov regional mandate splits its staff in proportion to stage+1 of
// the month before: latent (weight 1) and war (weight 3) get 1/4 and 3/4
// of 40 staff, capacities 1 − e^−1 and 1 − e^−3 (staff scale 10). With
// effect 1 the latent country's upward moves keep e^−1 of their mass and
// the war country's war → war keeps e^−3, the rest going to escalating:
//
//	latent row {0.2, 0.5, 0.3} → {1 − 0.8/e, 0.5/e, 0.3/e} = {0.70570, 0.18394, 0.11036}
//	war row    {0.1, 0.2, 0.7} → {0.1, 0.2 + 0.7(1 − e^−3), 0.7e^−3} = {0.1, 0.86515, 0.03485}
//
// and the run is exactly that of two single-country missions of 10 and 30
// staff (same streams, bit-identical capacities).
func TestModelMarkovRegionalWeights(t *testing.T) {
	const runs = 20000
	p := [NumStages][NumStages]float64{{0.2, 0.5, 0.3}, {0.2, 0.5, 0.3}, {0.1, 0.2, 0.7}}
	two := func() *Scenario {
		sc := markovScenario(p, Latent, 1, 1)
		sc.Countries = append(sc.Countries, Country{ID: "b", Name: "B", InitialStage: War})
		return sc
	}
	full := [NumStages]float64{1, 1, 1}
	reg := two()
	iv := mission("reg", Mediation, 40)
	iv.Countries, iv.Effect = []int{0, 1}, full
	reg.Interventions = []Intervention{iv}
	got := mustRun(t, reg, runs, 8, 2)

	e1, e3 := math.Exp(-1), math.Exp(-3)
	want := [2][NumStages]float64{
		{1 - 0.8*e1, 0.5 * e1, 0.3 * e1},
		{0.1, 0.2 + 0.7*(1-e3), 0.7 * e3},
	}
	for c := range 2 {
		for st := range NumStages {
			share := float64(got.Countries[c].Occupancy[1][st]) / runs
			if w := want[c][st]; !approx(share, w, mcTol(w, runs)) {
				t.Errorf("country %d: share in %v after one step %.4f, want %.4f ± %.4f", c, Stage(st), share, w, mcTol(w, runs))
			}
		}
	}

	apart := two()
	a := mission("a", Mediation, 10)
	a.Effect = full
	b := mission("b", Mediation, 30)
	b.Countries, b.Effect = []int{1}, full
	apart.Interventions = []Intervention{a, b}
	ref := mustRun(t, apart, runs, 8, 2)
	for c := range 2 {
		if g, w := got.Countries[c].Occupancy[1], ref.Countries[c].Occupancy[1]; g != w {
			t.Errorf("country %d: regional mandate gives %v, single missions of 10 and 30 staff %v", c, g, w)
		}
	}
}

// The median time to war is the first month m with S(m) <= 1/2 ("the month
// by which half the runs have been at war", README), also when S hits 1/2
// exactly.
func TestModelSurvivalMedian(t *testing.T) {
	for i, test := range []struct {
		firstWar []int64 // runs by first month at war, months 0..5
		runs     int64
		median   int // -1: not reached
		survival []float64
	}{
		// 4 runs, 2 at war in month 2 and 2 in month 4: S(2) = 1/2 → 2.
		{[]int64{0, 0, 2, 0, 2, 0}, 4, 2, []float64{1, 1, 0.5, 0.5, 0, 0}},
		// 8 runs: 3 in month 1, 1 in month 3 → S(3) = 4/8 → 3.
		{[]int64{0, 3, 0, 1, 0, 0}, 8, 3, []float64{1, 0.625, 0.625, 0.5, 0.5, 0.5}},
		// 5 runs, 2 at war in month 0: S stays at 3/5 → not reached.
		{[]int64{2, 0, 0, 0, 0, 0}, 5, -1, []float64{0.6, 0.6, 0.6, 0.6, 0.6, 0.6}},
		// 3 runs, 2 in month 5: S(5) = 1/3 → 5.
		{[]int64{0, 0, 0, 0, 0, 2}, 3, 5, []float64{1, 1, 1, 1, 1, 1.0 / 3}},
	} {
		o := newOutcome(5)
		copy(o.FirstWar, test.firstWar)
		for _, k := range test.firstWar {
			o.EverWar += k
		}
		o.WarMonths[0] = test.runs
		o.Onsets[0] = test.runs
		s := summarizeOutcome(&o, test.runs)
		got := -1
		if s.TimeToWar.MedianMonths != nil {
			got = *s.TimeToWar.MedianMonths
		}
		if got != test.median {
			t.Errorf("%d: median %d, want %d", i, got, test.median)
		}
		for m, w := range test.survival {
			if !approx(s.TimeToWar.Survival[m], w, 1e-15) {
				t.Errorf("%d: S(%d) = %v, want %v", i, m, s.TimeToWar.Survival[m], w)
			}
		}
	}
}

// A regional mandate over countries whose tensions are all 0 splits its
// staff evenly: two countries at x = 0, a monitoring mandate of 20 staff
// and an event of 0.2 in month 1 in each: both are deterred by
// Capacity(10) = 1 − e^−1, x_1 = 0.2·(1 − 0.3·(1 − e^−1)) = 0.162073.
func TestModelRegionalZeroTension(t *testing.T) {
	sc := flat(0, 3)
	sc.Countries = append(sc.Countries, Country{ID: "b", Name: "B"})
	for c := range sc.Countries {
		sc.Countries[c].Events = []Event{{Name: "e", Month: 1, Size: 0.2}}
	}
	mon := mission("mon", Monitoring, 20)
	mon.Countries = []int{0, 1}
	sc.Interventions = []Intervention{mon}
	x, _, _ := path(t, sc, 1)
	want := 0.2 * (1 - 0.3*(1-math.Exp(-1)))
	if !approx(want, 0.162073, 1e-6) || mon.Effect[Latent] != 0.3 {
		t.Fatalf("hand value %v (latent monitoring effect %v)", want, mon.Effect[Latent])
	}
	for c := range 2 {
		if !approx(x[1][c], want, eps) {
			t.Errorf("country %d: month 1 tension %v, want %v", c, x[1][c], want)
		}
	}
}

// Spillover adds the weight in month m when the neighbour was at war in
// month m−1, and only at war. The neighbour is listed first, so that it is
// stepped before the receiving country: a new stage must not leak into the
// same month.
func TestModelSpilloverPreviousMonthWarOnly(t *testing.T) {
	const h = 12
	for _, test := range []struct {
		name      string
		neighbour Country
		firstWar  int                 // the neighbour's, -1: never
		want      func(m int) float64 // the receiving country's tension
	}{
		// x_m = 1 − 0.5·0.9^m: 0.7343 in month 6, 0.7609 in month 7, so at
		// war from month 7 and weighing from month 8.
		{"enters war in month 7", Country{ID: "n", Name: "N", InitialTension: 0.5, StructuralPressure: 1, Reversion: 0.1}, 7,
			func(m int) float64 { return 0.1 + 0.02*float64(max(0, m-7)) }},
		// At war in months 0..2 (0.8, then 0.3 from month 3): weighs in
		// months 1..3.
		{"at war in months 0..2", Country{ID: "n", Name: "N", InitialTension: 0.8, StructuralPressure: 0.8,
			Events: []Event{{Name: "peace", Month: 3, Size: -0.5}}}, 0,
			func(m int) float64 { return 0.1 + 0.02*float64(min(m, 3)) }},
		// Escalating throughout (0.7 < 0.75): nothing.
		{"escalating only", Country{ID: "n", Name: "N", InitialTension: 0.7, StructuralPressure: 0.7}, -1,
			func(int) float64 { return 0.1 }},
	} {
		sc := quiet(0, 0, 0, h)
		recv := Country{ID: "r", Name: "R", InitialTension: 0.1, StructuralPressure: 0.1,
			Spillover: []Spillover{{From: 0, Weight: 0.02}}}
		sc.Countries = []Country{test.neighbour, recv}
		x, _, r := path(t, sc, 1)
		if got := firstWar(r, 0); got != test.firstWar {
			t.Fatalf("%s: neighbour first at war in month %d, want %d", test.name, got, test.firstWar)
		}
		for m := 0; m <= h; m++ {
			if want := test.want(m); !approx(x[m][1], want, 1e-12) {
				t.Errorf("%s: month %d: tension %.6f, want %.6f", test.name, m, x[m][1], want)
			}
		}
	}
}

// Consent is drawn once per run: a mission acting in months 1..12 acts in
// all of them or in none, in a share of runs equal to its consent.
func TestModelConsentOncePerRun(t *testing.T) {
	const runs, h = 4000, 12
	for _, consent := range []float64{0.5, 0.3} {
		sc := flat(0.5, h)
		iv := mission("med", Mediation, 10)
		iv.Consent = consent
		sc.Interventions = []Intervention{iv}
		r := mustRun(t, sc, runs, 6, 2)
		ir := &r.Interventions[0]
		for k, n := range ir.ActiveMonths {
			if n != 0 && k != 0 && k != h {
				t.Errorf("consent %g: %d runs with %d active months, want only 0 or %d", consent, n, k, h)
			}
		}
		if ir.ActiveMonths[h] != ir.Consented || ir.ActiveMonths[0] != runs-ir.Consented {
			t.Errorf("consent %g: active months 0: %d, %d: %d; %d runs consented", consent, ir.ActiveMonths[0], h, ir.ActiveMonths[h], ir.Consented)
		}
		if got := float64(ir.Consented) / runs; !approx(got, consent, mcTol(consent, runs)) {
			t.Errorf("consent %g: consented share %.4f", consent, got)
		}
	}
}

// The initial stage comes from x0 with no hysteresis (E = 0.4, W = 0.75,
// h = 0.05): 0.72 and 0.70 are escalating, 0.37 latent, 0.75 and 0.76 war,
// and a war in month 0 is the first war (month 0) and the first onset.
func TestModelInitialStage(t *testing.T) {
	const h = 6
	for _, test := range []struct {
		x0    float64
		stage Stage
	}{
		{0.72, Escalating}, {0.70, Escalating}, {0.37, Latent}, {0.75, War}, {0.76, War},
	} {
		x, st, r := path(t, flat(test.x0, h), 1)
		if st[0][0] != test.stage {
			t.Errorf("x0 %g: month 0 stage %v, want %v", test.x0, st[0][0], test.stage)
		}
		// Flat path: the stage holds.
		for m := 1; m <= h; m++ {
			if st[m][0] != test.stage || x[m][0] != test.x0 {
				t.Errorf("x0 %g: month %d: %v at %v, want %v", test.x0, m, st[m][0], x[m][0], test.stage)
			}
		}
		o := &r.Countries[0].Outcome
		wantFirst, wantOnsets, wantMonths := -1, 0, 0
		if test.stage == War {
			wantFirst, wantOnsets, wantMonths = 0, 1, h
		}
		if got := firstWar(r, 0); got != wantFirst || o.Onsets[wantOnsets] != 1 || o.WarMonths[wantMonths] != 1 {
			t.Errorf("x0 %g: first war %d, onsets %v, war months %v; want %d, %d, %d", test.x0, got, o.Onsets, o.WarMonths, wantFirst, wantOnsets, wantMonths)
		}
	}
}

// Onsets under Markov dynamics with deterministic chains, counted in months
// 0..H with a war in month 0 as the first: an entry into war, not a step
// spent at war.
func TestModelMarkovOnsets(t *testing.T) {
	const runs = 10
	flip := [NumStages][NumStages]float64{{0, 0, 1}, {0, 1, 0}, {1, 0, 0}}  // L → W → L, E absorbing
	stay := [NumStages][NumStages]float64{{0, 0, 1}, {0, 1, 0}, {0, 0, 1}}  // L → W, W absorbing
	cycle := [NumStages][NumStages]float64{{0, 1, 0}, {0, 0, 1}, {1, 0, 0}} // L → E → W → L
	for i, test := range []struct {
		p                       [NumStages][NumStages]float64
		initial                 Stage
		horizon, perStep        int
		onsets, first, warMonth int
	}{
		// W L W L W: onsets in months 0, 2, 4; at war in months 2, 4 of 1..4.
		{flip, War, 4, 1, 3, 0, 2},
		// L W L W L: onsets in 1, 3.
		{flip, Latent, 4, 1, 2, 1, 2},
		// Steps every 2 months: W W L L W W L L W: onsets in 0, 4, 8; at
		// war in months 1, 4, 5, 8.
		{flip, War, 8, 2, 3, 0, 4},
		// L W W W W: one onset, in month 1, and 4 months at war.
		{stay, Latent, 4, 1, 1, 1, 4},
		// L E W L E W L: onsets in 2 and 5.
		{cycle, Latent, 6, 1, 2, 2, 2},
	} {
		sc := markovScenario(test.p, test.initial, test.horizon, test.perStep)
		r := mustRun(t, sc, runs, 2, 1)
		o := &r.Countries[0].Outcome
		if o.Onsets[test.onsets] != runs || o.FirstWar[test.first] != runs || o.WarMonths[test.warMonth] != runs {
			t.Errorf("%d: %v, %d months, %d per step: onsets %v, first war %v, war months %v; want %d, %d, %d",
				i, test.initial, test.horizon, test.perStep, o.Onsets, o.FirstWar, o.WarMonths, test.onsets, test.first, test.warMonth)
		}
		s := Summarize(sc, r, 2)
		recur := 0.0
		if test.onsets >= 2 {
			recur = 1
		}
		if s.Countries[0].WarOnsets.Mean != float64(test.onsets) || s.Countries[0].WarOnsets.PRecurrence != recur {
			t.Errorf("%d: onsets mean %v, P(recurrence) %v; want %d, %v", i, s.Countries[0].WarOnsets.Mean, s.Countries[0].WarOnsets.PRecurrence, test.onsets, recur)
		}
	}
}

// Trigger timing: a trigger fires for its stage or a worse one; a stage
// held in month T is detected in T + lag, or in T itself where monitoring
// acts in month T (including a monitoring mission whose first acting month
// is T); a stage held from month 0 is checked from month 0.
func TestModelTriggerTiming(t *testing.T) {
	// quiet(0.2, 0.9, 0.1): x_m = 0.9 − 0.7·0.9^m, 0.4330 in month 3 and
	// 0.4407 in month 4: escalating from month 4.
	const reached = 4
	climb := func() *Scenario { return quiet(0.2, 0.9, 0.1, 24) }
	_, st, _ := path(t, climb(), 1)
	if st[reached-1][0] != Latent || st[reached][0] != Escalating {
		t.Fatalf("stages in months 3, 4: %v, %v; want latent, escalating", st[reached-1][0], st[reached][0])
	}
	for _, test := range []struct {
		name    string
		sc      *Scenario
		trigger Stage
		lag     int
		monitor int // first month monitoring acts; 0: none
		want    int // first month the mediation acts
	}{
		{"no monitoring", climb(), Escalating, 2, 0, reached + 2 + 1},
		{"monitoring from the month reached", climb(), Escalating, 2, reached, reached + 1},
		{"monitoring from the month after", climb(), Escalating, 2, reached + 1, reached + 2},
		// quiet(0, 1, 1): x_1 = 1, latent straight to war in month 1.
		{"latent to war, escalating trigger", quiet(0, 1, 1, 12), Escalating, 2, 0, 1 + 2 + 1},
		{"latent to war, war trigger", quiet(0, 1, 1, 12), War, 2, 0, 1 + 2 + 1},
		// Escalating in month 0: detected in month 0 + lag.
		{"escalating from month 0", flat(0.5, 12), Escalating, 2, 0, 0 + 2 + 1},
		{"escalating from month 0, no lag", flat(0.5, 12), Escalating, 0, 0, 0 + 0 + 1},
		{"escalating from month 0, monitored", flat(0.5, 12), Escalating, 2, 1, 1 + 1},
	} {
		sc := test.sc
		sc.Model.DetectionLag = test.lag
		med := mission("med", Mediation, 10)
		med.Effect = [NumStages]float64{} // acts without changing the path
		med.Triggered, med.Trigger = true, test.trigger
		sc.Interventions = []Intervention{med}
		if test.monitor > 0 {
			mon := mission("mon", Monitoring, 10)
			mon.Effect = [NumStages]float64{}
			mon.StartMonth = test.monitor - 1 // acts from start + 1
			sc.Interventions = append(sc.Interventions, mon)
		}
		_, _, r := path(t, sc, 1)
		if test.monitor > 0 && firstActive(r, 1) != test.monitor {
			t.Fatalf("%s: monitoring first acts in month %d, want %d", test.name, firstActive(r, 1), test.monitor)
		}
		if got := firstActive(r, 0); got != test.want {
			t.Errorf("%s: mediation first acts in month %d, want %d", test.name, got, test.want)
		}
	}
}

// "Any country at war" counts the months of 1..H in which at least one
// country is at war (the size of the union), episodes of that union, and
// its first month, with two countries moved in and out of war by events.
func TestModelAnyWar(t *testing.T) {
	const h = 10
	// inWar returns a country at 0.1 (0.8 if war0) that goes to war at
	// month in (+0.7) and back at month out (−0.7); 0 skips an event.
	country := func(id string, war0 bool, in, out int) Country {
		c := Country{ID: id, Name: id, InitialTension: 0.1, StructuralPressure: 0.1}
		if war0 {
			c.InitialTension, c.StructuralPressure = 0.8, 0.8
		}
		if in > 0 {
			c.Events = append(c.Events, Event{Name: "in", Month: in, Size: 0.7})
		}
		if out > 0 {
			c.Events = append(c.Events, Event{Name: "out", Month: out, Size: -0.7})
		}
		return c
	}
	for _, test := range []struct {
		name                    string
		a, b                    Country
		warA, warB              int // months at war of 1..H
		months, onsets, firstAt int
	}{
		// A at war in 2..4, B in 4..6: union 2..6.
		{"overlapping", country("a", false, 2, 5), country("b", false, 4, 7), 3, 3, 5, 1, 2},
		// A in 2..3, B in 6..7: union {2, 3, 6, 7}, two episodes.
		{"disjoint", country("a", false, 2, 4), country("b", false, 6, 8), 2, 2, 4, 2, 2},
		// A in 2..3, B in 4..5: one unbroken episode.
		{"adjacent", country("a", false, 2, 4), country("b", false, 4, 6), 2, 2, 4, 1, 2},
		// A in 0..1, B in 4: months {1, 4} of 1..H, first in month 0.
		{"from month 0", country("a", true, 0, 2), country("b", false, 4, 5), 1, 1, 2, 2, 0},
	} {
		sc := quiet(0, 0, 0, h)
		sc.Countries = []Country{test.a, test.b}
		_, _, r := path(t, sc, 1)
		if r.Countries[0].WarMonths[test.warA] != 1 || r.Countries[1].WarMonths[test.warB] != 1 {
			t.Fatalf("%s: war months %v and %v, want %d and %d", test.name, r.Countries[0].WarMonths, r.Countries[1].WarMonths, test.warA, test.warB)
		}
		o := &r.AnyWar
		if o.EverWar != 1 || o.WarMonths[test.months] != 1 || o.Onsets[test.onsets] != 1 || o.FirstWar[test.firstAt] != 1 {
			t.Errorf("%s: any war: months %v, onsets %v, first %v; want %d, %d, %d",
				test.name, o.WarMonths, o.Onsets, o.FirstWar, test.months, test.onsets, test.firstAt)
		}
	}
}

// Momentum is that of the stage of the month before: with momentum {0,
// 0.01, 0.02} and no noise, x_m = clamp01(x + r(P − x) + μ[s_{m−1}]). By
// hand from 0.3 toward 0.9 at rate 0.1: x_1 = 0.36 (latent), x_2 = 0.36 +
// 0.054 = 0.414 (latent before, so no momentum; now escalating), x_3 =
// 0.414 + 0.0486 + 0.01 = 0.4726.
func TestModelMomentumByStage(t *testing.T) {
	const h = 30
	mu := [NumStages]float64{0, 0.01, 0.02}
	sc := quiet(0.3, 0.9, 0.1, h)
	sc.Countries[0].Momentum = mu
	x, st, _ := path(t, sc, 1)
	for m, want := range []float64{0.3, 0.36, 0.414, 0.4726} {
		if !approx(x[m][0], want, 1e-12) {
			t.Errorf("month %d: tension %v, want %v (by hand)", m, x[m][0], want)
		}
	}
	want, prev := 0.3, Latent
	seen := [NumStages]bool{}
	for m := 1; m <= h; m++ {
		want = min(max(want+0.1*(0.9-want)+mu[prev], 0), 1)
		prev = StageOf(want, prev, 0.4, 0.75, 0.05)
		seen[prev] = true
		if !approx(x[m][0], want, 1e-12) || st[m][0] != prev {
			t.Fatalf("month %d: %v at %v, want %v at %v", m, st[m][0], x[m][0], prev, want)
		}
	}
	if !seen[War] {
		t.Fatal("the path never reaches war: war momentum untested")
	}
}

// Shock sizes are exponential with mean mean_size, or exactly mean_size
// with the fixed distribution. The event count has its own stream, the
// same for both distributions (common random numbers), so the fixed run
// gives each run's count, and in runs with exactly one event the tension of
// month 1 (from 0, nothing else moving) is that event's size.
func TestModelShockSizes(t *testing.T) {
	const (
		runs  = 40000
		fixed = 1.0 / 16 // exact in binary: k events sum to exactly k/16
		mean  = 0.05
	)
	peaks := func(size float64, d SizeDist) []float64 {
		sc := flat(0, 1)
		sc.Countries[0].Shocks = []Shock{{Name: "s", RatePerYear: 12, MeanSize: size, Distribution: d}} // 1 a month
		out := make([]float64, runs)
		_, err := Run(context.Background(), sc, Options{Seed: 13, Runs: runs, Workers: 2, Records: func(recs []CountryRecord) error {
			for _, r := range recs {
				out[r.Run] = r.PeakTension
			}
			return nil
		}})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	counts := peaks(fixed, Fixed)
	sizes := peaks(mean, Exponential)
	var one []float64
	total := 0.0
	for i, x := range counts {
		k := x / fixed
		if k != math.Trunc(k) {
			t.Fatalf("run %d: fixed shocks of %v sum to %v, not a multiple", i, fixed, x)
		}
		total += k
		if k == 1 {
			one = append(one, sizes[i]/mean) // in units of the mean
		}
	}
	// Poisson(1): mean count 1 ± 4/sqrt(runs); P(one event) = 1/e.
	if !approx(total/runs, 1, 4/math.Sqrt(runs)) || !approx(float64(len(one))/runs, math.Exp(-1), mcTol(math.Exp(-1), runs)) {
		t.Fatalf("mean count %.4f, %d runs with one event", total/runs, len(one))
	}
	n := float64(len(one))
	sum := 0.0
	for _, s := range one {
		sum += s
	}
	// Exp(1): mean 1, standard deviation 1.
	if got := sum / n; !approx(got, 1, 4/math.Sqrt(n)) {
		t.Errorf("mean shock size %.4f × mean_size, want 1 ± %.4f", got, 4/math.Sqrt(n))
	}
	if d, crit := ksDistance(one, distuv.Exponential{Rate: 1}.CDF), 1.95/math.Sqrt(n); !(d < crit) {
		t.Errorf("shock sizes: KS distance %.4f from the exponential, critical %.4f", d, crit)
	}
}

// MonthsDiff's interval uses the n−1 sample variance; histQuantile is the
// smallest value whose cumulative count reaches q·n, skipping empty bins.
func TestModelMonthsDiffAndHistQuantile(t *testing.T) {
	// Differences {−1, 1, 2, 2}: sum 4, sum of squares 10, mean 1, sample
	// variance (10 − 4·1²)/3 = 2, half width 1.96·√(2/4).
	p := Paired{Runs: 4, SumDiff: 4, SumSqDiff: 10}
	half := z95 * math.Sqrt(0.5)
	if d, lo, hi := p.MonthsDiff(); d != 1 || !approx(lo, 1-half, 1e-12) || !approx(hi, 1+half, 1e-12) {
		t.Errorf("MonthsDiff = %v [%v, %v], want 1 [%v, %v]", d, lo, hi, 1-half, 1+half)
	}
	// One run: no interval.
	if d, lo, hi := (&Paired{Runs: 1, SumDiff: 3, SumSqDiff: 9}).MonthsDiff(); d != 3 || lo != 3 || hi != 3 {
		t.Errorf("one run: %v [%v, %v], want 3 [3, 3]", d, lo, hi)
	}
	for i, test := range []struct {
		h    []int64
		q    float64
		want float64
	}{
		// Values 0, 0, 2, 2, 2, 3 (n = 6).
		{[]int64{2, 0, 3, 1}, 1.0 / 3, 0}, // target 2: reached in bin 0 exactly
		{[]int64{2, 0, 3, 1}, 0.5, 2},     // target 3
		{[]int64{2, 0, 3, 1}, 0.9, 3},     // target 5.4
		{[]int64{2, 0, 3, 1}, 1, 3},
		// Values 1, 1, 3 (n = 3): q = 0 lands on the first non-empty bin.
		{[]int64{0, 2, 0, 1}, 0, 1},
		{[]int64{0, 2, 0, 1}, 2.0 / 3, 1}, // target 2
		{[]int64{0, 2, 0, 1}, 0.7, 3},     // target 2.1
	} {
		n := int64(0)
		for _, c := range test.h {
			n += c
		}
		if got := histQuantile(test.h, n, test.q); got != test.want {
			t.Errorf("%d: histQuantile(%v, %d, %v) = %v, want %v", i, test.h, n, test.q, got, test.want)
		}
	}
}
