package plots

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/escalate-sim/escalate/internal/numfmt"
	"github.com/escalate-sim/escalate/sim"
)

// This file draws the charts of a comparison of strategies run with common
// random numbers, a [sim.ComparisonSummary]: strategy i has the colour
// SeriesColor(i) in each of them, and the first strategy is the baseline.

// baselineStyle is the dashed line at the baseline's P(war).
var baselineStyle = draw.LineStyle{Color: grey, Width: vg.Points(1.2), Dashes: []vg.Length{vg.Points(6), vg.Points(4)}}

// checkComparison returns an error if cs cannot be drawn at all.
func checkComparison(cs *sim.ComparisonSummary) error {
	switch {
	case cs == nil:
		return errors.New("plots: nil comparison")
	case cs.Runs <= 0:
		return ErrNoRuns
	case len(cs.Strategies) == 0:
		return errors.New("plots: the comparison has no strategies")
	case cs.HorizonMonths < 0:
		return fmt.Errorf("plots: negative horizon (%d months)", cs.HorizonMonths)
	}
	for i := range cs.Strategies {
		st := &cs.Strategies[i]
		if err := checkFinite("P(war) of "+strategyName(cs, i), st.PWar, st.PWarCI95[0], st.PWarCI95[1]); err != nil {
			return err
		}
	}
	return nil
}

// strategyName returns the display name of strategy i, or its id if it
// has none.
func strategyName(cs *sim.ComparisonSummary, i int) string {
	st := &cs.Strategies[i]
	switch {
	case st.Name != "":
		return st.Name
	case st.ID != "":
		return st.ID
	}
	return "Strategy " + strconv.Itoa(i+1)
}

// variedKey returns the key path that a comparison of --vary varies, if
// its strategies' ids are "PATH=VALUE" with one PATH: their names ("staff
// 20") do not say whose staff, and the charts' titles say it instead of
// "by strategy".
func variedKey(cs *sim.ComparisonSummary) (string, bool) {
	if len(cs.Strategies) < 2 {
		return "", false
	}
	var key string
	for i, st := range cs.Strategies {
		path, _, ok := strings.Cut(st.ID, "=")
		if !ok || path == "" || i > 0 && path != key {
			return "", false
		}
		key = path
	}
	return key, true
}

// byWhat completes a title that says what the strategies differ in:
// "by strategy", or "by intervention.monitors.staff" for a comparison
// of one key's values.
func byWhat(cs *sim.ComparisonSummary) string {
	if key, ok := variedKey(cs); ok {
		return "by " + key
	}
	return "by strategy"
}

// fitTitle breaks p's title before its last ", " part where it is wider
// than w.
func fitTitle(p *plot.Plot, w vg.Length) {
	sty := p.Title.TextStyle
	if sty.Width(p.Title.Text) <= w {
		return
	}
	if i := strings.LastIndex(p.Title.Text, ", "); i > 0 {
		p.Title.Text = p.Title.Text[:i+1] + "\n" + p.Title.Text[i+2:]
	}
}

// warWithin describes the headline outcome of a comparison: "War within
// 36 months", or "War in any country within 60 months".
func warWithin(cs *sim.ComparisonSummary) string {
	return "War" + inWhere(cs) + " within " + months(cs.HorizonMonths)
}

// inWhere names the headline of a comparison of several countries, " in
// any country" or " in Kyrgyzstan"; for a single country it is empty.
func inWhere(cs *sim.ComparisonSummary) string {
	if len(cs.Countries) <= 1 {
		return ""
	}
	name := cs.Headline.Name
	if name == "" {
		// A comparison saved before headlines could be chosen.
		name = sim.AnyCountry
	}
	return " in " + name
}

// pwarTop returns the top of a probability axis for values up to hi: 100%
// for high values, else the nice value above hi with room for labels, so
// that differences between low probabilities show. Axes start at 0.
func pwarTop(hi float64) float64 {
	need := hi*1.15 + 0.02
	step := 0.1
	switch {
	case need > 0.7 || math.IsNaN(need):
		return 1
	case need <= 0.1:
		step = 0.02
	case need <= 0.3:
		step = 0.05
	}
	return math.Max(0.05, math.Round(math.Ceil(need/step-1e-9)*step*1e6)/1e6)
}

// fmtPoints formats a difference of shares in percentage points as the
// command line's tables do (numfmt.Points), with a typographic minus:
// "+1.5", "−28.3", "0.0".
func fmtPoints(d float64) string { return numfmt.Typographic(numfmt.Points(d)) }

