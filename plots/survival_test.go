package plots

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"testing"

	"gonum.org/v1/plot/plotter"
)

func TestSurvivalXYs(t *testing.T) {
	for _, tc := range []struct {
		name string
		surv []float64
		last int
		want plotter.XYs
	}{
		{"full", []float64{1, 1, 0}, 2, plotter.XYs{{X: 0, Y: 1}, {X: 1, Y: 1}, {X: 2, Y: 0}}},
		{"held to the horizon", []float64{1, 0.5}, 4, plotter.XYs{{X: 0, Y: 1}, {X: 1, Y: 0.5}, {X: 4, Y: 0.5}}},
	} {
		got := survivalXYs(tc.surv, tc.last)
		if len(got) != len(tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
				break
			}
		}
	}
}

func TestMedianPoint(t *testing.T) {
	ip := func(i int) *int { return &i }
	for _, tc := range []struct {
		name  string
		sv    Survival
		month int
		at    float64
		ok    bool
	}{
		{"none", Survival{Survival: []float64{1, 1}}, 0, 0, false},
		{"drop through a half", Survival{Survival: []float64{1, 0.8, 0.2}, MedianMonths: ip(2)}, 2, 0.5, true},
		{"exactly a half", Survival{Survival: []float64{1, 0.5}, MedianMonths: ip(1)}, 1, 0.5, true},
		{"month 0", Survival{Survival: []float64{0.3, 0.2}, MedianMonths: ip(0)}, 0, 0.3, true},
		{"out of range", Survival{Survival: []float64{1}, MedianMonths: ip(5)}, 0, 0, false},
	} {
		m, at, ok := medianPoint(tc.sv)
		if m != tc.month || math.Abs(at-tc.at) > 1e-12 || ok != tc.ok {
			t.Errorf("%s: medianPoint = %d, %v, %v; want %d, %v, %v", tc.name, m, at, ok, tc.month, tc.at, tc.ok)
		}
	}
}

func TestTimeToWarDropsAtWar(t *testing.T) {
	s := known(24)
	p, err := TimeToWar("Time to war", s.HorizonMonths, SurvivalSeries(s))
	if err != nil {
		t.Fatal(err)
	}
	wantTexts(t, svgOf(t, p), "Time to war", "median: 10 months", "Share of runs with no war yet", "Month")

	// The curve is a step: at 1 until month 10, straight down to 0 there,
	// then at 0 to the horizon.
	var line []drawnPath
	var dot []drawnPath
	for _, d := range paths(t, p) {
		if !sameColor(d.color, SeriesColor(0)) {
			continue
		}
		if d.fill {
			dot = append(dot, d)
		} else {
			line = append(line, d)
		}
	}
	if len(line) != 1 {
		t.Fatalf("%d lines in the first series' colour, want 1", len(line))
	}
	drop := -1
	for i, pt := range line[0].pts {
		switch {
		case pt.X < warAt-1e-6 && !near(pt.Y, 1, 1e-6):
			t.Errorf("point %v: below 1 before month %d", pt, warAt)
		case pt.X > warAt+1e-6 && !near(pt.Y, 0, 1e-6):
			t.Errorf("point %v: above 0 after month %d", pt, warAt)
		}
		if i > 0 && near(pt.X, warAt, 1e-6) && near(line[0].pts[i-1].X, warAt, 1e-6) &&
			near(line[0].pts[i-1].Y, 1, 1e-6) && near(pt.Y, 0, 1e-6) {
			drop = i
		}
	}
	if drop < 0 {
		t.Errorf("no vertical drop from 1 to 0 at month %d in %v", warAt, line[0].pts)
	}
	last := line[0].pts[len(line[0].pts)-1]
	if !near(last.X, 24, 1e-6) {
		t.Errorf("line ends at month %v, want 24", last.X)
	}
	// The median dot (and its white ring) is centred on (10, 0.5).
	if len(dot) != 1 {
		t.Fatalf("%d dots, want 1", len(dot))
	}
	var cx, cy float64
	for _, pt := range dot[0].pts {
		cx += float64(pt.X) / float64(len(dot[0].pts))
		cy += float64(pt.Y) / float64(len(dot[0].pts))
	}
	if math.Abs(cx-warAt) > 0.01 || math.Abs(cy-0.5) > 0.01 {
		t.Errorf("median dot at (%.3f, %.3f), want (%d, 0.5)", cx, cy, warAt)
	}
}

func TestTimeToWarNoWar(t *testing.T) {
	s := peaceful(12)
	p, err := TimeToWar("Peace", 12, SurvivalSeries(s))
	if err != nil {
		t.Fatal(err)
	}
	wantTexts(t, svgOf(t, p), "No median")
	for _, d := range paths(t, p) {
		if sameColor(d.color, SeriesColor(0)) {
			if d.fill {
				t.Error("a median dot without a median")
			}
			for _, pt := range d.pts {
				if !near(pt.Y, 1, 1e-6) {
					t.Errorf("survival point %v, want 1", pt)
				}
			}
		}
	}
}

