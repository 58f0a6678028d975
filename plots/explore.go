package plots

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/escalate-sim/escalate/explore/study"
)

// The charts of escalate explore. They read a study.Report: its summaries,
// and per point only P(war) by strategy and the parameter values.

func findSensitivity(r *study.Report, output, series string) (*study.Sensitivity, error) {
	for i := range r.Sensitivity {
		if s := &r.Sensitivity[i]; s.Output == output && s.Strategy == series {
			return s, nil
		}
	}
	return nil, fmt.Errorf("plots: no sensitivity of %s for %s in the report", output, series)
}

// shortPath drops the leading "country." or "intervention." of a key path
// for axis labels: the entity id and key say enough.
func shortPath(p string) string {
	for _, pre := range []string{"country.", "intervention.", "model."} {
		if strings.HasPrefix(p, pre) {
			return strings.TrimPrefix(p, pre)
		}
	}
	return p
}

var outputWords = map[string]string{"p_war": "P(war)", "war_months": "months at war", "cost": "cost"}

// ExploreSobol returns a dot-and-whisker chart of the first-order and
// total Sobol indices of one output of one series (a strategy, or
// "STRATEGY - BASELINE"), with their bootstrap 95% intervals, parameters
// from the most to the least influential (by total index) top to bottom.
func ExploreSobol(r *study.Report, output, series string) (*plot.Plot, error) {
	s, err := findSensitivity(r, output, series)
	if err != nil {
		return nil, err
	}
	if len(s.Parameters) == 0 || s.Parameters[0].Total == nil {
		return nil, fmt.Errorf("plots: the report has no Sobol indices (design %s)", r.Design)
	}
	params := slices.Clone(s.Parameters)
	slices.SortStableFunc(params, func(a, b study.ParamIndex) int {
		switch {
		case *a.Total < *b.Total:
			return -1
		case *a.Total > *b.Total:
			return 1
		}
		return 0
	})
	title := fmt.Sprintf("What drives %s under %s", outputWords[output], series)
	if strings.Contains(series, " - ") {
		title = fmt.Sprintf("What drives the change in %s: %s", outputWords[output], series)
	}
	p := newPlot(standard, title,
		"Sobol index (share of variance) · whiskers: bootstrap 95% interval", "")
	names := make([]string, len(params))
	first, total := make(plotter.XYs, len(params)), make(plotter.XYs, len(params))
	fe, te := make(plotter.XErrors, len(params)), make(plotter.XErrors, len(params))
	lo, hi := 0.0, 1.0
	for i, q := range params {
		names[i] = shortPath(q.Path)
		first[i] = plotter.XY{X: *q.FirstOrder, Y: float64(i) + 0.15}
		total[i] = plotter.XY{X: *q.Total, Y: float64(i) - 0.15}
		fe[i] = struct{ Low, High float64 }{*q.FirstOrder - q.FirstCI[0], q.FirstCI[1] - *q.FirstOrder}
		te[i] = struct{ Low, High float64 }{*q.Total - q.TotalCI[0], q.TotalCI[1] - *q.Total}
		lo = math.Min(lo, math.Min(q.FirstCI[0], q.TotalCI[0]))
		hi = math.Max(hi, math.Max(q.FirstCI[1], q.TotalCI[1]))
	}
	for k, set := range []struct {
		xy    plotter.XYs
		err   plotter.XErrors
		label string
		shape draw.GlyphDrawer
	}{
		{first, fe, "first order (alone)", draw.CircleGlyph{}},
		{total, te, "total (with interactions)", draw.SquareGlyph{}},
	} {
		c := SeriesColor(k)
		eb, err := plotter.NewXErrorBars(struct {
			plotter.XYs
			plotter.XErrors
		}{set.xy, set.err})
		if err != nil {
			return nil, err
		}
		eb.LineStyle.Color, eb.LineStyle.Width = c, vg.Points(1.5)
		sc, err := plotter.NewScatter(set.xy)
		if err != nil {
			return nil, err
		}
		sc.GlyphStyle = draw.GlyphStyle{Color: c, Radius: vg.Points(4), Shape: set.shape}
		p.Add(eb, sc)
		p.Legend.Add(set.label, sc)
	}
	p.NominalY(names...)
	p.X.Min, p.X.Max = math.Min(0, lo)-0.02, math.Max(1, hi)+0.02
	p.X.Tick.Marker = decimalTicks
	p.Y.Min, p.Y.Max = -0.6, float64(len(params))-0.4
	p.Legend.Top = false
	p.Legend.Left = false
	p.Legend.YOffs = 0
	return p, nil
}