// diffLabel returns the two lines labelling a strategy's paired difference
// from the baseline: "−28.3 pts" and "[−29.2, −27.4]".
func diffLabel(ps *sim.PairedSummary) (diff, interval string) {
	return fmtPoints(ps.PWarDiff) + " pts", "[" + fmtPoints(ps.PWarDiffCI95[0]) + ", " + fmtPoints(ps.PWarDiffCI95[1]) + "]"
}

// ComparePWar returns a chart of the probability of war under each
// strategy of a comparison: a dot per strategy with its 95% interval,
// the baseline (the first strategy) drawn hollow with a dashed line
// across the chart at its level. Each other strategy is labelled with its
// difference from the baseline in percentage points and the 95% interval
// of that difference, paired over the same runs: the honest measure, as
// common random numbers make the difference far more precise than the
// overlap of the strategies' own intervals suggests.
//
// Strategies stand side by side, named under the axis, with their labels
// above the whiskers; when their names or labels do not fit side by side
// (many strategies, long names), they are drawn in rows instead, named
// left of the axis, with their labels in a column on the right. The
// layout is chosen for a chart of DefaultWidth; WriteCompare chooses it
// for the width of its options.
func ComparePWar(cs *sim.ComparisonSummary) (*plot.Plot, error) {
	return comparePWar(cs, standard, DefaultWidth)
}

// dataWidthOf returns the usual width of the data area of a chart width
// wide without side legend.
func dataWidthOf(width vg.Length) vg.Length {
	return max(width-1.2*vg.Inch, width/3)
}

// comparePWar returns the chart laid out for an image width wide: with a
// column a strategy when the names and labels fit side by side, else with
// a row a strategy.
func comparePWar(cs *sim.ComparisonSummary, th theme, width vg.Length) (*plot.Plot, error) {
	if err := checkComparison(cs); err != nil {
		return nil, err
	}
	n := len(cs.Strategies)
	for i := 1; i < n; i++ {
		ps := &cs.Strategies[i].VsBaseline
		if err := checkFinite("difference in P(war) of "+strategyName(cs, i), ps.PWarDiff, ps.PWarDiffCI95[0], ps.PWarDiffCI95[1]); err != nil {
			return nil, err
		}
	}
	title := warWithin(cs)
	_, varied := variedKey(cs)
	switch {
	case varied:
		// The notes under the chart say that runs are paired.
		title += ", " + byWhat(cs)
	case n > 1 && len(cs.Countries) > 1:
		title += " (paired runs)"
	case n > 1:
		title += ", by strategy (paired runs)"
	}
	// The labels: the baseline's P(war), the others' differences.
	texts := make([][2]string, n)
	texts[0] = [2]string{percent(cs.Strategies[0].PWar), "baseline"}
	for i := 1; i < n; i++ {
		d, iv := diffLabel(&cs.Strategies[i].VsBaseline)
		texts[i] = [2]string{d, iv}
	}
	p := newPlot(th, title, "", "")
	fitTitle(p, width-2*margin)
	hi := 0.0
	for i := range cs.Strategies {
		hi = math.Max(hi, math.Max(cs.Strategies[i].PWar, cs.Strategies[i].PWarCI95[1]))
	}
	pc := pwarChart{cs: cs, th: th, p: p, texts: texts, top: pwarTop(hi), width: width}
	ok, err := pc.columns()
	if err == nil && !ok {
		err = pc.rows()
	}
	if err != nil {
		return nil, err
	}
	return p, nil
}

// pwarChart lays out the chart of ComparePWar.
type pwarChart struct {
	cs    *sim.ComparisonSummary
	th    theme
	p     *plot.Plot
	texts [][2]string // label of each strategy, in two parts
	top   float64     // of the probability axis
	width vg.Length   // of the image
}