func TestTimeToWarSeveral(t *testing.T) {
	k := known(24).Countries[0].TimeToWar
	series := []Survival{
		{Label: "As planned", Survival: k.Survival, MedianMonths: k.MedianMonths},
		{Label: "No mission", Survival: peaceful(24).Countries[0].TimeToWar.Survival},
		{Label: "Short", Survival: []float64{1, 0.9}},
	}
	p, err := TimeToWar("Strategies", 24, series)
	if err != nil {
		t.Fatal(err)
	}
	// With few curves, the median goes on a second line.
	svg := svgOf(t, p)
	wantTexts(t, svg, "As planned", "median 10 months", "No mission", "median not reached", "Short", "Dots: median time to war")

	// With many, on the same line.
	s := several(10, 24)
	p, err = TimeToWar("Countries", 24, SurvivalSeries(s))
	if err != nil {
		t.Fatal(err)
	}
	wantTexts(t, svgOf(t, p), "Country A: median 10 months", AnyCountryLabel+": median 10 months")
}

func TestSurvivalSeries(t *testing.T) {
	if SurvivalSeries(nil) != nil {
		t.Error("SurvivalSeries(nil) is not nil")
	}
	one := SurvivalSeries(known(12))
	if len(one) != 1 || one[0].Label != "Arcadia" || *one[0].MedianMonths != warAt {
		t.Errorf("one country: %+v", one)
	}
	three := SurvivalSeries(several(2, 12))
	if len(three) != 3 || three[0].Label != "Country A" || three[2].Label != AnyCountryLabel {
		t.Errorf("two countries: %+v", three)
	}
}

func TestTimeToWarErrors(t *testing.T) {
	for _, tc := range []struct {
		name    string
		horizon int
		series  []Survival
	}{
		{"no curves", 12, nil},
		{"empty curve", 12, []Survival{{Label: "a"}}},
		{"NaN", 12, []Survival{{Label: "a", Survival: []float64{1, math.NaN()}}}},
		{"infinite", 12, []Survival{{Label: "a", Survival: []float64{math.Inf(1)}}}},
		{"negative horizon", -1, []Survival{{Label: "a", Survival: []float64{1}}}},
	} {
		if p, err := TimeToWar("x", tc.horizon, tc.series); err == nil || p != nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
}

func TestHiddenUnder(t *testing.T) {
	flat := []float64{1, 1, 1, 1}
	for i, test := range []struct {
		curves [][]float64
		last   int
		want   []int
	}{
		{[][]float64{flat, flat}, 3, []int{1, -1}},
		// The last of several identical curves is the one on top.
		{[][]float64{flat, flat, flat}, 3, []int{2, 2, -1}},
		// Within the tolerance at every month: hidden.
		{[][]float64{{1, 0.9, 0.8}, {1, 0.903, 0.797}}, 2, []int{1, -1}},
		// Apart in one month: visible there.
		{[][]float64{{1, 0.9, 0.8}, {1, 0.9, 0.79}}, 2, []int{-1, -1}},
		// A shorter curve is held at its last value up to last.
		{[][]float64{{1, 0.5}, {1, 0.5, 0.5, 0.4}}, 3, []int{-1, -1}},
		{[][]float64{{1, 0.5}, {1, 0.5, 0.5, 0.5}}, 3, []int{1, -1}},
		// Drawn later and covered by an earlier one: still visible.
		{[][]float64{{1, 0.2}, flat[:2]}, 1, []int{-1, -1}},
	} {
		series := make([]Survival, len(test.curves))
		for j, c := range test.curves {
			series[j] = Survival{Label: fmt.Sprint(j), Survival: c}
		}
		if got := hiddenUnder(series, test.last); !slices.Equal(got, test.want) {
			t.Errorf("%d: hiddenUnder = %v, want %v", i, got, test.want)
		}
	}

	// The legend says where the hidden curve is, or once that all
	// coincide.
	drop := []float64{1, 0.5, 0.5, 0.5}
	p, err := TimeToWar("t", 3, []Survival{{Label: "Kazakhstan", Survival: flat}, {Label: "Turkmenistan", Survival: flat}, {Label: "Kyrgyzstan", Survival: drop}})
	if err != nil {
		t.Fatal(err)
	}
	svg := svgOf(t, p)
	wantTexts(t, svg, "(hidden under", "Turkmenistan)")
	if hasText(svg, "coincide") {
		t.Error("'coincide' note where only two of three curves do")
	}
	p, err = TimeToWar("t", 3, []Survival{{Label: "A", Survival: drop}, {Label: "B", Survival: drop}, {Label: "C", Survival: drop}})
	if err != nil {
		t.Fatal(err)
	}
	svg = svgOf(t, p)
	wantTexts(t, svg, "(all the curves coincide)")
	if hasText(svg, "hidden under") {
		t.Error("per-curve notes where one note says that all coincide")
	}
}

// Every curve of a survival chart has a colour of its own: the "any
// country" curve was black like the third country's.
func TestSurvivalCurvesDistinctColours(t *testing.T) {
	for _, k := range []int{2, 3, 5} {
		p, err := TimeToWar("Countries", 24, SurvivalSeries(several(k, 24)))
		if err != nil {
			t.Fatal(err)
		}
		colours := map[color.RGBA]bool{}
		for _, d := range paths(t, p) {
			if !d.fill && d.width >= standard.line {
				r, g, b, a := d.color.RGBA()
				colours[color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), uint8(a >> 8)}] = true
			}
		}
		if len(colours) != k+1 {
			t.Errorf("%d countries and any country: %d colours of curves", k, len(colours))
		}
	}
}
