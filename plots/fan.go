package plots

import (
	"fmt"
	"slices"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/escalate-sim/escalate/sim"
)

// Colours of the fan: opaque tints of blue, so that a band looks the same
// over every stage region and the same as its legend swatch (translucent
// bands took the region's hue, cream or green, and matched no swatch).
// The stage regions show around the bands, and the thresholds are drawn
// over them.
var (
	fanOuter  = tint(Blue, 0.22)
	fanInner  = tint(Blue, 0.55)
	fanMedian = darker(Blue, 0.75)
)

// TensionFan returns a fan chart of a country's tension by month: the
// median, the middle 50% (25th to 75th percentile) and the middle 90%
// (5th to 95th) of runs, over the stage regions (latent below the
// escalation threshold, escalating up to the war threshold, war above it)
// shaded in the stage colours. It returns ErrNoTension for a summary
// without tension quantiles (markov dynamics).
func TensionFan(s *sim.Summary, country int) (*plot.Plot, error) {
	return tensionFan(s, country, standard)
}

func tensionFan(s *sim.Summary, c int, th theme) (*plot.Plot, error) {
	cs, err := country(s, c)
	if err != nil {
		return nil, err
	}
	q := cs.TensionQuantiles
	if q == nil {
		return nil, ErrNoTension
	}
	name := countryName(cs)
	n := s.HorizonMonths + 1
	for _, qs := range []struct {
		name string
		v    []float64
	}{{"5th", q.P05}, {"25th", q.P25}, {"50th", q.P50}, {"75th", q.P75}, {"95th", q.P95}} {
		if err := checkSeries(fmt.Sprintf("%s percentile of tension in %s", qs.name, name), qs.v, n); err != nil {
			return nil, err
		}
	}

	p := newPlot(th, name+": tension by month", "Month", "Tension (0–1)")
	p.X.Min, p.X.Max = 0, float64(max(s.HorizonMonths, 1))
	p.Y.Min, p.Y.Max = 0, 1
	p.X.Tick.Marker = monthTicks(th)
	p.Y.Tick.Marker = decimalTicks
	leg := newSideLegend(th)

	// Stage regions first, then the grid, bands and median on top.
	var regions []legendEntry
	var thresholds []hline
	if t := s.Thresholds; t != nil {
		if err := checkFinite("thresholds", t.Escalation, t.War, t.Hysteresis); err != nil {
			return nil, err
		}
		e, w := t.Escalation, t.War
		for _, r := range []struct {
			st     sim.Stage
			lo, hi float64
			text   string
		}{
			{sim.War, w, 1, "War: " + fmtTension(w) + " and above"},
			{sim.Escalating, e, w, "Escalating: " + fmtTension(e) + " to " + fmtTension(w)},
			{sim.Latent, 0, e, "Latent: below " + fmtTension(e)},
		} {
			fill := withAlpha(StageColor(r.st), 0.13)
			p.Add(band{lo: r.lo, hi: r.hi, fill: fill})
			regions = append(regions, legendEntry{text: r.text, thumb: swatch{fill: fill}})
		}
		sty := draw.LineStyle{Color: grey, Width: th.line * 0.6, Dashes: []vg.Length{vg.Points(7), vg.Points(4)}}
		thresholds = []hline{{y: e, style: sty}, {y: w, style: sty}}
	}
	addGrid(p)

	outer, err := fanBand(q.P95, q.P05)
	if err != nil {
		return nil, fmt.Errorf("plots: tension of %s: %w", name, err)
	}
	outer.Color = fanOuter
	inner, err := fanBand(q.P75, q.P25)
	if err != nil {
		return nil, fmt.Errorf("plots: tension of %s: %w", name, err)
	}
	inner.Color = fanInner
	median := make(plotter.XYs, n)
	for m, v := range q.P50 {
		median[m] = plotter.XY{X: float64(m), Y: v}
	}
	ml, err := plotter.NewLine(median)
	if err != nil {
		return nil, fmt.Errorf("plots: tension of %s: %w", name, err)
	}
	ml.LineStyle = draw.LineStyle{Color: fanMedian, Width: th.line}
	p.Add(outer, inner)
	for _, h := range thresholds {
		p.Add(h)
	}
	p.Add(ml)

	leg.add("Median", ml)
	if !slices.Equal(q.P05, q.P95) {
		// Bands only where runs differ: one run, or runs that all follow
		// the same path, draw none.
		leg.add("Middle 50% of runs", thumbs{swatch{fill: fanOuter}, swatch{fill: fanInner}})
		leg.add("Middle 90% of runs", swatch{fill: fanOuter})
	}
	if len(regions) > 0 {
		leg.space()
		sty := leg.style
		sty.Font = sansBold
		sty.Font.Size = th.legend
		leg.note("Stage regions", &sty)
		leg.entries = append(leg.entries, regions...)
		leg.add("Stage thresholds", lineThumb{style: thresholds[1].style})
		if h := s.Thresholds.Hysteresis; h > 0 {
			leg.note("A stage lasts until tension\nfalls "+fmtTension(h)+" below its threshold.", nil)
		}
	}
	p.Add(leg)
	return p, nil
}

// fanBand returns the polygon between two monthly curves: the upper one
// forward, then the lower one backward.
func fanBand(upper, lower []float64) (*plotter.Polygon, error) {
	return bandPolygon(nil, upper, lower)
}

// bandPolygon returns the polygon between two curves at xs (at 0, 1, 2...
// if xs is nil): the upper one forward, then the lower one backward.
func bandPolygon(xs, upper, lower []float64) (*plotter.Polygon, error) {
	x := func(i int) float64 {
		if xs == nil {
			return float64(i)
		}
		return xs[i]
	}
	ring := make(plotter.XYs, 0, 2*len(upper))
	for i, v := range upper {
		ring = append(ring, plotter.XY{X: x(i), Y: v})
	}
	for i := len(lower) - 1; i >= 0; i-- {
		ring = append(ring, plotter.XY{X: x(i), Y: lower[i]})
	}
	poly, err := plotter.NewPolygon(ring)
	if err != nil {
		return nil, err
	}
	poly.LineStyle.Width = 0
	return poly, nil
}

// fmtTension formats a tension or threshold with two decimals.
func fmtTension(x float64) string { return strconv.FormatFloat(x, 'f', 2, 64) }

// thumbs draws several thumbnails on top of each other.
type thumbs []plot.Thumbnailer

func (ts thumbs) Thumbnail(c *draw.Canvas) {
	for _, t := range ts {
		t.Thumbnail(c)
	}
}
