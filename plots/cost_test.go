package plots

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/recorder"

	"github.com/escalate-sim/escalate/sim"
)

func TestDollarTicks(t *testing.T) {
	labels := func(lo, hi float64) []string { return tickLabels(dollarTicks, lo, hi) }
	for _, tc := range []struct {
		lo, hi float64
		want   []string
	}{
		{0, 12e6, []string{"$0", "$2M", "$4M", "$6M", "$8M", "$10M", "$12M"}},
		{-4e6, 8e6, []string{"−$4M", "−$2M", "$0", "$2M", "$4M", "$6M", "$8M"}},
		{0, 600e3, []string{"$0", "$100k", "$200k", "$300k", "$400k", "$500k", "$600k"}},
		{0, 2.5e9, []string{"$0", "$0.5bn", "$1bn", "$1.5bn", "$2bn", "$2.5bn"}},
		{0, 1000, []string{"$0", "$200", "$400", "$600", "$800", "$1,000"}},
		{0, 2500, []string{"$0", "$500", "$1,000", "$1,500", "$2,000", "$2,500"}},
		{0, 25000, []string{"$0", "$5k", "$10k", "$15k", "$20k", "$25k"}},
	} {
		if got := labels(tc.lo, tc.hi); !slices.Equal(got, tc.want) {
			t.Errorf("ticks from %v to %v: %q, want %q", tc.lo, tc.hi, got, tc.want)
		}
	}
}

func TestShortMoney(t *testing.T) {
	for _, tc := range []struct {
		x    float64
		want string
	}{
		{950, "$950"},
		{12345, "$12k"},
		{12845005, "$12.8M"},
		{1.25e9, "$1.25bn"},
		{-2e6, "−$2.0M"},
	} {
		if got := shortMoney(tc.x); got != tc.want {
			t.Errorf("shortMoney(%v) = %q, want %q", tc.x, got, tc.want)
		}
	}
}

func TestCostVsWar(t *testing.T) {
	cs := comparison(5)
	cs.Strategies[3].VsBaseline.CostPerWarAverted = nil // fewer wars, but not clearly
	cs.Strategies[4].VsBaseline.CostPerWarAverted = nil
	cs.Strategies[4].VsBaseline.Dominant = true
	p, err := CostVsWar(cs)
	if err != nil {
		t.Fatal(err)
	}
	wantTexts(t, svgOf(t, p), "War within 24 months and cost, by strategy", "Mean cost per run (US dollars)",
		"whiskers: 95% interval", "Probability of war (share of runs)", "$0", "$1M", "$3M",
		"No mission", "baseline", "Strategy B", "$25.0M per war averted", "Strategy D", "no clear fall in war",
		"Strategy E", "fewer wars, no extra cost")
	// A whisker per strategy at its cost, over its interval.
	for i, st := range cs.Strategies {
		var n int
		for _, d := range paths(t, p) {
			if !d.fill && len(d.pts) == 2 && sameColor(d.color, SeriesColor(i)) && near(d.pts[0].X, float64(d.pts[1].X), 1e-6) {
				n++
				lo, hi := min(d.pts[0].Y, d.pts[1].Y), max(d.pts[0].Y, d.pts[1].Y)
				if !near(d.pts[0].X, st.CostMean, 1) || !near(lo, st.PWarCI95[0], 1e-6) || !near(hi, st.PWarCI95[1], 1e-6) {
					t.Errorf("strategy %d: whisker %v, want at %v from %v", i, d.pts, st.CostMean, st.PWarCI95)
				}
			}
		}
		if n != 1 {
			t.Errorf("strategy %d: %d whiskers, want 1", i, n)
		}
	}
	if p.X.Min >= 0 || p.Y.Min != 0 {
		t.Errorf("axes from (%v, %v): want room left of $0 and P(war) from 0", p.X.Min, p.Y.Min)
	}

	nan := comparison(3)
	nan.Strategies[2].CostMean = math.NaN()
	if p, err := CostVsWar(nan); err == nil || p != nil {
		t.Error("NaN cost: no error")
	}
}