// ExploreMorris returns the Morris chart of one output of one series:
// mu* (mean absolute elementary effect, x) against sigma (their spread, y)
// for each parameter, labelled; a parameter high on sigma acts through
// interactions or non-linearly.
func ExploreMorris(r *study.Report, output, series string) (*plot.Plot, error) {
	s, err := findSensitivity(r, output, series)
	if err != nil {
		return nil, err
	}
	if len(s.Parameters) == 0 || s.Parameters[0].MuStar == nil {
		return nil, fmt.Errorf("plots: the report has no Morris indices (design %s)", r.Design)
	}
	unit := map[string]string{"p_war": "P(war)", "war_months": "months", "cost": "US dollars"}[output]
	title := fmt.Sprintf("Morris screening: %s under %s", outputWords[output], series)
	if strings.Contains(series, " - ") {
		title = fmt.Sprintf("Morris screening: change in %s, %s", outputWords[output], series)
	}
	p := newPlot(standard, title,
		fmt.Sprintf("mu*: mean |elementary effect| (%s per full range of the parameter)", unit), "sigma: spread of the effects")
	addGrid(p)
	xy := make(plotter.XYs, len(s.Parameters))
	labels := make([]string, len(s.Parameters))
	for i, q := range s.Parameters {
		xy[i] = plotter.XY{X: *q.MuStar, Y: *q.Sigma}
		labels[i] = shortPath(q.Path)
	}
	sc, err := plotter.NewScatter(xy)
	if err != nil {
		return nil, err
	}
	sc.GlyphStyle = draw.GlyphStyle{Color: SeriesColor(0), Radius: vg.Points(4), Shape: draw.CircleGlyph{}}
	lb, err := plotter.NewLabels(plotter.XYLabels{XYs: xy, Labels: labels})
	if err != nil {
		return nil, err
	}
	maxX, maxY := 0.0, 0.0
	for _, v := range xy {
		maxX, maxY = math.Max(maxX, v.X), math.Max(maxY, v.Y)
	}
	// Labels go above their point, or below it when a point already
	// labelled above is near (close effects are common: two mission keys
	// of similar weight), so that no two labels overlap there.
	above := make([]bool, len(xy))
	for i := range lb.TextStyle {
		lb.TextStyle[i] = textStyle(sans, standard.note, color.Black)
		above[i] = true
		for j := range i {
			if above[j] && math.Abs(xy[i].X-xy[j].X) < 0.25*maxX && math.Abs(xy[i].Y-xy[j].Y) < 0.1*maxY {
				above[i] = false
			}
		}
		lb.TextStyle[i].YAlign = draw.YBottom
		if !above[i] {
			lb.TextStyle[i].YAlign = draw.YTop
		}
	}
	lb.Offset = vg.Point{X: vg.Points(5), Y: 0}
	errs := make(plotter.XErrors, len(xy))
	for i, q := range s.Parameters {
		errs[i] = struct{ Low, High float64 }{*q.MuStar - q.MuStarCI[0], q.MuStarCI[1] - *q.MuStar}
		maxX = math.Max(maxX, q.MuStarCI[1])
	}
	eb, err := plotter.NewXErrorBars(struct {
		plotter.XYs
		plotter.XErrors
	}{xy, errs})
	if err != nil {
		return nil, err
	}
	eb.LineStyle.Color, eb.LineStyle.Width = SeriesColor(0), vg.Points(1.2)
	p.Add(eb, sc, lb)
	p.Legend.Add("mu* with its bootstrap 95% interval", sc)
	p.Legend.Top, p.Legend.Left = false, false
	p.X.Min, p.Y.Min = 0, 0
	// Room on the right for the labels of the largest effects.
	p.X.Max = math.Max(maxX*1.35, 1e-9)
	p.Y.Max = math.Max(maxY*1.15, 1e-9)
	return p, nil
}

