package plots

import (
	"errors"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/escalate-sim/escalate/sim"
)

// sweep1 returns a sweep of 200 runs a point over one key path with the
// given values, in that order, where value i has P(war) 0.1 + 0.05i and
// the 95% interval ±0.02 around it.
func sweep1(values ...string) *sim.SweepSummary {
	sw := &sim.SweepSummary{
		Scenario: "known", Title: "Known sweep", Runs: 200, Seed: 5, HorizonMonths: 24, Headline: sim.Headline{Country: "arcadia", Name: "Arcadia"},
		Dimensions: []sim.SweepDimension{{Path: "intervention.mediators.staff", Values: values}},
	}
	for i, v := range values {
		p := 0.1 + 0.05*float64(i)
		sw.Points = append(sw.Points, sim.SweepPoint{Index: []int{i}, Values: []string{v}, PWar: p, PWarCI95: [2]float64{p - 0.02, p + 0.02}})
	}
	return sw
}

func TestSweepLine(t *testing.T) {
	sw := sweep1("0", "2", "4", "8")
	p, err := SweepLine(sw)
	if err != nil {
		t.Fatal(err)
	}
	wantTexts(t, svgOf(t, p), "War in Arcadia within 24 months", "intervention.mediators.staff",
		"Probability of war (share of runs)", "0", "2", "4", "8", "95% interval", "200 runs a point,", "all on seed 5")

	// The band has two vertices a point: the upper ends forward, then the
	// lower ends backward; the line goes through the points.
	xs := []float64{0, 2, 4, 8}
	var band, line []drawnPath
	for _, d := range paths(t, p) {
		switch {
		case d.fill && sameColor(d.color, sweepBand):
			band = append(band, d)
		case !d.fill && sameColor(d.color, sweepColor) && len(d.pts) == len(xs):
			line = append(line, d)
		}
	}
	if len(band) != 1 || len(band[0].pts) != 2*len(xs) {
		t.Fatalf("bands %v: want one polygon of %d vertices", band, 2*len(xs))
	}
	for i, x := range xs {
		pt := sw.Points[i]
		up, down := band[0].pts[i], band[0].pts[2*len(xs)-1-i]
		if !near(up.X, x, 1e-6) || !near(up.Y, pt.PWarCI95[1], 1e-6) || !near(down.X, x, 1e-6) || !near(down.Y, pt.PWarCI95[0], 1e-6) {
			t.Errorf("point %d: band at %v and %v, want (%v, %v) and (%v, %v)", i, up, down, x, pt.PWarCI95[1], x, pt.PWarCI95[0])
		}
	}
	if len(line) != 1 {
		t.Fatalf("%d lines, want 1", len(line))
	}
	for i, pt := range line[0].pts {
		if !near(pt.X, xs[i], 1e-6) || !near(pt.Y, sw.Points[i].PWar, 1e-6) {
			t.Errorf("line point %d at %v, want (%v, %v)", i, pt, xs[i], sw.Points[i].PWar)
		}
	}
	if p.Y.Min != 0 {
		t.Errorf("y axis from %v, want 0", p.Y.Min)
	}
}

func TestSweepLineUnordered(t *testing.T) {
	// Numbers given out of order are drawn in increasing order.
	sw := sweep1("10", "0", "5")
	p, err := SweepLine(sw)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range paths(t, p) {
		if !d.fill && sameColor(d.color, sweepColor) && len(d.pts) == 3 {
			for i, x := range []float64{0, 5, 10} {
				if !near(d.pts[i].X, x, 1e-6) {
					t.Errorf("line point %d at x = %v, want %v", i, d.pts[i].X, x)
				}
			}
			if !near(d.pts[0].Y, sw.Points[1].PWar, 1e-9) {
				t.Errorf("value 0 drawn at %v, want %v", d.pts[0].Y, sw.Points[1].PWar)
			}
			return
		}
	}
	t.Error("no line")
}

func TestSweepLineCategories(t *testing.T) {
	p, err := SweepLine(sweep1("none", "escalating", "war"))
	if err != nil {
		t.Fatal(err)
	}
	wantTexts(t, svgOf(t, p), "none", "escalating", "war")
	if p.X.Min != -0.5 || p.X.Max != 2.5 {
		t.Errorf("x axis %v to %v, want the categories at 0, 1, 2", p.X.Min, p.X.Max)
	}
	// Long names are tilted, many numbers thinned out.
	long := sweep1("a rather long value", "another long value", "a third long value", "and a fourth one", "a fifth", "the sixth value", "the seventh value")
	p, err = SweepLine(long)
	if err != nil {
		t.Fatal(err)
	}
	if !tilted.MatchString(svgOf(t, p)) {
		t.Error("long category names are not tilted")
	}
}

func TestSweepLineTicks(t *testing.T) {
	// Few values: ticks at the values, labelled as given.
	p, err := SweepLine(sweep1("0.70", "0.75", "0.8"))
	if err != nil {
		t.Fatal(err)
	}
	wantTexts(t, svgOf(t, p), "0.70", "0.75", "0.8")
	// Many: round numbers.
	many := sweep1()
	for i := range 101 {
		many.Dimensions[0].Values = append(many.Dimensions[0].Values, strconv.Itoa(i))
		many.Points = append(many.Points, sim.SweepPoint{Index: []int{i}, PWar: 0.5, PWarCI95: [2]float64{0.4, 0.6}})
	}
	p, err = SweepLine(many)
	if err != nil {
		t.Fatal(err)
	}
	var labels []string
	for _, tk := range p.X.Tick.Marker.Ticks(p.X.Min, p.X.Max) {
		if tk.Label != "" {
			labels = append(labels, tk.Label)
		}
	}
	if len(labels) > 8 || !slices.Contains(labels, "20") {
		t.Errorf("labels of 101 values: %q, want a few round numbers", labels)
	}
}