// shipped holds the outcomes of a strategy of a shipped scenario (10,000
// runs of its strategies with the scenario's seed).
type shipped struct {
	name          string
	pwar, lo, hi  float64
	cost, diff    float64
	perWarAverted float64 // -1: none
}

// shippedComparisons are the comparisons of the shipped scenarios'
// strategies.
var shippedComparisons = []struct {
	name       string
	countries  int
	strategies []shipped
}{
	{"workshop-intro", 1, []shipped{
		{"No mission", 0.5068, 0.4970, 0.5166, 0, 0.0000, -1},
		{"As planned", 0.1908, 0.1832, 0.1986, 4059022, -0.3160, 12845005},
		{"Early mediation", 0.1633, 0.1562, 0.1707, 4553448, -0.3435, 13256035},
		{"Faster start-up", 0.1784, 0.1710, 0.1860, 4158387, -0.3284, 12662567},
		{"Doubled staff", 0.1179, 0.1117, 0.1244, 8095632, -0.3889, 20816745},
	}},
	{"guinea-2009", 1, []shipped{
		{"No mission", 0.4608, 0.4510, 0.4706, 0, 0.0000, -1},
		{"Historical missions", 0.1749, 0.1676, 0.1825, 5896784, -0.2859, 20625338},
		{"Faster start-up", 0.1608, 0.1537, 0.1681, 6186833, -0.3000, 20622775},
		{"Doubled staff", 0.0976, 0.0919, 0.1036, 11793568, -0.3632, 32471278},
	}},
	{"central-asia", 5, []shipped{
		{"No mission", 0.4827, 0.4729, 0.4925, 0, 0.0000, -1},
		{"Historical regional centre", 0.3078, 0.2988, 0.3169, 5961600, -0.1749, 34085763},
		{"Faster start-up", 0.3032, 0.2943, 0.3123, 6513600, -0.1795, 36287465},
		{"Doubled staff", 0.2216, 0.2136, 0.2298, 11923200, -0.2611, 45665262},
		{"Same staff, Kyrgyzstan only", 0.2366, 0.2284, 0.2450, 5961600, -0.2461, 24224299},
	}},
	{"global-baseline", 3, []shipped{
		{"No mission", 1.0000, 0.9996, 1.0000, 0, 0.0000, -1},
		{"Typical political missions", 1.0000, 0.9996, 1.0000, 21071496, 0.0000, -1},
		{"Faster start-up", 1.0000, 0.9996, 1.0000, 21176224, 0.0000, -1},
		{"Doubled staff", 1.0000, 0.9996, 1.0000, 42142992, 0.0000, -1},
		{"Strong, well-funded missions", 1.0000, 0.9996, 1.0000, 573951384, 0.0000, -1},
	}},
	{"kyrgyzstan-2010", 1, []shipped{
		{"No mission", 0.7415, 0.7328, 0.7500, 0, 0.0000, -1},
		{"Historical missions", 0.3559, 0.3466, 0.3653, 11935775, -0.3856, 30953772},
		{"Faster start-up", 0.3470, 0.3377, 0.3564, 11935775, -0.3945, 30255449},
		{"Doubled staff", 0.2245, 0.2164, 0.2328, 23871549, -0.5170, 46173209},
		{"Police advisers as planned", 0.3101, 0.3011, 0.3192, 17443200, -0.4314, 40433936},
	}},
	{"estonia-1993", 1, []shipped{
		{"No mission", 0.1545, 0.1475, 0.1617, 0, 0.0000, -1},
		{"Historical missions", 0.0337, 0.0303, 0.0374, 13381076, -0.1208, 110770498},
		{"Faster start-up", 0.0328, 0.0295, 0.0365, 13381076, -0.1217, 109951324},
		{"Doubled staff", 0.0180, 0.0156, 0.0208, 26762152, -0.1365, 196059724},
	}},
}

