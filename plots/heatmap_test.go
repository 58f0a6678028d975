package plots

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/escalate-sim/escalate/sim"
)

// sweep2 returns a sweep of 200 runs a point over two key paths, of cols
// and rows values: the point of value c of the first and r of the second
// has P(war) (c·rows + r + 1) / (cols·rows + 1).
func sweep2(cols, rows int) *sim.SweepSummary {
	sw := &sim.SweepSummary{
		Scenario: "known", Title: "Known sweep", Runs: 200, Seed: 5, HorizonMonths: 24, Headline: sim.Headline{Name: sim.AnyCountry},
		Dimensions: []sim.SweepDimension{{Path: "intervention.unrcca.startup_delay_months"}, {Path: "intervention.unrcca.staff"}},
	}
	for c := range cols {
		sw.Dimensions[0].Values = append(sw.Dimensions[0].Values, fmt.Sprint(c))
	}
	for r := range rows {
		sw.Dimensions[1].Values = append(sw.Dimensions[1].Values, fmt.Sprint(4*(r+1)))
	}
	for c := range cols {
		for r := range rows {
			p := float64(c*rows+r+1) / float64(cols*rows+1)
			sw.Points = append(sw.Points, sim.SweepPoint{
				Index: []int{c, r}, Values: []string{sw.Dimensions[0].Values[c], sw.Dimensions[1].Values[r]},
				PWar: p, PWarCI95: [2]float64{math.Max(0, p-0.03), math.Min(1, p+0.03)},
			})
		}
	}
	return sw
}

func TestSweepGrid(t *testing.T) {
	sw := sweep2(4, 3)
	// Points in any order; one missing.
	sw.Points[0], sw.Points[7] = sw.Points[7], sw.Points[0]
	sw.Points = sw.Points[:len(sw.Points)-1]
	g := newSweepGrid(sw)
	if c, r := g.Dims(); c != 4 || r != 3 {
		t.Fatalf("grid of %d × %d, want 4 × 3", c, r)
	}
	for c := range 4 {
		if g.X(c) != float64(c) {
			t.Errorf("X(%d) = %v", c, g.X(c))
		}
		for r := range 3 {
			if g.Y(r) != float64(r) {
				t.Errorf("Y(%d) = %v", r, g.Y(r))
			}
			want := float64(c*3+r+1) / 13
			if c == 3 && r == 2 {
				want = math.NaN()
			}
			if got := g.Z(c, r); !(got == want || math.IsNaN(got) && math.IsNaN(want)) {
				t.Errorf("Z(%d, %d) = %v, want %v", c, r, got, want)
			}
		}
	}
	if hi := g.zMax(); hi != 11.0/13 {
		t.Errorf("zMax = %v", hi)
	}
}

// The colour scale starts at 0 and ends where a P(war) axis would.
func TestHeatMapScale(t *testing.T) {
	for _, tc := range []struct{ zmax, top float64 }{
		{0, 0.05}, {1, 1}, {0.34, 0.5}, {0.3, 0.4}, {0.5, 0.6}, {0.03, 0.06},
	} {
		if top := pwarTop(tc.zmax); math.Abs(top-tc.top) > 1e-9 {
			t.Errorf("highest P(war) %v: scale to %v, want %v", tc.zmax, top, tc.top)
		}
	}
}

func TestWarScale(t *testing.T) {
	// From light to dark, evenly enough to read in order.
	cs := WarScale().Colors()
	if len(cs) < 64 {
		t.Fatalf("%d colours", len(cs))
	}
	for i := 1; i < len(cs); i++ {
		if luminance(cs[i]) >= luminance(cs[i-1]) {
			t.Fatalf("colour %d is not darker than colour %d", i, i-1)
		}
	}
	if l := luminance(cs[0]); l < 0.9 {
		t.Errorf("lowest colour has luminance %v, want near white", l)
	}
	if l := luminance(cs[len(cs)-1]); l > 0.1 {
		t.Errorf("highest colour has luminance %v, want dark", l)
	}
	if !sameColor(colorOf(cs, 0, 1, 0), cs[0]) || !sameColor(colorOf(cs, 0, 1, 1), cs[len(cs)-1]) || !sameColor(colorOf(cs, 0, 1, 2), cs[len(cs)-1]) {
		t.Error("colorOf does not map the range to the ends of the scale")
	}
}

func TestSweepHeatMap(t *testing.T) {
	sw := sweep2(5, 4)
	p, err := SweepHeatMap(sw)
	if err != nil {
		t.Fatal(err)
	}
	svg := svgOf(t, p)
	wantTexts(t, svg, "War in any country within 24 months", "intervention.unrcca.startup_delay_months", "intervention.unrcca.staff",
		"P(war)", "200 runs", "0%", "100%", "4.8%", "95.2%", "16", "4")
	// Each cell is filled with the colour of its value, centred on its
	// indices.
	g := newSweepGrid(sw)
	lo, hi := 0.0, pwarTop(g.zMax())
	cells := 0
	for _, d := range paths(t, p) {
		if !d.fill || len(d.pts) != 4 {
			continue
		}
		cx := float64(d.pts[0].X+d.pts[2].X) / 2
		cy := float64(d.pts[0].Y+d.pts[2].Y) / 2
		c, r := int(math.Round(cx)), int(math.Round(cy))
		if math.Abs(cx-float64(c)) > 0.01 || math.Abs(cy-float64(r)) > 0.01 {
			continue
		}
		cells++
		if want := colorOf(WarScale().Colors(), lo, hi, g.Z(c, r)); !sameColor(d.color, want) {
			t.Errorf("cell (%d, %d) is %v, want %v", c, r, d.color, want)
		}
	}
	if cells != 20 {
		t.Errorf("%d cells drawn, want 20", cells)
	}
	// Every cell is labelled with its value.
	for _, pt := range sw.Points {
		if !hasText(svg, percent(pt.PWar)) {
			t.Errorf("no label %q", percent(pt.PWar))
		}
	}
}