// marks adds the strategies' whiskers and dots at pos(i, P(war)), with
// horizontal whiskers if across.
func (pc *pwarChart) marks(pos func(i int, v float64) (x, y float64), across bool) error {
	n := len(pc.cs.Strategies)
	th := pc.th
	var dotsOf []dots
	for i := range pc.cs.Strategies {
		st := &pc.cs.Strategies[i]
		x, y := pos(i, st.PWar)
		e := errPoints{{x: x, y: y, low: math.Max(0, st.PWar-st.PWarCI95[0]), high: math.Max(0, st.PWarCI95[1]-st.PWar)}}
		sty := draw.LineStyle{Color: SeriesColor(i), Width: th.line * 0.8}
		if across {
			eb, err := plotter.NewXErrorBars(xErrPoints(e))
			if err != nil {
				return fmt.Errorf("plots: comparison: %w", err)
			}
			eb.LineStyle, eb.CapWidth = sty, th.tick*0.8
			pc.p.Add(eb)
		} else {
			eb, err := plotter.NewYErrorBars(e)
			if err != nil {
				return fmt.Errorf("plots: comparison: %w", err)
			}
			eb.LineStyle, eb.CapWidth = sty, th.tick*0.8
			pc.p.Add(relErrBars{YErrorBars: eb, frac: 0.4})
		}
		d := dots{xys: plotter.XYs{{X: x, Y: y}}, r: th.line * 1.5, color: SeriesColor(i)}
		if i == 0 && n > 1 {
			// The baseline is hollow.
			d.color, d.ring = white, SeriesColor(0)
		}
		dotsOf = append(dotsOf, d)
	}
	for _, d := range dotsOf {
		pc.p.Add(d)
	}
	return nil
}

// columns lays the chart out with a column a strategy, the names under the
// axis and the labels above the whiskers, if they fit; it reports whether
// they do.
func (pc *pwarChart) columns() (bool, error) {
	cs, th, p := pc.cs, pc.th, pc.p
	n := len(cs.Strategies)
	colW := dataWidthOf(pc.width) / vg.Length(n)

	// Labels on two lines, in a smaller font if need be.
	bold := textStyle(sansBold, th.note, Black)
	light := textStyle(sans, th.note*0.95, grey)
	widest := func() vg.Length {
		var w vg.Length
		for _, t := range pc.texts {
			w = max(w, bold.Width(t[0]), light.Width(t[1]))
		}
		return w
	}
	for widest() > 0.9*colW && bold.Font.Size > 9.5 {
		bold.Font.Size *= 0.95
		light.Font.Size *= 0.95
	}
	if widest() > 0.9*colW {
		return false, nil
	}
	// Names wrapped to their column, on at most three lines.
	names := make([]string, n)
	for i := range cs.Strategies {
		lines := wrap(p.X.Tick.Label, strategyName(cs, i), 0.92*colW, 0)
		if len(lines) > 3 {
			return false, nil
		}
		for _, l := range lines {
			if p.X.Tick.Label.Width(l) > 0.97*colW {
				return false, nil
			}
		}
		names[i] = strings.Join(lines, "\n")
	}
	if n > 1 {
		names[0] += "\n(baseline)"
	}
	// As many lines each, so that the first lines align.
	most := 0
	for _, nm := range names {
		most = max(most, strings.Count(nm, "\n"))
	}
	for i := range names {
		names[i] += strings.Repeat("\n ", most-strings.Count(names[i], "\n"))
	}

	p.Y.Label.Text = "Probability of war (share of runs)"
	p.Y.Tick.Marker = shareTicks
	addGrid(p)
	if n > 1 {
		p.Add(hline{y: cs.Strategies[0].PWar, style: baselineStyle})
	}
	if err := pc.marks(func(i int, v float64) (float64, float64) { return float64(i), v }, false); err != nil {
		return false, err
	}

	gap := th.note*0.5 + th.line*0.75
	var labels marks
	for i := range cs.Strategies {
		st := &cs.Strategies[i]
		y := math.Max(st.PWar, st.PWarCI95[1])
		l := light
		l.XAlign, l.YAlign = draw.XCenter, draw.YBottom
		b := bold
		b.XAlign, b.YAlign = draw.XCenter, draw.YBottom
		if n == 1 {
			// Just the value.
			labels = append(labels, mark{x: float64(i), y: y, dy: gap, text: pc.texts[0][0], style: b})
			continue
		}
		labels = append(labels,
			mark{x: float64(i), y: y, dy: gap, text: pc.texts[i][1], style: l, bg: white},
			mark{x: float64(i), y: y, dy: gap + l.Height(pc.texts[i][1])*0.95, text: pc.texts[i][0], style: b, bg: white})
	}
	p.Add(labels)

	p.NominalX(names...)
	p.X.Min, p.X.Max = -0.5, float64(n)-0.5
	p.Y.Min, p.Y.Max = 0, pc.top
	p.X.Width = vg.Points(0.75)
	p.X.Padding = 0
	p.Y.Padding = vg.Points(4)

	// What the marks mean, under the names.
	p.X.Label.TextStyle.Font.Size = th.note
	p.X.Label.TextStyle.Color = grey
	p.X.Label.Padding = th.note * 0.8
	base := strategyName(cs, 0)
	if n > 1 {
		p.X.Label.Text = fmt.Sprintf("Dots: share of %s at war, with 95%% interval · dashed line: %s\n"+
			"Labels: change from %s in the same runs (percentage points), with its paired 95%% interval",
			RunCount(cs.Runs), base, base)
	} else {
		p.X.Label.Text = fmt.Sprintf("Dot: share of %s at war, with 95%% interval", RunCount(cs.Runs))
	}
	if note := sameOutcomeNote(cs); note != "" {
		addXNote(p, note, dataWidthOf(pc.width))
	}
	for _, l := range strings.Split(p.X.Label.Text, "\n") {
		fit(&p.X.Label.TextStyle, l, dataWidthOf(pc.width))
	}
	return true, nil
}

