package study

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/escalate-sim/escalate/scenarios"
	"github.com/escalate-sim/escalate/sim"
)

func guinea(t testing.TB, specs ...string) (*scenarios.File, []scenarios.Uncertain) {
	t.Helper()
	f, err := scenarios.Open("guinea-2009")
	if err != nil {
		t.Fatal(err)
	}
	var us []scenarios.Uncertain
	for _, s := range specs {
		u, err := scenarios.ParseUncertain(s)
		if err != nil {
			t.Fatal(err)
		}
		us = append(us, u)
	}
	us, err = f.WithUncertain(us...)
	if err != nil {
		t.Fatal(err)
	}
	return f, us
}

var guineaSpecs = []string{
	"country.guinea.volatility=uniform=[0.03, 0.09]",
	"intervention.unowa.startup_delay_months=integer=[0, 6]",
	"intervention.ohchr.consent=beta=[4, 2, 0.5, 1]",
	"intervention.ecowas.trigger=choice=[\"none\"]",
}

// The scenario at a point is the scenario `escalate run --strategy ID
// --set PATH=VALUE ...` builds from the printed values, to the byte, and
// running it gives the point's outcome exactly.
func TestPointEqualsSet(t *testing.T) {
	f, us := guinea(t, guineaSpecs...)
	st, err := New(Config{File: f, Uncertain: us, Design: "lhs", Samples: 3, Runs: 300, Seed: 11})
	if err != nil {
		t.Fatal(err)
	}
	var got []PointResult
	if _, err := st.Run(context.Background(), func(pr PointResult) error { got = append(got, pr); return nil }, nil); err != nil {
		t.Fatal(err)
	}
	for _, pr := range got {
		var sets []scenarios.Override
		for j, v := range pr.Values {
			ov, err := scenarios.ParseOverride(us[j].Key() + "=" + scenarios.FormatValue(v))
			if err != nil {
				t.Fatal(err)
			}
			sets = append(sets, ov)
		}
		scs, err := st.Scenarios(pr.Point)
		if err != nil {
			t.Fatal(err)
		}
		for v, strat := range st.Strategies {
			want, err := f.Strategy(strat.ID, sets...)
			if err != nil {
				t.Fatal(err)
			}
			a, _ := json.Marshal(scs[v])
			b, _ := json.Marshal(want)
			if !bytes.Equal(a, b) {
				t.Fatalf("point %d strategy %s: scenario differs from --set\n%s\n%s", pr.Index, strat.ID, a, b)
			}
			res, err := sim.Run(context.Background(), want, sim.Options{Seed: 11, Runs: 300})
			if err != nil {
				t.Fatal(err)
			}
			if w := res.Countries[0].EverWar; w != pr.Outcomes[v].Wars {
				t.Errorf("point %d strategy %s: %d wars, escalate run --set gives %d", pr.Index, strat.ID, pr.Outcomes[v].Wars, w)
			}
		}
	}
}