func TestSweepLineOnePoint(t *testing.T) {
	sw := sweep1("3")
	p, err := SweepLine(sw)
	if err != nil {
		t.Fatal(err)
	}
	wantTexts(t, svgOf(t, p), "3")
	// The interval shows as a whisker.
	found := false
	for _, d := range paths(t, p) {
		if !d.fill && len(d.pts) == 2 && near(d.pts[0].X, float64(d.pts[1].X), 1e-9) &&
			near(min(d.pts[0].Y, d.pts[1].Y), 0.08, 1e-6) && near(max(d.pts[0].Y, d.pts[1].Y), 0.12, 1e-6) {
			found = true
		}
	}
	if !found {
		t.Error("no whisker for a single point")
	}
}

func TestSweepErrors(t *testing.T) {
	zero := sweep1("1", "2")
	zero.Runs = 0
	nan := sweep1("1", "2")
	nan.Points[1].PWarCI95[0] = math.NaN()
	out := sweep1("1", "2")
	out.Points[1].Index = []int{2}
	short := sweep1("1", "2")
	short.Points[0].Index = nil
	empty := sweep1("1", "2")
	empty.Points = nil
	noValues := sweep1("1")
	noValues.Dimensions[0].Values = nil
	for _, tc := range []struct {
		name string
		sw   *sim.SweepSummary
		is   error
	}{
		{"nil", nil, nil},
		{"zero runs", zero, ErrNoRuns},
		{"NaN", nan, nil},
		{"index out of range", out, nil},
		{"no index", short, nil},
		{"no points", empty, nil},
		{"no values", noValues, nil},
		{"two dimensions", sweep2(2, 2), nil},
	} {
		p, err := SweepLine(tc.sw)
		if err == nil || p != nil {
			t.Errorf("%s: no error", tc.name)
		}
		if tc.is != nil && !errors.Is(err, tc.is) {
			t.Errorf("%s: error %v, want %v", tc.name, err, tc.is)
		}
	}
}

func TestNumericValues(t *testing.T) {
	if xs, ok := numericValues([]string{"0", " 2.5", "1e3", "-4"}); !ok || !slices.Equal(xs, []float64{0, 2.5, 1000, -4}) {
		t.Errorf("numbers: %v, %v", xs, ok)
	}
	for _, vs := range [][]string{{"1", "two"}, {"NaN"}, {"inf"}, {"[1, 2]"}, {"true"}} {
		if _, ok := numericValues(vs); ok {
			t.Errorf("%q read as numbers", vs)
		}
	}
}

func TestSweepTitle(t *testing.T) {
	for _, tc := range []struct{ outcome, want string }{
		{"any country", "War in any country within 24 months"},
		{"Arcadia", "War in Arcadia within 24 months"},
		{"", "War within 24 months"},
		{" état ", "War in état within 24 months"},
	} {
		sw := sweep1("1")
		sw.Headline.Name = tc.outcome
		if got := sweepTitle(sw); got != tc.want {
			t.Errorf("sweepTitle(%q) = %q, want %q", tc.outcome, got, tc.want)
		}
	}
}

func TestWrapWhole(t *testing.T) {
	sty := textStyle(sans, 12, Black)
	for i, test := range []struct {
		in, room string // room: a text as wide as the room
		want     []string
	}{
		{"aa (bb cc) dd", "aa (bb cc) dd", []string{"aa (bb cc) dd"}},
		{"aaaa bbbb (cc dd) ee", "aaaa bbbb (cc", []string{"aaaa bbbb", "(cc dd) ee"}},
		// Too wide even alone: broken after all.
		{"(aaaa bbbb cccc)", "aaaaa", []string{"(aaaa", "bbbb", "cccc)"}},
	} {
		if got := wrapWhole(sty, test.in, sty.Width(test.room)); !slices.Equal(got, test.want) {
			t.Errorf("%d: wrapWhole(%q) = %q, want %q", i, test.in, got, test.want)
		}
	}
}

func TestAxisLabel(t *testing.T) {
	sty := textStyle(sans, standard.label, Black)
	for i, test := range []struct {
		dim  sim.SweepDimension
		want string
	}{
		{sim.SweepDimension{Path: "intervention.unowa.staff"}, "intervention.unowa.staff"},
		{sim.SweepDimension{Path: "intervention.unowa.staff", Label: "UNOWA: staff (people)"}, "UNOWA: staff (people)"},
		{sim.SweepDimension{Path: "p", Label: "OSCE Police Advisory Group / Community Security Initiative: start-up delay (months)"},
			"OSCE Police Advisory Group /\nCommunity Security Initiative\nstart-up delay (months)"},
		// A parenthesis stays whole on its line.
		{sim.SweepDimension{Path: "p", Label: "UNOWA good offices (UN envoy): expertise"}, "UNOWA good offices (UN envoy)\nexpertise"},
		{sim.SweepDimension{Path: "p", Label: "Joint UN–ECOWAS good offices (UN envoy): expertise"}, "Joint UN–ECOWAS good offices\n(UN envoy)\nexpertise"},
	} {
		got := axisLabel(test.dim, standard, yAxisRoom)
		if got != test.want {
			t.Errorf("%d: axisLabel = %q, want %q", i, got, test.want)
		}
		for _, line := range strings.Split(got, "\n") {
			if w := sty.Width(line); w > yAxisRoom {
				t.Errorf("%d: line %q is %v wide, more than a y axis", i, line, w)
			}
		}
	}
}
