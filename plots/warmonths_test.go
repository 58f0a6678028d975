package plots

import (
	"math"
	"slices"
	"testing"

	"github.com/escalate-sim/escalate/sim"
)

// bars returns the filled war-coloured bars of a war-months chart as
// (left, right, top) in data coordinates.
func bars(t *testing.T, s *sim.Summary) [][3]float64 {
	t.Helper()
	p, err := WarMonths(s, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out [][3]float64
	for _, d := range paths(t, p) {
		if !d.fill || !sameColor(d.color, StageColor(sim.War)) || len(d.pts) != 4 {
			continue
		}
		out = append(out, [3]float64{float64(d.pts[0].X), float64(d.pts[1].X), float64(max(d.pts[2].Y, d.pts[0].Y))})
	}
	return out
}

func TestWarMonths(t *testing.T) {
	s := known(24)
	p, err := WarMonths(s, 0)
	if err != nil {
		t.Fatal(err)
	}
	wantTexts(t, svgOf(t, p), "Arcadia: months at war", "Months at war (of 24 months)", "Share of runs",
		"No month at war:", "0% of runs (no bar)", "Mean: 15.0 months at war")
	// Every run has 24-9 = 15 months at war: one bar, over 14.5..15.5,
	// of all runs; the 23 others are empty.
	bs := bars(t, s)
	if len(bs) != 24 {
		t.Fatalf("%d bars, want 24 (months 1..24)", len(bs))
	}
	for _, b := range bs {
		want := 0.0
		if math.Abs(b[0]-14.5) < 1e-6 {
			want = 1
		}
		if math.Abs(b[2]-want) > 1e-6 || math.Abs(b[1]-b[0]-1) > 1e-6 {
			t.Errorf("bar %v, want one month wide and %v high", b, want)
		}
	}
}

func TestWarMonthsNoWar(t *testing.T) {
	s := peaceful(12)
	p, err := WarMonths(s, 0)
	if err != nil {
		t.Fatal(err)
	}
	svg := svgOf(t, p)
	wantTexts(t, svg, "100% of runs (no bar)")
	if hasText(svg, "Runs with this many") {
		t.Error("a legend entry for bars that are not drawn")
	}
	for _, b := range bars(t, s) {
		if b[2] != 0 {
			t.Errorf("bar %v in a summary without war", b)
		}
	}
}

func TestWarMonthsLongHorizon(t *testing.T) {
	s := peaceful(600)
	s.Countries[0].WarMonths.Histogram[0] = 40
	s.Countries[0].WarMonths.Histogram[15] = 4
	s.Countries[0].WarMonths.Histogram[600] = 6
	p, err := WarMonths(s, 0)
	if err != nil {
		t.Fatal(err)
	}
	wantTexts(t, svgOf(t, p), "bars of 10 months", "80% of runs (no bar)")
	bs := bars(t, s)
	if len(bs) != 60 {
		t.Fatalf("%d bars, want 60", len(bs))
	}
	// 15 months falls in the bar of 11..20, 600 in the last, 591..600.
	for _, b := range bs {
		want := 0.0
		switch {
		case math.Abs(b[0]-10.5) < 1e-6:
			want = 4.0 / 50
		case math.Abs(b[0]-590.5) < 1e-6:
			want = 6.0 / 50
		}
		if math.Abs(b[2]-want) > 1e-6 {
			t.Errorf("bar %v, want height %v", b, want)
		}
	}
}

// Under annual Markov steps months at war come as 11, 12, 23, 24, ...:
// bars span whole steps, so no bar between them is empty.
func TestWarMonthsMarkovSteps(t *testing.T) {
	s := peaceful(360)
	s.Dynamics, s.MonthsPerStep = "markov", 12
	h := s.Countries[0].WarMonths.Histogram
	h[0] = 20
	for _, k := range []int{11, 12, 23, 24, 35, 36} {
		h[k] = 5
	}
	p, err := WarMonths(s, 0)
	if err != nil {
		t.Fatal(err)
	}
	wantTexts(t, svgOf(t, p), "bars of 12 months")
	bs := bars(t, s)
	if len(bs) != 30 {
		t.Fatalf("%d bars, want 30 of 12 months", len(bs))
	}
	for i, b := range bs[:3] {
		if math.Abs(b[2]-10.0/50) > 1e-9 {
			t.Errorf("bar %d %v: want height 10/50 (one step's two values)", i, b)
		}
	}
}

func TestWarMonthsIncomplete(t *testing.T) {
	s := known(12)
	s.Countries[0].WarMonths.Histogram[0] = 1
	p, err := WarMonths(s, 0)
	if err != nil {
		t.Fatal(err)
	}
	wantTexts(t, svgOf(t, p), "Histogram counts 101 of", "100 runs")
}

func TestWarMonthsErrors(t *testing.T) {
	long := known(12)
	long.Countries[0].WarMonths.Histogram = make([]int64, 20)
	empty := known(12)
	empty.Countries[0].WarMonths.Histogram = nil
	neg := known(12)
	neg.Countries[0].WarMonths.Histogram[2] = -1
	for _, tc := range []struct {
		name string
		s    *sim.Summary
	}{
		{"too long", long},
		{"empty", empty},
		{"negative", neg},
		{"zero runs", func() *sim.Summary { s := known(12); s.Runs = 0; return s }()},
	} {
		if p, err := WarMonths(tc.s, 0); err == nil || p != nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
}

func TestFromOneTicks(t *testing.T) {
	for i, test := range []struct {
		lo, hi float64
		want   []string
	}{
		{0.5, 36.5, []string{"1", "6", "12", "18", "24", "30", "36"}},
		{0.5, 360.5, []string{"1", "60", "120", "180", "240", "300", "360"}},
		// Labels at 1, 2 or 3 already: nothing added.
		{0.5, 6.5, []string{"1", "2", "3", "4", "5", "6"}},
		{0.5, 12.5, []string{"2", "4", "6", "8", "10", "12"}},
	} {
		got := tickLabels(fromOneTicks{monthTicks(standard)}, test.lo, test.hi)
		if !slices.Equal(got, test.want) {
			t.Errorf("%d: labels %q, want %q", i, got, test.want)
		}
	}
}