// A parameter that cannot affect an outcome gets indices of exactly zero:
// with common random numbers, f(AB_i) = f(A) run by run. The cost of a
// mission per staff-month changes no war outcome.
func TestInertParameter(t *testing.T) {
	f, us := guinea(t, "country.guinea.volatility=uniform=[0.03, 0.09]",
		"intervention.unowa.cost_per_staff_month=uniform=[5000, 30000]")
	st, err := New(Config{File: f, Uncertain: us, Design: "sobol", Samples: 32, Runs: 200, Seed: 3, Resamples: 200})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := st.Run(context.Background(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, s := range rep.Sensitivity {
		if s.Output == "cost" {
			continue
		}
		p := s.Parameters[1]
		if *p.FirstOrder != 0 || *p.Total != 0 || p.TotalCI[0] != 0 || p.TotalCI[1] != 0 {
			t.Errorf("%s of %s: cost per staff-month has S=%v ST=%v %v", s.Output, s.Strategy, *p.FirstOrder, *p.Total, *p.TotalCI)
		}
		n++
	}
	if n == 0 {
		t.Fatal("no sensitivity reported")
	}
	// And the cost of the "none" strategy does not vary at all.
	for _, s := range rep.Sensitivity {
		if s.Output == "cost" && s.Strategy == "none" && s.Variance != 0 {
			t.Errorf("cost of no mission varies: %v", s.Variance)
		}
		if s.Output == "cost" && s.Strategy == "historical" && *s.Parameters[1].Total < 0.5 {
			t.Errorf("cost of the historical missions barely depends on the cost per staff-month: S_T = %v", *s.Parameters[1].Total)
		}
	}
}

// The same seed gives the same report, whatever the number of workers;
// another seed another design.
func TestReproducible(t *testing.T) {
	f, us := guinea(t, guineaSpecs[:2]...)
	report := func(seed uint64, workers int) []byte {
		st, err := New(Config{File: f, Uncertain: us, Design: "morris", Samples: 4, Runs: 100, Seed: seed,
			Workers: workers, Satisfice: 0.2, Find: "historical.p_war > 0.15"})
		if err != nil {
			t.Fatal(err)
		}
		var csv bytes.Buffer
		w, err := NewCSVWriter(&csv, st)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := st.Run(context.Background(), w.Write, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(rep)
		if err != nil {
			t.Fatal(err)
		}
		return append(b, csv.Bytes()...)
	}
	a, b, c := report(5, 1), report(5, 2), report(6, 2)
	if !bytes.Equal(a, b) {
		t.Error("1 and 2 workers differ")
	}
	if bytes.Equal(a, c) {
		t.Error("seeds 5 and 6 gave the same study")
	}
}

// An uncertain key that a strategy also sets is named in a warning: the
// drawn value wins, as --set does after --strategy.
func TestStrategySetsUncertainKey(t *testing.T) {
	f, us := guinea(t, "intervention.unowa.startup_delay_months=integer:0:6")
	st, err := New(Config{File: f, Uncertain: us, Design: "lhs", Samples: 2, Runs: 10, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := st.Run(context.Background(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Warnings) == 0 || !strings.Contains(rep.Warnings[0], "strategy fast sets intervention.unowa.startup_delay_months, which is uncertain") {
		t.Errorf("warnings %q", rep.Warnings)
	}
	scs, err := st.Scenarios(st.Points[0])
	if err != nil {
		t.Fatal(err)
	}
	want := int(st.Points[0].Values[0].(int64))
	for v, sc := range scs {
		for _, iv := range sc.Interventions {
			if iv.ID == "unowa" && iv.StartupDelay != want {
				t.Errorf("strategy %s: unowa delay %d, want the drawn %d", st.Strategies[v].ID, iv.StartupDelay, want)
			}
		}
	}
}

func TestCSV(t *testing.T) {
	f, us := guinea(t, guineaSpecs...)
	st, err := New(Config{File: f, Uncertain: us, Design: "lhs", Samples: 2, Runs: 50, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	w, _ := NewCSVWriter(&buf, st)
	if _, err := st.Run(context.Background(), w.Write, nil); err != nil {
		t.Fatal(err)
	}
	w.Flush()
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 1+2*len(st.Strategies) {
		t.Fatalf("%d lines, want %d", len(lines), 1+2*len(st.Strategies))
	}
	want := "point,strategy,country.guinea.volatility,intervention.unowa.startup_delay_months,intervention.ohchr.consent,intervention.ecowas.trigger,p_war,p_war_lo,p_war_hi,war_months,cost"
	if lines[0] != want {
		t.Errorf("header %s", lines[0])
	}
	if !strings.HasPrefix(lines[1], "1,none,") || !strings.Contains(lines[1], ",none,") {
		t.Errorf("first row %s", lines[1])
	}
}

func TestCondition(t *testing.T) {
	ids := []string{"none", "historical"}
	oc := []Outcome{{PWar: 0.4, Cost: 0}, {PWar: 0.2, Cost: 5e6}}
	for _, c := range []struct {
		s    string
		want bool
		err  string
	}{
		{"p_war > 0.3", true, ""},
		{"historical.p_war > 0.3", false, ""},
		{"historical.p_war > none.p_war", false, ""},
		{"historical.cost >= 5e6", true, ""},
		{"0.3 < p_war", true, ""},
		{"p_war <= 0.4", true, ""},
		{"fast.p_war > 0.3", false, `unknown strategy "fast"`},
		{"p_peace > 0.3", false, "unknown outcome"},
		{"p_war = 0.3", false, "want OUTCOME OP VALUE"},
		{"1 > 0", false, "compare an outcome"},
	} {
		cond, err := ParseCondition(c.s, ids)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%q: error %v, want %q", c.s, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", c.s, err)
			continue
		}
		if got := cond.Holds(oc); got != c.want {
			t.Errorf("%q holds = %v, want %v", c.s, got, c.want)
		}
	}
}

func TestNoiseShare(t *testing.T) {
	if s := noiseShare([]float64{0.1, 0.3, 0.1, 0.3}, []float64{0, 0, 0, 0}); s != 0 {
		t.Errorf("noiseless share %v", s)
	}
	// Across-point variance 1/75 (sample variance of 0.1, 0.3, 0.1, 0.3),
	// noise 0.01/3 per point: a quarter.
	if s := noiseShare([]float64{0.1, 0.3, 0.1, 0.3}, []float64{0.01 / 3, 0.01 / 3, 0.01 / 3, 0.01 / 3}); math.Abs(s-0.25) > 1e-12 {
		t.Errorf("share %v, want 0.25", s)
	}
}

func TestConfigErrors(t *testing.T) {
	f, us := guinea(t, guineaSpecs[:1]...)
	for _, c := range []struct {
		cfg  Config
		want string
	}{
		{Config{File: f, Design: "lhs", Samples: 2, Runs: 1}, "no uncertain keys"},
		{Config{File: f, Uncertain: us, Design: "grid", Samples: 2, Runs: 1}, `unknown design "grid"`},
		{Config{File: f, Uncertain: us, Design: "lhs", Samples: 0, Runs: 1}, "--samples"},
		{Config{File: f, Uncertain: us, Design: "lhs", Samples: 2, Runs: 1, Find: "quick.p_war > 0"}, "unknown strategy"},
		{Config{File: f, Uncertain: us, Design: "lhs", Samples: 2, Runs: 1, Country: "mali"}, `no country "mali"`},
	} {
		if _, err := New(c.cfg); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: error %v, want %q", c.cfg.Design, err, c.want)
		}
	}
}