// addXNote adds a note under p's x-axis label, at most w wide: the label
// (one style for both) shrinks to 70% at most, and the note breaks into
// lines beyond that, so that the axis name stays readable.
func addXNote(p *plot.Plot, note string, w vg.Length) {
	sty := &p.X.Label.TextStyle
	floor := sty.Font.Size * 0.7
	for sty.Width(note) > w && sty.Font.Size > floor {
		sty.Font.Size *= 0.95
	}
	p.X.Label.Text += "\n" + strings.Join(wrap(*sty, note, w, 0), "\n")
}

// sameOutcomeNote is a line for charts of a comparison whose strategies all
// have P(war) 0% or all 100%, which P(war) cannot tell apart; else "".
func sameOutcomeNote(cs *sim.ComparisonSummary) string {
	p, same := cs.SamePWar()
	if !same {
		return ""
	}
	note := "P(war) is " + percent(p) + " under every strategy: compare months at war"
	if len(cs.Countries) > 1 && cs.Headline.Country == "" {
		note += ", or one country (--country ID)"
	}
	return note
}

// rows lays the chart out with a row a strategy, from the top, the names
// left of the axis and the labels in a column right of the data area.
func (pc *pwarChart) rows() error {
	cs, th, p := pc.cs, pc.th, pc.p
	n := len(cs.Strategies)
	row := func(i int) float64 { return float64(n - 1 - i) }
	// Text at most as high as a row.
	rowH := (DefaultHeight - 1.7*vg.Inch) / vg.Length(n)
	size := func(s vg.Length) vg.Length { return max(min(s, rowH*0.8), 5) }

	p.X.Label.Text = fmt.Sprintf("Probability of war (share of %s, 95%% interval)", RunCount(cs.Runs))
	fit(&p.X.Label.TextStyle, p.X.Label.Text, dataWidthOf(pc.width)*0.75)
	if note := sameOutcomeNote(cs); note != "" {
		addXNote(p, note, dataWidthOf(pc.width)*0.95)
	}
	p.X.Tick.Marker = shareTicks
	g := plotter.NewGrid()
	g.Horizontal.Width = 0
	g.Vertical.Color = lightGrey
	g.Vertical.Width = vg.Points(0.75)
	p.Add(g)
	if n > 1 {
		p.Add(vline{x: cs.Strategies[0].PWar, style: baselineStyle})
	}
	if err := pc.marks(func(i int, v float64) (float64, float64) { return v, row(i) }, true); err != nil {
		return err
	}

	// Names left of the axis, on one line, shortened if very long.
	p.Y.Tick.Label.Font.Size = size(th.tick)
	var ticks []plot.Tick
	for i := range cs.Strategies {
		name := strategyName(cs, i)
		if r := []rune(name); len(r) > 40 {
			name = strings.TrimSpace(string(r[:39])) + "…"
		}
		if i == 0 && n > 1 {
			name += " (baseline)"
		}
		ticks = append(ticks, plot.Tick{Value: row(i), Label: name})
	}
	p.Y.Tick.Marker = plot.ConstantTicks(ticks)
	p.Y.Tick.Length = 0

	// Labels in a column right of the data area, under a heading.
	col := &rowLabels{
		bold:  textStyle(sansBold, size(th.note), Black),
		light: textStyle(sans, size(th.note), grey),
		head:  textStyle(sans, th.note*0.92, grey),
		gap:   th.note,
	}
	if n > 1 {
		col.heading = "Change from " + wrapName(strategyName(cs, 0)) + ",\npaired 95% interval"
	}
	for i := range cs.Strategies {
		txt := pc.texts[i]
		if n == 1 {
			txt[1] = ""
		}
		col.rows = append(col.rows, row(i))
		col.texts = append(col.texts, txt)
	}
	p.Add(col)
	p.Y.Min, p.Y.Max = -0.5, float64(n)-0.5
	p.X.Min, p.X.Max = 0, pc.top
	p.Y.Padding = 0
	return nil
}

