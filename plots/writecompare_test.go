package plots

import (
	"bytes"
	"errors"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"gonum.org/v1/plot"

	"github.com/escalate-sim/escalate/sim"
)

func TestWriteCompare(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "charts")
	paths, err := WriteCompare(dir, comparison(4), Options{Format: "svg", Caption: "test"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"compare-pwar.svg", "compare-survival.svg", "compare-cost.svg"}
	if got := names(paths); !slices.Equal(got, want) {
		t.Errorf("wrote %q, want %q", got, want)
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !hasText(string(data), "test") {
			t.Errorf("%s: no caption", p)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != len(want) {
		t.Errorf("%d files in the directory, want %d", len(entries), len(want))
	}

	// PNG at the options' size.
	paths, err = WriteCompare(t.TempDir(), comparison(2), Options{DPI: 20})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := pngConfig(f)
		f.Close()
		if err != nil || cfg.Width != 160 || cfg.Height != 100 {
			t.Errorf("%s: %v × %v, %v; want 160 × 100", filepath.Base(p), cfg.Width, cfg.Height, err)
		}
	}
}

func TestWriteCompareErrors(t *testing.T) {
	dir := t.TempDir()
	zero := comparison(3)
	zero.Runs = 0
	if _, err := WriteCompare(dir, zero, Options{}); !errors.Is(err, ErrNoRuns) {
		t.Errorf("zero runs: %v, want ErrNoRuns", err)
	}
	if _, err := WriteCompare(dir, comparison(2), Options{Format: "gif"}); err == nil {
		t.Error("gif: no error")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("%d files written by failed calls", len(entries))
	}
	// A cost that is not a number: the other charts are written.
	nan := comparison(3)
	nan.Strategies[1].CostMean = math.NaN()
	paths, err := WriteCompare(dir, nan, Options{Format: "svg"})
	if err == nil {
		t.Error("NaN cost: no error")
	}
	if got := names(paths); !slices.Equal(got, []string{"compare-pwar.svg", "compare-survival.svg"}) {
		t.Errorf("NaN cost: wrote %q", got)
	}
}

func TestWriteSweep(t *testing.T) {
	for _, tc := range []struct {
		name  string
		sw    *sim.SweepSummary
		title string
	}{
		{"line", sweep1("0", "1", "2"), "War in Arcadia within 24 months"},
		{"heat map", sweep2(3, 3), "War in any country within 24 months"},
	} {
		dir := filepath.Join(t.TempDir(), "charts")
		paths, err := WriteSweep(dir, tc.sw, Options{Format: "svg", Caption: "test"})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := names(paths); !slices.Equal(got, []string{"sweep.svg"}) {
			t.Errorf("%s: wrote %q", tc.name, got)
		}
		data, err := os.ReadFile(paths[0])
		if err != nil {
			t.Fatal(err)
		}
		wantTexts(t, string(data), tc.title, "test")
	}

	dir := t.TempDir()
	three := sweep2(2, 2)
	three.Dimensions = append(three.Dimensions, sim.SweepDimension{Path: "x", Values: []string{"1"}})
	zero := sweep1("1")
	zero.Runs = 0
	for _, tc := range []struct {
		name string
		sw   *sim.SweepSummary
		opt  Options
	}{
		{"nil", nil, Options{}},
		{"three dimensions", three, Options{}},
		{"no dimension", &sim.SweepSummary{Runs: 1}, Options{}},
		{"zero runs", zero, Options{}},
		{"gif", sweep1("1"), Options{Format: "gif"}},
	} {
		if _, err := WriteSweep(dir, tc.sw, tc.opt); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("%d files written by failed calls", len(entries))
	}
}

// TestCompareSweepEdgeCases draws the comparison and sweep charts of
// inputs at the edges of what the engine produces: none may panic, and
// each either draws or says why not.
func TestCompareSweepEdgeCases(t *testing.T) {
	allAt := func(k int, pw float64) *sim.ComparisonSummary {
		cs := comparison(k)
		for i := range cs.Strategies {
			st := &cs.Strategies[i]
			st.PWar, st.PWarCI95 = pw, [2]float64{math.Max(0, pw-0.004), math.Min(1, pw+0.004)}
			st.VsBaseline = sim.PairedSummary{}
			for m := range st.TimeToWar.Survival {
				st.TimeToWar.Survival[m] = 1 - pw*float64(min(m, 1))
			}
			st.TimeToWar.MedianMonths = nil
		}
		return cs
	}
	free := comparison(5)
	for i := range free.Strategies {
		free.Strategies[i].CostMean = 0
	}
	longNames := comparison(6)
	for i := range longNames.Strategies {
		longNames.Strategies[i].Name = "A strategy with a name far too long to fit anywhere " + string(rune('A'+i))
	}
	noNames := comparison(3)
	for i := range noNames.Strategies {
		noNames.Strategies[i].Name, noNames.Strategies[i].ID = "", ""
	}
	type chart struct {
		name string
		p    *plot.Plot
		err  error
	}
	for _, tc := range []struct {
		name string
		cs   *sim.ComparisonSummary
	}{
		{"one strategy", comparison(1)},
		{"two strategies", comparison(2)},
		{"twelve strategies", comparison(12)},
		{"P(war) all 0", allAt(4, 0)},
		{"P(war) all 1", allAt(5, 1)},
		{"no costs", free},
		{"long names", longNames},
		{"no names", noNames},
	} {
		var cs []chart
		p, err := ComparePWar(tc.cs)
		cs = append(cs, chart{"pwar", p, err})
		p, err = CompareSurvival(tc.cs)
		cs = append(cs, chart{"survival", p, err})
		p, err = CostVsWar(tc.cs)
		cs = append(cs, chart{"cost", p, err})
		for _, c := range cs {
			if c.err != nil {
				t.Errorf("%s, %s: %v", tc.name, c.name, c.err)
				continue
			}
			svgOf(t, c.p)
		}
	}

	allZero := sweep1("0", "1", "2")
	for i := range allZero.Points {
		allZero.Points[i].PWar, allZero.Points[i].PWarCI95 = 0, [2]float64{0, 0.02}
	}
	allOne := sweep1("0", "1")
	for i := range allOne.Points {
		allOne.Points[i].PWar, allOne.Points[i].PWarCI95 = 1, [2]float64{0.98, 1}
	}
	same := sweep1("1", "1.0", "1")
	for _, tc := range []struct {
		name string
		sw   *sim.SweepSummary
	}{
		{"one point", sweep1("7")},
		{"words", sweep1("none", "escalating", "war")},
		{"mixed", sweep1("1", "two", "3")},
		{"all 0", allZero},
		{"all 1", allOne},
		{"same value twice", same},
		{"negative values", sweep1("-2", "-1", "0")},
		{"2-D, one row", sweep2(5, 1)},
		{"2-D, one point", sweep2(1, 1)},
		{"2-D, 50 × 50", sweep2(50, 50)},
	} {
		paths, err := WriteSweep(t.TempDir(), tc.sw, Options{Format: "svg"})
		if err != nil || len(paths) != 1 {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}

// TestCompareSweepDeterministic builds each chart twice from the same
// input: the images are byte for byte the same.
func TestCompareSweepDeterministic(t *testing.T) {
	build := map[string]func() (*plot.Plot, error){
		"pwar":     func() (*plot.Plot, error) { return ComparePWar(shippedComparison(2)) },
		"survival": func() (*plot.Plot, error) { return CompareSurvival(comparison(5)) },
		"cost":     func() (*plot.Plot, error) { return CostVsWar(shippedComparison(3)) },
		"line":     func() (*plot.Plot, error) { return SweepLine(sweep1("0", "2", "4")) },
		"heat map": func() (*plot.Plot, error) { return SweepHeatMap(sweep2(6, 5)) },
	}
	for name, b := range build {
		for _, format := range []string{"svg", "png", "pdf"} {
			var out [2][]byte
			for k := range out {
				p, err := b()
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				var buf bytes.Buffer
				if err := Encode(&buf, p, format, Options{DPI: 40, Caption: "escalate · test"}); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				out[k] = buf.Bytes()
			}
			if !bytes.Equal(out[0], out[1]) {
				t.Errorf("%s: two %s images of the same input differ", name, format)
			}
		}
	}
}

func TestLegendsOutsideData(t *testing.T) {
	// The sweep's legend and the heat map's colour bar are right of the
	// data area.
	p, err := SweepLine(sweep1("0", "1", "2"))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range allPaths(t, p) {
		if d.fill && sameColor(d.color, sweepBand) && !d.inside {
			for _, pt := range d.pts {
				if float64(pt.X) <= p.X.Max {
					t.Errorf("legend swatch at %v overlaps the data area", pt)
				}
			}
		}
	}
	p, err = SweepHeatMap(sweep2(3, 3))
	if err != nil {
		t.Fatal(err)
	}
	bar := 0
	for _, d := range allPaths(t, p) {
		if d.fill && !d.inside && len(d.pts) == 4 && slices.ContainsFunc(WarScale().Colors(), func(c color.Color) bool { return sameColor(c, d.color) }) {
			bar++
			for _, pt := range d.pts {
				if float64(pt.X) <= p.X.Max {
					t.Errorf("colour bar at %v overlaps the data area", pt)
				}
			}
		}
	}
	if bar < 64 {
		t.Errorf("colour bar of %d slices", bar)
	}
}