// shippedComparison returns the comparison summary of shippedComparisons[k].
func shippedComparison(k int) *sim.ComparisonSummary {
	sc := shippedComparisons[k]
	cs := &sim.ComparisonSummary{Scenario: sc.name, Runs: 10000, HorizonMonths: 36}
	for c := range sc.countries {
		cs.Countries = append(cs.Countries, fmt.Sprintf("c%d", c))
	}
	for i, s := range sc.strategies {
		st := sim.StrategySummary{
			Variant: sim.Variant{ID: fmt.Sprintf("s%d", i), Name: s.name},
			PWar:    s.pwar, PWarCI95: [2]float64{s.lo, s.hi}, CostMean: s.cost,
			TimeToWar:  sim.TimeToWarSummary{Survival: []float64{1, 1 - s.pwar}},
			VsBaseline: sim.PairedSummary{PWarDiff: s.diff, PWarDiffCI95: [2]float64{s.diff - 0.01, s.diff + 0.01}},
		}
		if s.perWarAverted >= 0 {
			st.VsBaseline.CostPerWarAverted = &s.perWarAverted
		}
		cs.Strategies = append(cs.Strategies, st)
	}
	return cs
}

// framedDataCanvas returns the data area of p as Encode draws it at the
// default size with a caption.
func framedDataCanvas(p *plot.Plot, w, h vg.Length) draw.Canvas {
	c := draw.Canvas{Canvas: &recorder.Canvas{}, Rectangle: vg.Rectangle{Max: vg.Point{X: w, Y: h}}}
	var dc draw.Canvas
	drawFramed(c, "escalate · caption", captionSize, func(c draw.Canvas) { dc = p.DataCanvas(c) })
	return dc
}

// checkLabels fails if the labels of a scatter chart drawn in dc overlap
// each other or a point, or leave the data area.
func checkLabels(t *testing.T, name string, p *plot.Plot, sl *scatterLabels, dc draw.Canvas) {
	t.Helper()
	trX, trY := p.Transforms(&dc)
	labels := sl.layout(dc, p)
	if len(labels) != len(sl.points) {
		t.Fatalf("%s: %d labels for %d points", name, len(labels), len(sl.points))
	}
	const tol = 0.01
	for i, l := range labels {
		b := l.box
		if b.Min.X < dc.Min.X-tol || b.Min.Y < dc.Min.Y-tol || b.Max.X > dc.Max.X+tol || b.Max.Y > dc.Max.Y+tol {
			t.Errorf("%s: label %q at %v leaves the data area %v", name, sl.points[i].name, b, dc.Rectangle)
		}
		for j, m := range labels[:i] {
			if area2(b, m.box) > tol {
				t.Errorf("%s: labels %q and %q overlap", name, sl.points[i].name, sl.points[j].name)
			}
		}
		for j, pt := range sl.points {
			dot := vg.Rectangle{
				Min: vg.Point{X: trX(pt.x) - sl.radius, Y: trY(pt.y) - sl.radius},
				Max: vg.Point{X: trX(pt.x) + sl.radius, Y: trY(pt.y) + sl.radius},
			}
			if area2(b, dot) > tol {
				t.Errorf("%s: label %q covers the point of %q", name, sl.points[i].name, sl.points[j].name)
			}
		}
	}
}

func TestCostVsWarLabelsShipped(t *testing.T) {
	for k, sc := range shippedComparisons {
		for _, size := range []vg.Point{{X: DefaultWidth, Y: DefaultHeight}, {X: 6 * vg.Inch, Y: 4 * vg.Inch}, {X: 12 * vg.Inch, Y: 6 * vg.Inch}} {
			p, sl, err := costVsWar(shippedComparison(k), standard, size.X)
			if err != nil {
				t.Fatalf("%s: %v", sc.name, err)
			}
			checkLabels(t, fmt.Sprintf("%s at %v", sc.name, size), p, sl, framedDataCanvas(p, size.X, size.Y))
		}
	}
}