// ExploreFutures returns each strategy's P(war) across the futures as a
// cumulative distribution: for each level of P(war), the share of futures
// in which the strategy's P(war) is at most that. A curve to the left is
// a strategy that keeps the risk lower in more futures.
func ExploreFutures(r *study.Report) (*plot.Plot, error) {
	if len(r.PWar) == 0 {
		return nil, fmt.Errorf("plots: the report has no points")
	}
	p := newPlot(standard, fmt.Sprintf("P(%s) across %d futures, by strategy", r.Headline, len(r.PWar)),
		"Probability of war in a future (share of runs)", "Share of futures at or below it")
	addGrid(p)
	col := make([]float64, len(r.PWar))
	for s, st := range r.Strategies {
		for i, row := range r.PWar {
			col[i] = row[s]
		}
		slices.Sort(col)
		// At most 400 steps: enough for the eye, cheap to draw.
		step := max(1, len(col)/400)
		var xy plotter.XYs
		for i := 0; i < len(col); i += step {
			xy = append(xy, plotter.XY{X: col[i], Y: float64(i+1) / float64(len(col))})
		}
		xy = append(xy, plotter.XY{X: col[len(col)-1], Y: 1})
		l, err := plotter.NewLine(xy)
		if err != nil {
			return nil, err
		}
		l.StepStyle = plotter.PostStep
		l.LineStyle = draw.LineStyle{Color: SeriesColor(s), Width: standard.line, Dashes: SeriesDashes(s)}
		p.Add(l)
		p.Legend.Add(st.Name, l)
	}
	p.X.Tick.Marker = shareTicks
	p.Y.Tick.Marker = shareTicks
	p.Y.Min, p.Y.Max = 0, 1
	p.X.Min = 0
	p.Legend.Top, p.Legend.Left = false, false
	return p, nil
}

// ExploreRegret returns each strategy's regret across futures: its P(war)
// minus the best strategy's in the same future, the mean with its 95%
// interval (bar and whisker) and the maximum (dot).
func ExploreRegret(r *study.Report) (*plot.Plot, error) {
	if len(r.Robustness) == 0 {
		return nil, fmt.Errorf("plots: the report has no robustness table")
	}
	p := newPlot(standard, "Regret: P(war) above the best strategy in the same future",
		"Regret (share of runs) · bar: mean, whisker: its 95% interval, dot: the worst future", "")
	n := len(r.Robustness)
	names := make([]string, n)
	means := make(plotter.Values, n)
	xy := make(plotter.XYs, n)
	errs := make(plotter.XErrors, n)
	maxes := make(plotter.XYs, n)
	// Best-ranked at the top.
	for i, x := range r.Robustness {
		row := n - 1 - i
		names[row] = x.Strategy
		means[row] = x.RegretMean
		xy[row] = plotter.XY{X: x.RegretMean, Y: float64(row)}
		errs[row] = struct{ Low, High float64 }{x.RegretMean - x.RegretMeanCI[0], x.RegretMeanCI[1] - x.RegretMean}
		maxes[row] = plotter.XY{X: x.RegretMax, Y: float64(row)}
	}
	bars, err := plotter.NewBarChart(means, vg.Points(22))
	if err != nil {
		return nil, err
	}
	bars.Horizontal = true
	bars.Color = tint(SeriesColor(0), 0.6)
	bars.LineStyle.Width = 0
	eb, err := plotter.NewXErrorBars(struct {
		plotter.XYs
		plotter.XErrors
	}{xy, errs})
	if err != nil {
		return nil, err
	}
	eb.LineStyle.Width = vg.Points(1.5)
	sc, err := plotter.NewScatter(maxes)
	if err != nil {
		return nil, err
	}
	sc.GlyphStyle = draw.GlyphStyle{Color: ReddishPurple, Radius: vg.Points(4), Shape: draw.CircleGlyph{}}
	p.Add(bars, eb, sc)
	p.Legend.Add("mean regret", bars)
	p.Legend.Add("worst future", sc)
	p.NominalY(names...)
	p.X.Min = 0
	top := 0.0
	for _, m := range maxes {
		top = math.Max(top, m.X)
	}
	p.X.Max = math.Max(top*1.05, 0.01)
	p.X.Tick.Marker = shareTicks
	// The best strategy, at the top, has no regret to draw: room there.
	p.Legend.Top, p.Legend.Left = true, false
	return p, nil
}

