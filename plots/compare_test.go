package plots

import (
	"errors"
	"fmt"
	"gonum.org/v1/plot"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/escalate-sim/escalate/sim"
)

// comparison returns a comparison of k strategies over 24 months with
// known answers: strategy i has P(war) 0.5 - 0.04i (95% interval ±0.01),
// costs i million dollars a run, and lowers P(war) by 4i points from the
// baseline (paired interval ±0.5 points), so a war averted costs $25M.
// Its survival falls linearly to 1 - P(war) at month 24; only the
// baseline reaches its median, in month 24.
func comparison(k int) *sim.ComparisonSummary {
	const h = 24
	cs := &sim.ComparisonSummary{
		Scenario: "known", Title: "Known strategies", Runs: 1000, Seed: 3, HorizonMonths: h,
		Baseline: "s0", Countries: []string{"arcadia"},
	}
	for i := range k {
		pw := 0.5 - 0.04*float64(i)
		surv := make([]float64, h+1)
		for m := range surv {
			surv[m] = 1 - pw*float64(m)/h
		}
		st := sim.StrategySummary{
			Variant:  sim.Variant{ID: fmt.Sprintf("s%d", i), Name: fmt.Sprintf("Strategy %c", 'A'+i)},
			PWar:     pw,
			PWarCI95: [2]float64{pw - 0.01, pw + 0.01},
			CostMean: 1e6 * float64(i),
			TimeToWar: sim.TimeToWarSummary{
				Survival: surv,
			},
		}
		if i == 0 {
			st.Name = "No mission"
			med := h
			st.TimeToWar.MedianMonths = &med
		} else {
			d := -0.04 * float64(i)
			c := 1e6 * float64(i) / -d
			st.VsBaseline = sim.PairedSummary{
				PWarDiff: d, PWarDiffCI95: [2]float64{d - 0.005, d + 0.005},
				CostDiff: 1e6 * float64(i), CostPerWarAverted: &c,
			}
		}
		cs.Strategies = append(cs.Strategies, st)
	}
	return cs
}