// xErrPoints are values with their distances to the ends of their
// interval along x.
type xErrPoints errPoints

func (e xErrPoints) Len() int                        { return len(e) }
func (e xErrPoints) XY(i int) (float64, float64)     { return e[i].x, e[i].y }
func (e xErrPoints) XError(i int) (float64, float64) { return e[i].low, e[i].high }

// vline is a vertical line across the data area at a data x.
type vline struct {
	x     float64
	style draw.LineStyle
}

func (v vline) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	x := trX(v.x)
	if x < c.Min.X-0.01 || x > c.Max.X+0.01 {
		return
	}
	c.StrokeLine2(v.style, x, c.Min.Y, x, c.Max.Y)
}

// rowLabels writes a label right of the data area at each of the given
// data ys, in two parts, bold then light, under a heading.
type rowLabels struct {
	rows              []float64
	texts             [][2]string
	heading           string
	bold, light, head text.Style
	gap               vg.Length
}

// space is the room between the two parts of a label.
func (rl *rowLabels) space() vg.Length { return rl.light.Font.Size * 0.5 }

func (rl *rowLabels) Plot(c draw.Canvas, p *plot.Plot) {
	_, trY := p.Transforms(&c)
	x := c.Max.X + rl.gap
	b, l := rl.bold, rl.light
	b.XAlign, b.YAlign = draw.XLeft, draw.YCenter
	l.XAlign, l.YAlign = draw.XLeft, draw.YCenter
	for i, y := range rl.rows {
		c.FillText(b, vg.Point{X: x, Y: trY(y)}, rl.texts[i][0])
		if rl.texts[i][1] != "" {
			c.FillText(l, vg.Point{X: x + b.Width(rl.texts[i][0]) + rl.space(), Y: trY(y)}, rl.texts[i][1])
		}
	}
	if rl.heading != "" {
		h := rl.head
		h.XAlign, h.YAlign = draw.XLeft, draw.YBottom
		c.FillText(h, vg.Point{X: x, Y: c.Max.Y + rl.gap*0.3}, rl.heading)
	}
}

// GlyphBoxes reserves the column's width right of the data area and the
// heading's height above it.
func (rl *rowLabels) GlyphBoxes(*plot.Plot) []plot.GlyphBox {
	var w vg.Length
	for _, t := range rl.texts {
		w = max(w, rl.bold.Width(t[0])+rl.space()+rl.light.Width(t[1]))
	}
	var h vg.Length
	if rl.heading != "" {
		w = max(w, rl.head.Width(rl.heading))
		h = rl.head.Height(rl.heading) + rl.gap*0.3
	}
	return []plot.GlyphBox{{X: 1, Y: 1, Rectangle: vg.Rectangle{Min: vg.Point{X: rl.gap}, Max: vg.Point{X: rl.gap + w, Y: h}}}}
}

// CompareSurvival returns the time-to-war curves of every strategy of a
// comparison on one chart (see TimeToWar), the baseline's named so in the
// legend.
func CompareSurvival(cs *sim.ComparisonSummary) (*plot.Plot, error) {
	if err := checkComparison(cs); err != nil {
		return nil, err
	}
	n := len(cs.Strategies)
	series := make([]Survival, n)
	for i := range cs.Strategies {
		st := &cs.Strategies[i]
		label := strategyName(cs, i)
		if i == 0 && n > 1 {
			label += " (baseline)"
		}
		if len(label) > 18 && n <= 6 {
			// Narrower legend, wider curves.
			label = wrapName(label)
		}
		series[i] = Survival{Label: label, Survival: st.TimeToWar.Survival, MedianMonths: st.TimeToWar.MedianMonths}
	}
	title := "Time to first war" + inWhere(cs) + ", " + byWhat(cs)
	if n == 1 {
		// A single curve has no legend: the title names it.
		title = strategyName(cs, 0) + ": time to first war"
	}
	p, err := TimeToWar(title, cs.HorizonMonths, series)
	if err != nil {
		return nil, err
	}
	fitTitle(p, DefaultWidth-2*margin)
	if note := sameOutcomeNote(cs); note != "" {
		// The curves lie on top of each other. The strategies' legend
		// takes about a third of the width beside the data.
		addXNote(p, note, dataWidthOf(DefaultWidth)*0.65)
	}
	return p, nil
}