func TestCostVsWarLabelsCrowded(t *testing.T) {
	// Twelve strategies close together still get a free place each.
	cs := comparison(12)
	for i := range cs.Strategies {
		st := &cs.Strategies[i]
		st.CostMean = 4e6 + 1e5*float64(i%4)
		st.PWar = 0.2 + 0.01*float64(i/4)
		st.PWarCI95 = [2]float64{st.PWar - 0.005, st.PWar + 0.005}
	}
	cs.Strategies[0].CostMean = 0
	p, sl, err := costVsWar(cs, standard, DefaultWidth)
	if err != nil {
		t.Fatal(err)
	}
	checkLabels(t, "twelve", p, sl, framedDataCanvas(p, DefaultWidth, DefaultHeight))
}

func TestPlaceLabels(t *testing.T) {
	area := vg.Rectangle{Max: vg.Point{X: 400, Y: 300}}
	size := vg.Point{X: 60, Y: 20}
	// Four points on top of each other in the middle.
	anchors := []vg.Point{{X: 200, Y: 150}, {X: 200, Y: 150}, {X: 201, Y: 150}, {X: 200, Y: 151}}
	sizes := []vg.Point{size, size, size, size}
	ls := placeLabels(area, anchors, sizes, 8, nil)
	for i, l := range ls {
		if l.box.Size() != size {
			t.Errorf("label %d is %v, want %v", i, l.box.Size(), size)
		}
		for j := range i {
			if area2(l.box, ls[j].box) > 0 {
				t.Errorf("labels %d and %d overlap", i, j)
			}
		}
	}
	// The first label of a lone point goes right of it, near.
	one := placeLabels(area, anchors[:1], sizes[:1], 8, nil)
	if b := one[0].box; b.Min.X != 208 || b.Min.Y != 140 || one[0].leader || one[0].align != draw.XLeft {
		t.Errorf("lone label at %v, want right of the point", one[0])
	}
	// No room at all: labels are still placed, without panicking.
	tiny := vg.Rectangle{Max: vg.Point{X: 10, Y: 10}}
	if got := placeLabels(tiny, anchors, sizes, 8, nil); len(got) != len(anchors) {
		t.Errorf("%d labels, want %d", len(got), len(anchors))
	}
	if got := placeLabels(area, nil, nil, 8, nil); len(got) != 0 {
		t.Errorf("labels without points: %v", got)
	}
}

func TestCrosses(t *testing.T) {
	r := vg.Rectangle{Min: vg.Point{X: 10, Y: 10}, Max: vg.Point{X: 20, Y: 20}}
	for _, tc := range []struct {
		a, b vg.Point
		want bool
	}{
		{vg.Point{X: 0, Y: 15}, vg.Point{X: 30, Y: 15}, true},
		{vg.Point{X: 15, Y: 0}, vg.Point{X: 15, Y: 12}, true},
		{vg.Point{X: 0, Y: 0}, vg.Point{X: 9, Y: 30}, false},
		{vg.Point{X: 0, Y: 25}, vg.Point{X: 30, Y: 25}, false},
		{vg.Point{X: 0, Y: 0}, vg.Point{X: 5, Y: 5}, false},
	} {
		if got := crosses(tc.a, tc.b, r); got != tc.want {
			t.Errorf("crosses(%v, %v) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
	if !segmentsCross(vg.Point{X: 0, Y: 0}, vg.Point{X: 10, Y: 10}, vg.Point{X: 0, Y: 10}, vg.Point{X: 10, Y: 0}) {
		t.Error("crossing diagonals do not cross")
	}
	if segmentsCross(vg.Point{X: 0, Y: 0}, vg.Point{X: 10, Y: 0}, vg.Point{X: 0, Y: 1}, vg.Point{X: 10, Y: 1}) {
		t.Error("parallel segments cross")
	}
}