// ExplorePRIMTradeoff returns PRIM's peeling trajectory: the coverage
// (share of the futures where the condition holds that fall in the box)
// against the density (share of the box's futures where it holds) of each
// box, the chosen one marked and labelled with the parameters it limits.
func ExplorePRIMTradeoff(r *study.Report) (*plot.Plot, error) {
	d := r.Discovery
	if d == nil || len(d.Trajectory) == 0 {
		return nil, fmt.Errorf("plots: the report has no PRIM trajectory")
	}
	p := newPlot(standard, "Scenario discovery: "+d.Condition, "Coverage (share of the futures where it holds, in the box)", "Density (share of the box where it holds)")
	addGrid(p)
	xy := make(plotter.XYs, len(d.Trajectory))
	for i, t := range d.Trajectory {
		xy[i] = plotter.XY{X: t.Coverage, Y: t.Density}
	}
	l, sc, err := plotter.NewLinePoints(xy)
	if err != nil {
		return nil, err
	}
	l.LineStyle = draw.LineStyle{Color: SeriesColor(0), Width: vg.Points(1.5)}
	sc.GlyphStyle = draw.GlyphStyle{Color: SeriesColor(0), Radius: vg.Points(2.5), Shape: draw.CircleGlyph{}}
	chosen, err := plotter.NewScatter(plotter.XYs{xy[d.Chosen]})
	if err != nil {
		return nil, err
	}
	chosen.GlyphStyle = draw.GlyphStyle{Color: ReddishPurple, Radius: vg.Points(6), Shape: draw.RingGlyph{}}
	lb, err := plotter.NewLabels(plotter.XYLabels{XYs: plotter.XYs{xy[d.Chosen]},
		Labels: []string{fmt.Sprintf("chosen box: %d parameters limited", d.Trajectory[d.Chosen].Dims)}})
	if err != nil {
		return nil, err
	}
	lb.TextStyle[0] = textStyle(sans, standard.note, color.Black)
	lb.TextStyle[0].XAlign, lb.TextStyle[0].YAlign = draw.XRight, draw.YTop
	lb.Offset = vg.Point{X: -vg.Points(8), Y: -vg.Points(6)}
	p.Add(l, sc, chosen, lb)
	p.Legend.Add("peeling trajectory", l, sc)
	p.Legend.Add("chosen box", chosen)
	p.Legend.Left, p.Legend.Top = true, false
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 1.02, 0, 1.02
	p.X.Tick.Marker, p.Y.Tick.Marker = shareTicks, shareTicks
	return p, nil
}

