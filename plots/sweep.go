package plots

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/escalate-sim/escalate/sim"
)

// This file draws the chart of a parameter sweep over one key path; the
// heat map of a sweep over two is in heatmap.go.

// Colours of a sweep line and its interval band.
var (
	sweepColor = Blue
	sweepBand  = withAlpha(Blue, 0.22)
)

// checkSweep returns an error if sw cannot be drawn as a sweep of dims
// dimensions.
func checkSweep(sw *sim.SweepSummary, dims int) error {
	switch {
	case sw == nil:
		return errors.New("plots: nil sweep")
	case sw.Runs <= 0:
		return ErrNoRuns
	case len(sw.Dimensions) != dims:
		return fmt.Errorf("plots: the sweep varies %d key paths, want %d", len(sw.Dimensions), dims)
	case len(sw.Points) == 0:
		return errors.New("plots: the sweep has no points")
	}
	for d, dim := range sw.Dimensions {
		if len(dim.Values) == 0 {
			return fmt.Errorf("plots: sweep dimension %d (%s) has no values", d+1, dim.Path)
		}
	}
	for k, pt := range sw.Points {
		if len(pt.Index) != dims {
			return fmt.Errorf("plots: sweep point %d has %d indices, want %d", k+1, len(pt.Index), dims)
		}
		for d, i := range pt.Index {
			if i < 0 || i >= len(sw.Dimensions[d].Values) {
				return fmt.Errorf("plots: sweep point %d: index %d of %s out of range (%d values)", k+1, i, sw.Dimensions[d].Path, len(sw.Dimensions[d].Values))
			}
		}
		if err := checkFinite(fmt.Sprintf("P(war) at sweep point %d", k+1), pt.PWar, pt.PWarCI95[0], pt.PWarCI95[1]); err != nil {
			return err
		}
	}
	return nil
}

// sweepTitle names a sweep's outcome: "War in Arcadia within 36 months".
func sweepTitle(sw *sim.SweepSummary) string {
	o := "War"
	if name := strings.TrimSpace(sw.Headline.Name); name != "" {
		o += " in " + name
	}
	return o + " within " + months(sw.HorizonMonths)
}

// axisLabel is the axis title of a sweep dimension: its label or else its
// path, wrapped to at most avail wide: a long label puts its subject on
// lines of its own, then the quantity and unit.
func axisLabel(d sim.SweepDimension, th theme, avail vg.Length) string {
	l := strings.TrimSpace(d.Label)
	if l == "" {
		return d.Path
	}
	sty := textStyle(sans, th.label, Black)
	if sty.Width(l) <= avail {
		return l
	}
	subject, quantity, ok := strings.Cut(l, ": ")
	if !ok {
		return strings.Join(wrapWhole(sty, l, avail), "\n")
	}
	return strings.Join(append(wrapWhole(sty, subject, avail), wrapWhole(sty, quantity, avail)...), "\n")
}

// wrapWhole is wrap that keeps a parenthesis such as "(UN envoy)" on one
// line, unless it alone is too wide.
func wrapWhole(sty text.Style, txt string, w vg.Length) []string {
	// Words, with the words of a parenthesis joined into one.
	var units []string
	depth := 0
	for _, word := range strings.Fields(txt) {
		if depth > 0 {
			units[len(units)-1] += " " + word
		} else {
			units = append(units, word)
		}
		depth += strings.Count(word, "(") - strings.Count(word, ")")
		depth = max(depth, 0)
	}
	lines := fill(sty, units, w, 0)
	for _, l := range lines {
		if sty.Width(l) > w {
			// A parenthesis wider than the room: break it after all.
			return wrap(sty, txt, w, 0)
		}
	}
	return lines
}

// xAxisRoom and yAxisRoom are the lengths an axis title may take: the
// width of a chart's data area, and its height (a chart DefaultHeight
// high).
var (
	xAxisRoom = dataWidthOf(DefaultWidth) * 0.9
	yAxisRoom = DefaultHeight * 0.62
)

// numericValues returns the values of a sweep dimension as numbers, and
// whether they all are finite numbers.
func numericValues(values []string) ([]float64, bool) {
	xs := make([]float64, len(values))
	for i, v := range values {
		x, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, false
		}
		xs[i] = x
	}
	return xs, true
}

// SweepLine returns the chart of a sweep over one key path: the
// probability of war (y) against the key's value (x) as a line through
// the points, with its 95% interval as a shaded band. Values that are all
// numbers are placed at their value, in increasing order; otherwise they
// are categories, placed in the order given and named under the axis.
func SweepLine(sw *sim.SweepSummary) (*plot.Plot, error) {
	return sweepLine(sw, standard)
}