func TestSweepHeatMapLarge(t *testing.T) {
	// 50 × 50: no cell labels, thinned tick labels.
	p, err := SweepHeatMap(sweep2(50, 50))
	if err != nil {
		t.Fatal(err)
	}
	svg := svgOf(t, p)
	n := 0
	for _, s := range texts(svg) {
		if strings.HasSuffix(s, "%") {
			n++
		}
	}
	if n > 12 {
		t.Errorf("%d percentages drawn, want only the colour bar's", n)
	}
	var labels int
	for _, tk := range p.X.Tick.Marker.Ticks(p.X.Min, p.X.Max) {
		if tk.Label != "" {
			labels++
		}
	}
	if labels > 20 || labels < 5 {
		t.Errorf("%d x tick labels for 50 values", labels)
	}
}

func TestSweepHeatMapShapes(t *testing.T) {
	for _, tc := range []struct {
		name string
		sw   *sim.SweepSummary
	}{
		{"one row", sweep2(6, 1)},
		{"one column", sweep2(1, 6)},
		{"one cell", sweep2(1, 1)},
		{"all zero", func() *sim.SweepSummary {
			sw := sweep2(3, 3)
			for i := range sw.Points {
				sw.Points[i].PWar, sw.Points[i].PWarCI95 = 0, [2]float64{0, 0.02}
			}
			return sw
		}()},
		{"all one", func() *sim.SweepSummary {
			sw := sweep2(3, 3)
			for i := range sw.Points {
				sw.Points[i].PWar, sw.Points[i].PWarCI95 = 1, [2]float64{0.98, 1}
			}
			return sw
		}()},
		{"words", func() *sim.SweepSummary {
			sw := sweep2(3, 2)
			sw.Dimensions[0].Values = []string{"none", "escalating", "war"}
			return sw
		}()},
	} {
		p, err := SweepHeatMap(tc.sw)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		svg := svgOf(t, p)
		if !hasText(svg, percent(tc.sw.Points[0].PWar)) {
			t.Errorf("%s: no cell label %q", tc.name, percent(tc.sw.Points[0].PWar))
		}
	}
	if _, err := SweepHeatMap(sweep1("1", "2")); err == nil {
		t.Error("a one-dimensional sweep as a heat map: no error")
	}
	zero := sweep2(2, 2)
	zero.Runs = 0
	if _, err := SweepHeatMap(zero); !errors.Is(err, ErrNoRuns) {
		t.Errorf("zero runs: %v", err)
	}
}

func TestContrast(t *testing.T) {
	// WCAG 2: black on white is 21:1, and the ratio is symmetric.
	if c := contrast(0, 1); math.Abs(c-21) > 1e-12 || contrast(1, 0) != c {
		t.Errorf("contrast(black, white) = %v", c)
	}
	if c := contrast(0.18, 0.18); c != 1 {
		t.Errorf("contrast of a colour with itself = %v", c)
	}
}

// Labels switch from white to black once, at the largest step between
// cells' luminances where every label keeps the contrast asked for, and
// never between two cells of nearly the same colour.
func TestLabelSwitch(t *testing.T) {
	for _, tc := range []struct {
		name   string
		lums   []float64
		target float64
		// white lists the luminances labelled in white.
		white []float64
	}{
		// Near the 0.18 where black and white contrast equally, a fixed
		// switch labelled 0.17 white and 0.19 black; at 3:1 (14-point
		// bold) the switch moves to the largest step, 0.2 to 0.6.
		{"cluster at the crossover", []float64{0.05, 0.06, 0.17, 0.175, 0.19, 0.2, 0.6}, 3, []float64{0.05, 0.06, 0.17, 0.175, 0.19, 0.2}},
		{"two clusters", []float64{0.02, 0.03, 0.04, 0.2, 0.21, 0.22, 0.24}, 4.5, []float64{0.02, 0.03, 0.04}},
		// Same cells at 4.5:1: only a switch near 0.18 is allowed.
		{"normal text", []float64{0.05, 0.06, 0.17, 0.175, 0.19, 0.2, 0.6}, 4.5, []float64{0.05, 0.06, 0.17, 0.175}},
		// One colour serves all: no switch.
		{"all light", []float64{0.4, 0.5, 0.9}, 4.5, nil},
		{"all dark", []float64{0.01, 0.03, 0.05}, 4.5, []float64{0.01, 0.03, 0.05}},
		// Nothing reaches the target: the best worst contrast.
		{"impossible", []float64{0.1, 0.3}, 7, []float64{0.1}},
	} {
		at := labelSwitch(tc.lums, tc.target)
		var white []float64
		for _, l := range tc.lums {
			if l < at {
				white = append(white, l)
				if tc.name != "impossible" && contrast(1, l) < tc.target {
					t.Errorf("%s: white on %v has contrast %.2f", tc.name, l, contrast(1, l))
				}
			} else if tc.name != "impossible" && contrast(0, l) < tc.target {
				t.Errorf("%s: black on %v has contrast %.2f", tc.name, l, contrast(0, l))
			}
		}
		if fmt.Sprint(white) != fmt.Sprint(tc.white) {
			t.Errorf("%s: white on %v, want %v", tc.name, white, tc.white)
		}
	}
}