// ExplorePRIMBox returns the futures as a scatter over the two parameters
// the PRIM box limits most often under resampling (those of the box
// first), coloured by whether the condition holds, with the box's limits
// on those two drawn as a rectangle.
func ExplorePRIMBox(r *study.Report) (*plot.Plot, error) {
	d := r.Discovery
	if d == nil || len(d.Limits) == 0 || len(r.Cases) != len(r.X) {
		return nil, fmt.Errorf("plots: the report has no PRIM box")
	}
	k := len(d.Limits)
	order := make([]int, k)
	for j := range order {
		order[j] = j
	}
	restricted := func(j int) bool { return d.Limits[j].Min != nil || d.Limits[j].Max != nil }
	slices.SortStableFunc(order, func(a, b int) int {
		ra, rb := restricted(a), restricted(b)
		if ra != rb {
			if ra {
				return -1
			}
			return 1
		}
		sa, sb := 0.0, 0.0
		if len(d.RestrictedShare) == k {
			sa, sb = d.RestrictedShare[a], d.RestrictedShare[b]
		}
		switch {
		case sa > sb:
			return -1
		case sa < sb:
			return 1
		}
		return 0
	})
	jx, jy := order[0], order[0]
	if k > 1 {
		jy = order[1]
	}
	p := newPlot(standard, "Where "+d.Condition+": the PRIM box", d.Limits[jx].Path, d.Limits[jy].Path)
	var in, out plotter.XYs
	step := max(1, len(r.X)/4000) // at most about 4,000 dots
	for i := 0; i < len(r.X); i += step {
		pt := plotter.XY{X: r.X[i][jx], Y: r.X[i][jy]}
		if r.Cases[i] {
			in = append(in, pt)
		} else {
			out = append(out, pt)
		}
	}
	minX, maxX, minY, maxY := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, row := range r.X {
		minX, maxX = math.Min(minX, row[jx]), math.Max(maxX, row[jx])
		minY, maxY = math.Min(minY, row[jy]), math.Max(maxY, row[jy])
	}
	for _, set := range []struct {
		xy    plotter.XYs
		c     color.Color
		label string
	}{{out, tint(seriesGrey, 0.7), "condition does not hold"}, {in, ReddishPurple, "condition holds"}} {
		if len(set.xy) == 0 {
			continue
		}
		sc, err := plotter.NewScatter(set.xy)
		if err != nil {
			return nil, err
		}
		sc.GlyphStyle = draw.GlyphStyle{Color: set.c, Radius: vg.Points(1.8), Shape: draw.CircleGlyph{}}
		p.Add(sc)
		p.Legend.Add(set.label, sc)
	}
	lim := func(l study.Limit, lo, hi float64) (float64, float64) {
		a, b := lo, hi
		if l.Min != nil {
			a = *l.Min
		}
		if l.Max != nil {
			b = *l.Max
		}
		return a, b
	}
	x0, x1 := lim(d.Limits[jx], minX, maxX)
	y0, y1 := lim(d.Limits[jy], minY, maxY)
	box, err := plotter.NewLine(plotter.XYs{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}, {X: x0, Y: y0}})
	if err != nil {
		return nil, err
	}
	box.LineStyle = draw.LineStyle{Color: color.Black, Width: vg.Points(2.5)}
	p.Add(box)
	p.Legend.Add(fmt.Sprintf("box: density %.0f%%, coverage %.0f%%", 100*d.Density, 100*d.Coverage), box)
	padX, padY := (maxX-minX)*0.03, (maxY-minY)*0.03
	p.X.Min, p.X.Max = minX-padX, maxX+padX
	p.Y.Min, p.Y.Max = minY-padY, maxY+padY+(maxY-minY)*0.25 // room for the legend
	p.Legend.Top = true
	return p, nil
}

// WriteExplore writes the charts of a study into dir: sobol-* (sobol
// design) or morris-* (morris design) for P(war) of each strategy and each
// paired difference, futures, regret, and prim-tradeoff and prim-box with
// --find. It returns the files written.
func WriteExplore(dir string, r *study.Report, opt Options) ([]string, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return nil, err
	}
	cw, err := newChartWriter(dir, opt)
	if err != nil {
		return nil, err
	}
	for _, s := range r.Sensitivity {
		if s.Output != "p_war" {
			continue
		}
		name := "p_war-" + strings.ReplaceAll(s.Strategy, " - ", "-vs-")
		switch r.Design {
		case "sobol":
			if s.Variance == 0 {
				continue // nothing varies: no indices to draw
			}
			p, err := ExploreSobol(r, s.Output, s.Strategy)
			if err := cw.chart("sobol-"+name, p, err); err != nil {
				return cw.finish(err)
			}
		case "morris":
			p, err := ExploreMorris(r, s.Output, s.Strategy)
			if err := cw.chart("morris-"+name, p, err); err != nil {
				return cw.finish(err)
			}
		}
	}
	p, err := ExploreFutures(r)
	if err := cw.chart("futures", p, err); err != nil {
		return cw.finish(err)
	}
	p, err = ExploreRegret(r)
	if err := cw.chart("regret", p, err); err != nil {
		return cw.finish(err)
	}
	if r.Discovery != nil && len(r.Discovery.Trajectory) > 0 {
		p, err = ExplorePRIMTradeoff(r)
		if err := cw.chart("prim-tradeoff", p, err); err != nil {
			return cw.finish(err)
		}
		p, err = ExplorePRIMBox(r)
		if err := cw.chart("prim-box", p, err); err != nil {
			return cw.finish(err)
		}
	}
	return cw.finish(nil)
}