func sweepLine(sw *sim.SweepSummary, th theme) (*plot.Plot, error) {
	if err := checkSweep(sw, 1); err != nil {
		return nil, err
	}
	dim := sw.Dimensions[0]
	values, numeric := numericValues(dim.Values)
	numeric = numeric && len(dim.Values) > 1

	type point struct{ x, y, lo, hi float64 }
	pts := make([]point, 0, len(sw.Points))
	top := 0.0
	for _, sp := range sw.Points {
		i := sp.Index[0]
		x := float64(i)
		if numeric {
			x = values[i]
		}
		pts = append(pts, point{x: x, y: sp.PWar, lo: sp.PWarCI95[0], hi: sp.PWarCI95[1]})
		top = math.Max(top, math.Max(sp.PWar, sp.PWarCI95[1]))
	}
	slices.SortStableFunc(pts, func(a, b point) int { return cmp.Compare(a.x, b.x) })
	xs := make([]float64, len(pts))
	los := make([]float64, len(pts))
	his := make([]float64, len(pts))
	line := make(plotter.XYs, len(pts))
	for i, pt := range pts {
		xs[i], los[i], his[i] = pt.x, pt.lo, pt.hi
		line[i] = plotter.XY{X: pt.x, Y: pt.y}
	}

	p := newPlot(th, sweepTitle(sw), axisLabel(dim, th, xAxisRoom), "Probability of war (share of runs)")
	p.Y.Tick.Marker = shareTicks
	addGrid(p)
	band, err := bandPolygon(xs, his, los)
	if err != nil {
		return nil, fmt.Errorf("plots: sweep: %w", err)
	}
	band.Color = sweepBand
	l, err := plotter.NewLine(line)
	if err != nil {
		return nil, fmt.Errorf("plots: sweep: %w", err)
	}
	l.LineStyle = draw.LineStyle{Color: sweepColor, Width: th.line}
	r := th.line * 1.4
	p.Add(band, l)
	if len(pts) == 1 {
		// A band of one point has no width: show its interval.
		eb, err := plotter.NewYErrorBars(errPoints{{x: pts[0].x, y: pts[0].y, low: math.Max(0, pts[0].y-pts[0].lo), high: math.Max(0, pts[0].hi-pts[0].y)}})
		if err != nil {
			return nil, fmt.Errorf("plots: sweep: %w", err)
		}
		eb.LineStyle = draw.LineStyle{Color: sweepColor, Width: th.line * 0.8}
		eb.CapWidth = th.tick
		p.Add(eb)
	}
	p.Add(dots{xys: line, r: r, color: sweepColor, ring: white})

	leg := newSideLegend(th)
	leg.add("Share of runs\nat war", lineThumb{style: l.LineStyle, dot: r})
	leg.add("95% interval", swatch{fill: sweepBand})
	leg.space()
	leg.note(RunCount(sw.Runs)+" a point,\nall on seed "+strconv.FormatUint(sw.Seed, 10), nil)
	p.Add(leg)

	// Ticks at the values when they are few and far enough apart to be
	// labelled, else at round numbers; categories by name.
	if numeric {
		lo, hi := xs[0], xs[len(xs)-1]
		span := hi - lo
		if span == 0 {
			// The same value throughout.
			span = math.Max(math.Abs(lo), 1)
		}
		p.X.Min, p.X.Max = lo-0.04*span, hi+0.04*span
		if ticks, ok := valueTicks(dim.Values, values, p.X.Tick.Label, th.dataWidth/1.08); ok {
			p.X.Tick.Marker = plot.ConstantTicks(ticks)
		} else {
			p.X.Tick.Marker = decimalTicks
		}
	} else {
		ticks, tilt := categoryTicks(dim.Values, p.X.Tick.Label, th.dataWidth)
		p.X.Tick.Marker = plot.ConstantTicks(ticks)
		if tilt {
			tiltLabels(&p.X.Tick.Label, len(dim.Values))
		}
		p.X.Min, p.X.Max = -0.5, float64(len(dim.Values))-0.5
	}
	p.Y.Min, p.Y.Max = 0, pwarTop(top)
	return p, nil
}

// valueTicks returns ticks at the values of a numeric dimension labelled as
// given, if there are at most 15 and their labels do not run together on
// an axis of about width w; ok is false otherwise.
func valueTicks(labels []string, xs []float64, sty text.Style, w vg.Length) (ticks []plot.Tick, ok bool) {
	if len(xs) > 15 {
		return nil, false
	}
	sorted := slices.Clone(xs)
	slices.Sort(sorted)
	span := sorted[len(sorted)-1] - sorted[0]
	if span == 0 {
		return nil, false
	}
	var widest vg.Length
	for i, l := range labels {
		widest = max(widest, sty.Width(strings.TrimSpace(l)))
		ticks = append(ticks, plot.Tick{Value: xs[i], Label: strings.TrimSpace(l)})
	}
	for i := 1; i < len(sorted); i++ {
		if vg.Length((sorted[i]-sorted[i-1])/span)*w < widest+sty.Font.Size*0.8 {
			return nil, false
		}
	}
	return ticks, true
}

// categoryTicks returns ticks at 0, 1, 2... labelled with the labels of a
// categorical axis about w long. When they do not fit side by side, short
// labels (numbers) are shown every few ticks and long ones are tilted
// (and thinned when even tilted they would overlap).
func categoryTicks(labels []string, sty text.Style, w vg.Length) (ticks []plot.Tick, tilt bool) {
	n := len(labels)
	per := w / vg.Length(n)
	var widest vg.Length
	wrapped := make([]string, n)
	for i, l := range labels {
		wrapped[i] = wrapName(strings.TrimSpace(l))
		for _, line := range strings.Split(wrapped[i], "\n") {
			widest = max(widest, sty.Width(line))
		}
	}
	every := 1
	switch need := widest + sty.Font.Size*0.6; {
	case need <= per:
	case widest <= sty.Font.Size*4:
		every = int(math.Ceil(float64(need / per)))
	default:
		tilt = true
		every = int(math.Ceil(float64(sty.Font.Size * 1.5 / per)))
		for i, l := range labels {
			wrapped[i] = strings.TrimSpace(l)
		}
	}
	for i := range labels {
		t := plot.Tick{Value: float64(i)}
		if i%every == 0 {
			t.Label = wrapped[i]
		}
		ticks = append(ticks, t)
	}
	return ticks, tilt
}

// tiltLabels tilts the tick labels of an axis of n categories, the more
// so the more there are.
func tiltLabels(sty *text.Style, n int) {
	sty.Rotation = math.Pi / 6
	if n > 6 {
		sty.Rotation = math.Pi / 4
	}
	sty.XAlign = draw.XRight
	sty.YAlign = draw.YTop
}
