package plots

import (
	"bytes"
	"fmt"
	"html"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"regexp"
	"strings"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/recorder"

	"github.com/escalate-sim/escalate/sim"
)

// warAt is the month in which every run of known goes to war.
const warAt = 10

// known returns a one-country summary of 100 runs over h months (h > 10)
// with known answers: every run is latent in months 0..4, escalating in
// 5..9 and at war from month 10 on, so the survival is 1 until month 9
// and 0 from month 10, the median time to war is 10 months and every run
// has h-9 months at war. Tension rises linearly from 0.1 by 0.02 a month.
// Two missions act in it: one launched in month 2 that first acts in
// month 4, and one triggered by escalation that first acts in month 6;
// a third never acts.
func known(h int) *sim.Summary {
	n := h + 1
	occ := sim.StageSeries{Latent: make([]float64, n), Escalating: make([]float64, n), War: make([]float64, n)}
	surv := make([]float64, n)
	q := &sim.Quantiles{P05: make([]float64, n), P25: make([]float64, n), P50: make([]float64, n), P75: make([]float64, n), P95: make([]float64, n)}
	for m := range n {
		switch {
		case m < 5:
			occ.Latent[m] = 1
		case m < warAt:
			occ.Escalating[m] = 1
		default:
			occ.War[m] = 1
		}
		if m < warAt {
			surv[m] = 1
		}
		x := math.Min(0.1+0.02*float64(m), 0.95)
		q.P05[m], q.P25[m], q.P50[m], q.P75[m], q.P95[m] = x-0.04, x-0.02, x, x+0.02, math.Min(x+0.04, 1)
	}
	hist := make([]int64, n)
	hist[h-warAt+1] = 100
	med := warAt
	four, six := 4, 6
	return &sim.Summary{
		Scenario: "known", Title: "A known answer", Runs: 100, Seed: 7, HorizonMonths: h,
		Dynamics:   "tension",
		Thresholds: &sim.Thresholds{Escalation: 0.4, War: 0.75, Hysteresis: 0.05},
		Countries: []sim.CountrySummary{{
			ID: "arcadia", Name: "Arcadia",
			OutcomeSummary: sim.OutcomeSummary{
				PWar: 1, PWarCI95: [2]float64{0.963, 1},
				TimeToWar: sim.TimeToWarSummary{MedianMonths: &med, Survival: surv},
				WarMonths: sim.WarMonthsSummary{Mean: float64(h - warAt + 1), P50: float64(h - warAt + 1), P90: float64(h - warAt + 1), Histogram: hist},
			},
			FinalStage:       sim.StageShares{War: 1},
			FinalStageCI95:   sim.StageIntervals{Latent: [2]float64{0, 0.037}, Escalating: [2]float64{0, 0.037}, War: [2]float64{0.963, 1}},
			Occupancy:        occ,
			TensionQuantiles: q,
		}},
		Interventions: []sim.InterventionSummary{
			{ID: "advisers", Name: "Advisers", Kind: "rule_of_law", Countries: []string{"arcadia"}, StartMonth: 2, StartupDelay: 2, PConsent: 1, PLaunched: 1, FirstActiveMedian: &four},
			{ID: "mediators", Name: "Mediators", Kind: "mediation", Countries: []string{"arcadia"}, Trigger: "escalating", StartMonth: -1, StartupDelay: 1, PConsent: 1, PLaunched: 1, FirstActiveMedian: &six},
			{ID: "monitors", Name: "Monitors", Kind: "monitoring", Countries: []string{"arcadia"}, StartMonth: 3, PConsent: 0, FirstActiveMedian: nil},
			{ID: "elsewhere", Name: "Elsewhere", Kind: "monitoring", Countries: []string{"borduria"}, StartMonth: 1},
		},
	}
}

// peaceful returns a one-country summary of 50 runs over h months in
// which no run is ever at war: P(war) = 0, survival flat at 1, no median.
func peaceful(h int) *sim.Summary {
	n := h + 1
	ones := make([]float64, n)
	zeros := make([]float64, n)
	for m := range ones {
		ones[m] = 1
	}
	hist := make([]int64, n)
	hist[0] = 50
	return &sim.Summary{
		Scenario: "peaceful", Title: "Peace", Runs: 50, Seed: 1, HorizonMonths: h, Dynamics: "markov",
		Countries: []sim.CountrySummary{{
			ID: "p", Name: "Pax",
			OutcomeSummary: sim.OutcomeSummary{
				PWarCI95:  [2]float64{0, 0.07},
				TimeToWar: sim.TimeToWarSummary{Survival: ones},
				WarMonths: sim.WarMonthsSummary{Histogram: hist},
			},
			FinalStage:     sim.StageShares{Latent: 1},
			FinalStageCI95: sim.StageIntervals{Latent: [2]float64{0.93, 1}, Escalating: [2]float64{0, 0.07}, War: [2]float64{0, 0.07}},
			Occupancy:      sim.StageSeries{Latent: ones, Escalating: zeros, War: zeros},
		}},
	}
}