func TestFmtPoints(t *testing.T) {
	for _, tc := range []struct {
		d    float64
		want string
	}{
		{-0.2859, "−28.6"},
		{0.015, "+1.5"},
		{0, "0.0"},
		// Not zero: its sign shows, as in the table (issue 11).
		{-0.00004, "−0.004"},
		{-0.1795, "−17.9"},
		{1, "+100.0"},
	} {
		if got := fmtPoints(tc.d); got != tc.want {
			t.Errorf("fmtPoints(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
	d, iv := diffLabel(&sim.PairedSummary{PWarDiff: -0.283, PWarDiffCI95: [2]float64{-0.292, -0.274}})
	if d != "−28.3 pts" || iv != "[−29.2, −27.4]" {
		t.Errorf("diffLabel = %q, %q", d, iv)
	}
}

func TestPWarTop(t *testing.T) {
	for _, tc := range []struct{ hi, want float64 }{
		{0, 0.05},
		{0.03, 0.06},
		{0.2, 0.25},
		{0.4827, 0.6},
		{0.5166, 0.7},
		{0.62, 1},
		{1, 1},
	} {
		if got := pwarTop(tc.hi); math.Abs(got-tc.want) > 1e-9 {
			t.Errorf("pwarTop(%v) = %v, want %v", tc.hi, got, tc.want)
		}
	}
}

func TestComparePWar(t *testing.T) {
	cs := comparison(5)
	p, err := ComparePWar(cs)
	if err != nil {
		t.Fatal(err)
	}
	svg := svgOf(t, p)
	wantTexts(t, svg, "War within 24 months, by strategy (paired runs)", "Probability of war (share of runs)",
		"No mission", "(baseline)", "Strategy B", "Strategy E", "50%", "baseline",
		"−4.0 pts", "[−4.5, −3.5]", "−16.0 pts", "[−16.5, −15.5]", "paired 95% interval", "1,000 runs")
	if tilted.MatchString(svg) {
		t.Error("five short names are tilted")
	}
	if p.Y.Min != 0 || p.Y.Max != 0.7 {
		t.Errorf("y axis %v to %v, want 0 to 0.7", p.Y.Min, p.Y.Max)
	}

	// One whisker per strategy, in its colour, at its x, from the lower
	// to the upper end of its interval.
	for i, st := range cs.Strategies {
		var whiskers int
		for _, d := range paths(t, p) {
			if d.fill || len(d.pts) != 2 || !sameColor(d.color, SeriesColor(i)) || !near(d.pts[0].X, float64(d.pts[1].X), 1e-9) {
				continue
			}
			if !near(d.pts[0].X, float64(i), 1e-6) {
				t.Errorf("strategy %d: whisker at x = %v", i, d.pts[0].X)
			}
			lo, hi := min(d.pts[0].Y, d.pts[1].Y), max(d.pts[0].Y, d.pts[1].Y)
			if !near(lo, st.PWarCI95[0], 1e-6) || !near(hi, st.PWarCI95[1], 1e-6) {
				t.Errorf("strategy %d: whisker from %v to %v, want %v", i, lo, hi, st.PWarCI95)
			}
			whiskers++
		}
		if whiskers != 1 {
			t.Errorf("strategy %d: %d whiskers, want 1", i, whiskers)
		}
	}
	// The dashed baseline line runs across the chart at the baseline's
	// P(war).
	found := false
	for _, d := range paths(t, p) {
		if sameColor(d.color, baselineStyle.Color) && len(d.pts) == 2 && near(d.pts[0].Y, 0.5, 1e-6) && near(d.pts[1].Y, 0.5, 1e-6) &&
			near(d.pts[0].X, -0.5, 1e-6) && near(d.pts[1].X, 4.5, 1e-6) {
			found = true
		}
	}
	if !found {
		t.Error("no baseline line at 50%")
	}
}

func TestComparePWarMany(t *testing.T) {
	// Twelve strategies with long names: a row a strategy, the names on
	// one line left of the axis, the differences in a column right of the
	// data area.
	cs := comparison(12)
	for i := range cs.Strategies {
		cs.Strategies[i].Name = fmt.Sprintf("Strategy number %d with a long name", i+1)
	}
	p, err := ComparePWar(cs)
	if err != nil {
		t.Fatal(err)
	}
	svg := svgOf(t, p)
	wantTexts(t, svg, "Strategy number 12 with a long name", "Strategy number 1 with a long name (baseline)",
		"−44.0 pts", "[−44.5, −43.5]", "50%", "baseline", "Change from Strategy number 1", "paired 95% interval",
		"Probability of war (share of 1,000 runs, 95% interval)")
	if tilted.MatchString(svg) {
		t.Error("names are tilted")
	}
	// Strategy i is on row 11 - i, its whisker across its interval.
	for i, st := range cs.Strategies {
		var n int
		for _, d := range paths(t, p) {
			if d.fill || len(d.pts) != 2 || !sameColor(d.color, SeriesColor(i)) || !near(d.pts[0].Y, float64(d.pts[1].Y), 1e-9) {
				continue
			}
			if !near(d.pts[0].Y, float64(11-i), 1e-6) {
				continue // a cap of another strategy of the same colour
			}
			lo, hi := min(d.pts[0].X, d.pts[1].X), max(d.pts[0].X, d.pts[1].X)
			if !near(lo, st.PWarCI95[0], 1e-6) || !near(hi, st.PWarCI95[1], 1e-6) {
				t.Errorf("strategy %d: whisker from %v to %v, want %v", i, lo, hi, st.PWarCI95)
			}
			n++
		}
		if n != 1 {
			t.Errorf("strategy %d: %d whiskers, want 1", i, n)
		}
	}
	// The labels are right of the data area.
	for _, d := range allPaths(t, p) {
		if d.fill && sameColor(d.color, SeriesColor(3)) && !d.inside {
			t.Errorf("a dot outside the data area: %v", d.pts)
		}
	}
}

func TestComparePWarOne(t *testing.T) {
	p, err := ComparePWar(comparison(1))
	if err != nil {
		t.Fatal(err)
	}
	svg := svgOf(t, p)
	wantTexts(t, svg, "War within 24 months", "No mission", "50%", "Dot: share of 1,000 runs")
	if hasText(svg, "paired") || hasText(svg, "baseline") {
		t.Errorf("a single strategy is compared: %q", texts(svg))
	}
}

func TestComparePWarCountries(t *testing.T) {
	cs := comparison(3)
	cs.Countries = []string{"a", "b"}
	p, err := ComparePWar(cs)
	if err != nil {
		t.Fatal(err)
	}
	wantTexts(t, svgOf(t, p), "War in any country within 24 months (paired runs)")
}

func TestCompareErrors(t *testing.T) {
	nan := comparison(3)
	nan.Strategies[1].PWar = math.NaN()
	nanDiff := comparison(3)
	nanDiff.Strategies[2].VsBaseline.PWarDiffCI95[1] = math.Inf(1)
	zero := comparison(3)
	zero.Runs = 0
	none := comparison(3)
	none.Strategies = nil
	for _, tc := range []struct {
		name string
		cs   *sim.ComparisonSummary
		is   error
	}{
		{"nil", nil, nil},
		{"zero runs", zero, ErrNoRuns},
		{"no strategies", none, nil},
		{"NaN P(war)", nan, nil},
	} {
		for name, chart := range map[string]func(*sim.ComparisonSummary) (any, error){
			"pwar":     func(cs *sim.ComparisonSummary) (any, error) { return ComparePWar(cs) },
			"survival": func(cs *sim.ComparisonSummary) (any, error) { return CompareSurvival(cs) },
			"cost":     func(cs *sim.ComparisonSummary) (any, error) { return CostVsWar(cs) },
		} {
			_, err := chart(tc.cs)
			if err == nil {
				t.Errorf("%s, %s: no error", tc.name, name)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("%s, %s: error %v, want %v", tc.name, name, err, tc.is)
			}
		}
	}
	if p, err := ComparePWar(nanDiff); err == nil || p != nil {
		t.Error("infinite paired interval: no error")
	}
}

func TestCompareSurvival(t *testing.T) {
	cs := comparison(4)
	p, err := CompareSurvival(cs)
	if err != nil {
		t.Fatal(err)
	}
	wantTexts(t, svgOf(t, p), "Time to first war, by strategy", "No mission", "(baseline)", "median 24 months",
		"Strategy B", "Strategy D", "median not reached")
	// One curve per strategy, in its colour, ending at 1 - P(war).
	for i, st := range cs.Strategies {
		var lines int
		for _, d := range paths(t, p) {
			if !d.fill && sameColor(d.color, SeriesColor(i)) && len(d.pts) > 2 {
				lines++
				if last := d.pts[len(d.pts)-1]; !near(last.X, 24, 1e-6) || !near(last.Y, 1-st.PWar, 1e-6) {
					t.Errorf("strategy %d: curve ends at %v, want (24, %v)", i, last, 1-st.PWar)
				}
			}
		}
		if lines != 1 {
			t.Errorf("strategy %d: %d curves, want 1", i, lines)
		}
	}

	// A single strategy is named in the title.
	p, err = CompareSurvival(comparison(1))
	if err != nil {
		t.Fatal(err)
	}
	wantTexts(t, svgOf(t, p), "No mission: time to first war")

	// No median anywhere: said once.
	cs = comparison(3)
	cs.Strategies[0].TimeToWar.MedianMonths = nil
	cs.Countries = []string{"a", "b"}
	p, err = CompareSurvival(cs)
	if err != nil {
		t.Fatal(err)
	}
	svg := svgOf(t, p)
	wantTexts(t, svg, "Time to first war in any country, by strategy", "No median: no curve falls")
	if hasText(svg, "median not reached") {
		t.Error("\"median not reached\" repeated for every curve")
	}
}

// When every strategy has P(war) 100% (or 0%), the charts say that P(war)
// cannot tell them apart; otherwise they do not.
func TestSameOutcomeNote(t *testing.T) {
	cs := comparison(3)
	for i := range cs.Strategies {
		st := &cs.Strategies[i]
		st.PWar, st.PWarCI95 = 1, [2]float64{0.99, 1}
		st.VsBaseline.PWarDiff, st.VsBaseline.PWarDiffCI95 = 0, [2]float64{0, 0}
	}
	note := "P(war) is 100% under every strategy: compare months at war"
	for name, build := range map[string]func(*sim.ComparisonSummary) (*plot.Plot, error){
		"pwar": ComparePWar, "cost": CostVsWar, "survival": CompareSurvival,
	} {
		p, err := build(cs)
		if err != nil {
			t.Fatal(err)
		}
		if !hasText(svgOf(t, p), note) {
			t.Errorf("%s: no note %q", name, note)
		}
		p, err = build(comparison(3))
		if err != nil {
			t.Fatal(err)
		}
		if hasText(svgOf(t, p), note) {
			t.Errorf("%s: a note on strategies that differ", name)
		}
	}
}

// A comparison of one key's values (compare --vary) names the key in every
// chart's title: its strategies' names, "staff 20", do not say whose staff.
func TestCompareVariedKey(t *testing.T) {
	const key = "intervention.osce_centre.startup_delay_months"
	for _, countries := range [][]string{{"arcadia"}, {"arcadia", "borduria"}} {
		cs := comparison(3)
		cs.Countries = countries
		for i := range cs.Strategies {
			v := strconv.Itoa(20 - 10*i)
			cs.Strategies[i].ID = key + "=" + v
			cs.Strategies[i].Name = "start-up delay " + v + " mo"
		}
		cs.Baseline = cs.Strategies[0].ID
		pw, err := ComparePWar(cs)
		if err != nil {
			t.Fatal(err)
		}
		sv, err := CompareSurvival(cs)
		if err != nil {
			t.Fatal(err)
		}
		cost, err := CostVsWar(cs)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range []*plot.Plot{pw, sv, cost} {
			if !strings.Contains(p.Title.Text, "by\n"+key) && !strings.Contains(p.Title.Text, "by "+key) {
				t.Errorf("%d countries: title %q does not name %s", len(countries), p.Title.Text, key)
			}
			// Broken onto two lines where it is too wide, not cut.
			for _, line := range strings.Split(p.Title.Text, "\n") {
				if w := p.Title.TextStyle.Width(line); w > DefaultWidth-2*margin {
					t.Errorf("title line %q is %.0fpt wide", line, w.Points())
				}
			}
		}
	}
	// Strategies of a scenario, or values of two different keys: by strategy.
	for _, ids := range [][]string{{"none", "fast"}, {"a.b=1", "a.c=2"}, {"a.b=1", "none"}} {
		cs := comparison(2)
		cs.Strategies[0].ID, cs.Strategies[1].ID = ids[0], ids[1]
		if _, ok := variedKey(cs); ok || byWhat(cs) != "by strategy" {
			t.Errorf("%q: varied key found", ids)
		}
	}
}