// several returns a summary of k copies of known(h), with country i at
// war in a share (i+1)/(k+1) of runs at the end, and "any country".
func several(k, h int) *sim.Summary {
	s := known(h)
	base := s.Countries[0]
	s.Countries = nil
	for i := range k {
		c := base
		c.ID = fmt.Sprintf("c%d", i)
		c.Name = fmt.Sprintf("Country %c", 'A'+i)
		w := float64(i+1) / float64(k+1)
		c.PWar = w
		c.FinalStage = sim.StageShares{Latent: 1 - w, War: w}
		s.Countries = append(s.Countries, c)
	}
	anyWar := base.OutcomeSummary
	s.AnyWar = &anyWar
	s.Interventions[0].Countries = []string{"c0", "c1"}
	return s
}

// svgOf renders p as SVG at the default size.
func svgOf(t testing.TB, p *plot.Plot) string {
	t.Helper()
	var buf bytes.Buffer
	if err := Encode(&buf, p, "svg", Options{Caption: "caption 1"}); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

var svgText = regexp.MustCompile(`<g [^>]*aria-label="([^"]*)">`)

// texts returns the strings drawn in an SVG.
func texts(svg string) []string {
	var out []string
	for _, m := range svgText.FindAllStringSubmatch(svg, -1) {
		out = append(out, html.UnescapeString(m[1]))
	}
	return out
}

// hasText reports whether an SVG draws a string containing s.
func hasText(svg, s string) bool {
	for _, t := range texts(svg) {
		if strings.Contains(t, s) {
			return true
		}
	}
	return false
}

// wantTexts fails unless the SVG draws each string.
func wantTexts(t *testing.T, svg string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !hasText(svg, w) {
			t.Errorf("no text %q among %q", w, texts(svg))
		}
	}
}

// drawnPath is a path stroked or filled while drawing a plot, with its
// vertices in data coordinates.
type drawnPath struct {
	color  color.Color
	width  vg.Length // of a stroke
	fill   bool
	pts    []drawnPoint
	inside bool // within the data area
}

// drawnPoint is a point in data coordinates.
type drawnPoint = vg.Point

// paths draws p on a recorder of the default size and returns the paths
// drawn inside its data area (not legends, axes or labels), in data
// coordinates.
func paths(t testing.TB, p *plot.Plot) []drawnPath {
	t.Helper()
	var out []drawnPath
	for _, d := range allPaths(t, p) {
		if d.inside {
			out = append(out, d)
		}
	}
	return out
}

// allPaths draws p on a recorder of the default size and returns all the
// paths drawn, in data coordinates.
func allPaths(t testing.TB, p *plot.Plot) []drawnPath {
	t.Helper()
	rec := &recorder.Canvas{}
	c := draw.Canvas{Canvas: rec, Rectangle: vg.Rectangle{Max: vg.Point{X: DefaultWidth, Y: DefaultHeight}}}
	p.Draw(c)
	dc := p.DataCanvas(c)
	toData := func(pt vg.Point) vg.Point {
		return vg.Point{
			X: vg.Length(p.X.Min + float64((pt.X-dc.Min.X)/(dc.Max.X-dc.Min.X))*(p.X.Max-p.X.Min)),
			Y: vg.Length(p.Y.Min + float64((pt.Y-dc.Min.Y)/(dc.Max.Y-dc.Min.Y))*(p.Y.Max-p.Y.Min)),
		}
	}
	var out []drawnPath
	var cur color.Color = color.Black
	var width vg.Length
	for _, a := range rec.Actions {
		var path vg.Path
		fill := false
		switch a := a.(type) {
		case *recorder.SetColor:
			cur = a.Color
			continue
		case *recorder.SetLineWidth:
			width = a.Width
			continue
		case *recorder.Stroke:
			path = a.Path
		case *recorder.Fill:
			path, fill = a.Path, true
		default:
			continue
		}
		d := drawnPath{color: cur, width: width, fill: fill}
		inside := true
		const tol = 1e-6
		for _, comp := range path {
			if comp.Type == vg.MoveComp || comp.Type == vg.LineComp {
				pt := toData(comp.Pos)
				d.pts = append(d.pts, pt)
				x, y := float64(pt.X), float64(pt.Y)
				inside = inside && x >= p.X.Min-tol && x <= p.X.Max+tol && y >= p.Y.Min-tol && y <= p.Y.Max+tol
			}
		}
		d.inside = inside
		if len(d.pts) > 0 {
			out = append(out, d)
		}
	}
	return out
}

// sameColor reports whether two colours are equal.
func sameColor(a, b color.Color) bool {
	if a == nil || b == nil {
		return a == b
	}
	r1, g1, b1, a1 := a.RGBA()
	r2, g2, b2, a2 := b.RGBA()
	return r1 == r2 && g1 == g2 && b1 == b2 && a1 == a2
}

// near reports whether two data values are within tol.
func near(a vg.Length, b, tol float64) bool { return math.Abs(float64(a)-b) <= tol }

// vgLen converts a month to the type of drawn coordinates.
func vgLen(m int) vg.Length { return vg.Length(m) }

// pngConfig decodes the size of a PNG image.
func pngConfig(r io.Reader) (image.Config, error) { return png.DecodeConfig(r) }

// tickLabels returns the labels of the ticks a ticker gives from lo to hi,
// leaving out unlabelled (minor) ticks.
func tickLabels(tk plot.Ticker, lo, hi float64) []string {
	var out []string
	for _, t := range tk.Ticks(lo, hi) {
		if t.Label != "" {
			out = append(out, t.Label)
		}
	}
	return out
}
