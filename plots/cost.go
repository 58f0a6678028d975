package plots

import (
	"cmp"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/escalate-sim/escalate/internal/numfmt"
	"github.com/escalate-sim/escalate/sim"
)

// CostVsWar returns a scatter chart of the strategies of a comparison: the
// mean cost per run in US dollars (x) against the probability of war (y),
// with its 95% interval. Each point is labelled with the strategy's name
// and the extra cost per war averted compared with the baseline (the first
// strategy), which is drawn hollow, with a dashed line at its level. The labels are placed
// where they cover no point, whisker or other label, with a leader line
// when they have to stand away from their point. It returns an error if a
// cost is not a finite number.
func CostVsWar(cs *sim.ComparisonSummary) (*plot.Plot, error) {
	p, _, err := costVsWar(cs, standard, DefaultWidth)
	return p, err
}

// costVsWar returns the chart, laid out for an image width wide, and its
// labels.
func costVsWar(cs *sim.ComparisonSummary, th theme, width vg.Length) (*plot.Plot, *scatterLabels, error) {
	if err := checkComparison(cs); err != nil {
		return nil, nil, err
	}
	n := len(cs.Strategies)
	lo, hi, top := 0.0, 0.0, 0.0
	for i := range cs.Strategies {
		st := &cs.Strategies[i]
		if err := checkFinite("mean cost of "+strategyName(cs, i), st.CostMean); err != nil {
			return nil, nil, err
		}
		lo, hi = math.Min(lo, st.CostMean), math.Max(hi, st.CostMean)
		top = math.Max(top, math.Max(st.PWar, st.PWarCI95[1]))
	}
	if hi-lo < 1000 {
		// No costs to speak of: a scale of a thousand dollars.
		hi = lo + 1000
	}

	title := warWithin(cs) + " and cost, " + byWhat(cs)
	if len(cs.Countries) > 1 {
		title = "War" + inWhere(cs) + " and cost, " + byWhat(cs)
	}
	p := newPlot(th, title, "Mean cost per run (US dollars) · whiskers: 95% interval of P(war)", "Probability of war (share of runs)")
	fitTitle(p, width-2*margin)
	fit(&p.X.Label.TextStyle, p.X.Label.Text, dataWidthOf(width))
	if note := sameOutcomeNote(cs); note != "" {
		addXNote(p, note, dataWidthOf(width))
	}
	p.X.Tick.Marker = dollarTicks
	p.Y.Tick.Marker = shareTicks
	addGrid(p)
	base := &cs.Strategies[0]
	r := th.line * 1.5
	sl := &scatterLabels{
		name:   textStyle(sans, th.legend, Black),
		detail: textStyle(sans, th.note*0.92, grey),
		gap:    r*1.45 + th.note*0.5,
		radius: r * 1.45,
		leader: draw.LineStyle{Color: grey, Width: vg.Points(0.75)},
	}
	if n > 1 {
		p.Add(hline{y: base.PWar, style: baselineStyle})
		sl.baseline = &base.PWar
	}
	var dotsOf []dots
	for i := range cs.Strategies {
		st := &cs.Strategies[i]
		eb, err := plotter.NewYErrorBars(errPoints{{
			x: st.CostMean, y: st.PWar,
			low: math.Max(0, st.PWar-st.PWarCI95[0]), high: math.Max(0, st.PWarCI95[1]-st.PWar),
		}})
		if err != nil {
			return nil, nil, fmt.Errorf("plots: cost and war: %w", err)
		}
		eb.LineStyle = draw.LineStyle{Color: SeriesColor(i), Width: th.line * 0.8}
		eb.CapWidth = th.tick * 0.8
		p.Add(eb)
		d := dots{xys: plotter.XYs{{X: st.CostMean, Y: st.PWar}}, r: r, color: SeriesColor(i)}
		detail := ""
		switch {
		case n == 1:
		case i == 0:
			d.color, d.ring = white, SeriesColor(0)
			detail = "baseline"
		case st.VsBaseline.Dominant:
			detail = "fewer wars, no extra cost"
		case st.VsBaseline.CostPerWarAverted == nil || math.IsNaN(*st.VsBaseline.CostPerWarAverted) || math.IsInf(*st.VsBaseline.CostPerWarAverted, 0):
			detail = "no war averted"
			if st.VsBaseline.PWarDiff < 0 {
				detail = "no clear fall in war"
			}
		case *st.VsBaseline.CostPerWarAverted < 0:
			// A comparison saved before Dominant existed.
			detail = "fewer wars, no extra cost"
		default:
			detail = shortMoney(*st.VsBaseline.CostPerWarAverted) + " per war averted"
		}
		dotsOf = append(dotsOf, d)
		sl.points = append(sl.points, scatterPoint{
			x: st.CostMean, y: st.PWar, lo: st.PWarCI95[0], hi: st.PWarCI95[1],
			name: strategyName(cs, i), detail: detail, color: textColor(SeriesColor(i)),
		})
	}
	for _, d := range dotsOf {
		p.Add(d)
	}
	p.Add(sl)

	// Room around the points for their labels.
	span := hi - lo
	p.X.Min, p.X.Max = lo-0.1*span, hi+0.12*span
	p.Y.Min, p.Y.Max = 0, pwarTop(top)
	return p, sl, nil
}

// dollarTicks labels amounts in US dollars in one unit for the whole
// axis: "$0", "$500k", "$5M", "$1.5bn", or in dollars up to a few
// thousand: "$1,000".
var dollarTicks = plot.TickerFunc(func(min, max float64) []plot.Tick {
	unit, suffix := moneyUnit(math.Max(math.Abs(min), math.Abs(max)))
	if unit == 1e3 && (max-min)/6 < 1e3 {
		// "$200", "$1,000" rather than "$0.2k", "$1k".
		unit, suffix = 1, ""
	}
	return niceTicks(min, max, func(v float64, d int) string {
		s := "$" + trimZeros(strconv.FormatFloat(math.Abs(v)/unit, 'f', d, 64))
		if unit == 1 && d == 0 {
			s = "$" + thousands(int64(math.Abs(v)+0.5))
		}
		switch {
		case v == 0:
			return "$0"
		case v < 0:
			return "−" + s + suffix
		}
		return s + suffix
	}, 1/unit)
})

// moneyUnit returns the unit in which to write amounts up to a: a
// thousand ("k"), a million ("M") or a billion ("bn") dollars.
func moneyUnit(a float64) (unit float64, suffix string) {
	switch {
	case a >= 1e9:
		return 1e9, "bn"
	case a >= 1e6:
		return 1e6, "M"
	case a >= 1e3:
		return 1e3, "k"
	}
	return 1, ""
}

// shortMoney formats an amount of US dollars briefly, as the command
// line's tables do (numfmt.Money): "$950", "$12k", "$12.8M", "$1.25bn".
func shortMoney(x float64) string { return numfmt.Typographic(numfmt.Money(x)) }

// scatterPoint is a point of a scatter chart with a vertical interval and
// a label of one or two lines.
type scatterPoint struct {
	x, y, lo, hi float64
	name, detail string
	color        color.Color // of the name; nil for the style's
}

// textColor returns a colour for text naming a series of colour c: c
// darkened until it contrasts with white.
func textColor(c color.Color) color.Color {
	for f := 0.85; ; f -= 0.1 {
		d := darker(c, f)
		if luminance(d) < 0.2 || f < 0.3 {
			return d
		}
	}
}

// scatterLabels labels the points of a scatter chart where the labels
// cover neither the points and their whiskers nor each other.
type scatterLabels struct {
	points       []scatterPoint
	baseline     *float64 // y of a line across the chart that labels avoid
	name, detail text.Style
	gap          vg.Length // between a point's centre and its label
	radius       vg.Length // of the dots, with their ring
	leader       draw.LineStyle
}

// label is a placed label: its box, and how its lines are aligned.
type label struct {
	box    vg.Rectangle
	align  draw.XAlignment
	leader bool // drawn away from its point, with a leader line
}

// size returns the size of the label of pt.
func (sl *scatterLabels) size(pt scatterPoint) vg.Point {
	w := sl.name.Width(pt.name)
	h := sl.name.Height(pt.name)
	if pt.detail != "" {
		w = max(w, sl.detail.Width(pt.detail))
		h += sl.detail.Height(pt.detail)
	}
	return vg.Point{X: w, Y: h}
}

// layout places the labels in the data area c.
func (sl *scatterLabels) layout(c draw.Canvas, p *plot.Plot) []label {
	trX, trY := p.Transforms(&c)
	anchors := make([]vg.Point, len(sl.points))
	sizes := make([]vg.Point, len(sl.points))
	var obstacles []vg.Rectangle
	whisker := sl.radius * 0.4
	for i, pt := range sl.points {
		a := vg.Point{X: trX(pt.x), Y: trY(pt.y)}
		anchors[i] = a
		sizes[i] = sl.size(pt)
		obstacles = append(obstacles,
			vg.Rectangle{Min: vg.Point{X: a.X - sl.radius, Y: a.Y - sl.radius}, Max: vg.Point{X: a.X + sl.radius, Y: a.Y + sl.radius}},
			vg.Rectangle{Min: vg.Point{X: a.X - whisker, Y: trY(pt.lo)}, Max: vg.Point{X: a.X + whisker, Y: trY(pt.hi)}})
	}
	if sl.baseline != nil {
		y := trY(*sl.baseline)
		obstacles = append(obstacles, vg.Rectangle{Min: vg.Point{X: c.Min.X, Y: y - 1}, Max: vg.Point{X: c.Max.X, Y: y + 1}})
	}
	return placeLabels(c.Rectangle, anchors, sizes, sl.gap, obstacles)
}

func (sl *scatterLabels) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	labels := sl.layout(c, p)
	// Leader lines first: where one has to pass behind a label, the label
	// stays readable over a white ground.
	var ground color.Color
	for i, l := range labels {
		if !l.leader {
			continue
		}
		ground = withAlpha(white, 0.85)
		pt := sl.points[i]
		a := vg.Point{X: trX(pt.x), Y: trY(pt.y)}
		b := nearestOn(l.box, a)
		if d := b.Sub(a); math.Hypot(float64(d.X), float64(d.Y)) > float64(sl.radius) {
			// From the dot's edge to the label.
			f := float64(sl.radius) / math.Hypot(float64(d.X), float64(d.Y))
			from := vg.Point{X: a.X + d.X*vg.Length(f), Y: a.Y + d.Y*vg.Length(f)}
			c.StrokeLine2(sl.leader, from.X, from.Y, b.X, b.Y)
		}
	}
	// The lines of the labels: grounds first, then the text, so that no
	// ground covers a letter.
	type textLine struct {
		sty  text.Style
		at   vg.Point
		text string
	}
	var lines []textLine
	for i, l := range labels {
		pt := sl.points[i]
		x := l.box.Min.X
		switch l.align {
		case draw.XCenter:
			x = (l.box.Min.X + l.box.Max.X) / 2
		case draw.XRight:
			x = l.box.Max.X
		}
		name := sl.name
		if pt.color != nil {
			name.Color = pt.color
		}
		name.XAlign, name.YAlign = l.align, draw.YTop
		lines = append(lines, textLine{name, vg.Point{X: x, Y: l.box.Max.Y}, pt.name})
		if pt.detail != "" {
			detail := sl.detail
			detail.XAlign, detail.YAlign = l.align, draw.YTop
			lines = append(lines, textLine{detail, vg.Point{X: x, Y: l.box.Max.Y - sl.name.Height(pt.name)}, pt.detail})
		}
	}
	if ground != nil {
		for _, l := range lines {
			w, h := l.sty.Width(l.text), l.sty.Height(l.text)
			x0 := l.at.X + vg.Length(l.sty.XAlign)*w
			fillRect(c, ground, vg.Rectangle{Min: vg.Point{X: x0, Y: l.at.Y - h}, Max: vg.Point{X: x0 + w, Y: l.at.Y}})
		}
	}
	for _, l := range lines {
		c.FillText(l.sty, l.at, l.text)
	}
}

// nearestOn returns the point of r nearest to a.
func nearestOn(r vg.Rectangle, a vg.Point) vg.Point {
	return vg.Point{X: min(max(a.X, r.Min.X), r.Max.X), Y: min(max(a.Y, r.Min.Y), r.Max.Y)}
}

// placeLabels places labels of the given sizes near their anchors, inside
// area, so that they overlap neither the obstacles nor each other. Each
// label goes to the first free position among those right, left, above
// and below its anchor and at the diagonals, at gap from it and then
// further away; a label with no free position goes where it overlaps
// least. Labels are placed one after the other, those of anchors with the
// most close neighbours first; then a label that had to move away is
// tried first, as long as that lowers the overlap or the distances. The
// result is in the order of the anchors, and depends only on the input.
func placeLabels(area vg.Rectangle, anchors, sizes []vg.Point, gap vg.Length, obstacles []vg.Rectangle) []label {
	n := len(anchors)
	if n == 0 {
		return nil
	}
	// Neighbours within a typical label's size.
	var typical vg.Point
	for _, s := range sizes {
		typical.X, typical.Y = max(typical.X, s.X), max(typical.Y, s.Y)
	}
	crowd := make([]int, n)
	for i := range anchors {
		for j := range anchors {
			d := anchors[i].Sub(anchors[j])
			if i != j && abs64(d.X) < typical.X && abs64(d.Y) < 2*typical.Y {
				crowd[i]++
			}
		}
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(crowd[b], crowd[a]) })

	lp := labelPlacer{area: area, anchors: anchors, sizes: sizes, gap: gap, obstacles: obstacles}
	best, score := lp.place(order)
	// Then move one label to the front or the back of the order, or swap
	// two, while that lowers the score, the largest fall first.
	for range 2 * n {
		var next []int
		nextScore := score
		try := func(o []int) {
			if _, sc := lp.place(o); sc < nextScore-1e-9 {
				next, nextScore = o, sc
			}
		}
		for i := range n {
			rest := slices.DeleteFunc(slices.Clone(order), func(j int) bool { return j == i })
			try(append([]int{i}, rest...))
			try(append(rest, i))
			for j := i + 1; j < n && n <= 8; j++ {
				o := slices.Clone(order)
				o[i], o[j] = o[j], o[i]
				try(o)
			}
		}
		if next == nil {
			break
		}
		order, score = next, nextScore
		best, _ = lp.place(order)
	}
	return best
}

// labelPlacer places labels in a given order.
type labelPlacer struct {
	area           vg.Rectangle
	anchors, sizes []vg.Point
	gap            vg.Length
	obstacles      []vg.Rectangle
}

// place places the labels in the given order and returns them and a
// score: the area of overlaps, then the leader lines crossing labels or
// each other, then the distances from the anchors.
func (lp *labelPlacer) place(order []int) (out []label, score float64) {
	n := len(lp.anchors)
	out = make([]label, n)
	pad := lp.gap * 0.25 // between labels, and between labels and obstacles
	var placed []vg.Rectangle
	var leaders [][2]vg.Point
	// The cost of a label: 10 a square point of overlap, 150 a crossing
	// of its leader line and a label or another leader line.
	const perArea, perCrossing = 10, 150
	cost := func(r vg.Rectangle, leader *[2]vg.Point) float64 {
		grow := vg.Rectangle{Min: vg.Point{X: r.Min.X - pad, Y: r.Min.Y - pad}, Max: vg.Point{X: r.Max.X + pad, Y: r.Max.Y + pad}}
		var area vg.Length
		for _, o := range lp.obstacles {
			area += area2(grow, o)
		}
		for _, o := range placed {
			area += area2(grow, o)
		}
		// Outside the data area counts as covered.
		area += (r.Max.X-r.Min.X)*(r.Max.Y-r.Min.Y) - area2(r, lp.area)
		total := float64(area) * perArea
		for _, l := range leaders {
			if crosses(l[0], l[1], grow) || leader != nil && segmentsCross(l[0], l[1], leader[0], leader[1]) {
				total += perCrossing
			}
		}
		if leader != nil {
			for _, o := range placed {
				if crosses(leader[0], leader[1], o) {
					total += perCrossing
				}
			}
		}
		return total
	}
	for _, i := range order {
		a, s := lp.anchors[i], lp.sizes[i]
		var best label
		bestCost, bestFar := math.Inf(1), 0.0
	search:
		for ring := 0; ring < 24; ring++ {
			d := lp.gap * (1 + vg.Length(ring)*0.6)
			for k, cand := range candidates(a, s, d) {
				r := vg.Rectangle{Min: cand.min, Max: cand.min.Add(s)}
				var leader *[2]vg.Point
				if ring > 1 {
					leader = &[2]vg.Point{a, nearestOn(r, a)}
				}
				extra := 0.0
				if leader != nil {
					// From outside the dot, the leader must not run along
					// or across a whisker or another dot.
					d := leader[1].Sub(a)
					if l := vg.Length(math.Hypot(float64(d.X), float64(d.Y))); l > 0 {
						from := a.Add(d.Scale(min(lp.gap, l) / l))
						for _, o := range lp.obstacles {
							if crosses(from, leader[1], o) {
								extra += perCrossing
							}
						}
					}
				}
				far := float64(ring) + float64(k)*0.01
				if c := cost(r, leader) + far + extra; c < bestCost {
					best, bestCost, bestFar = label{box: r, align: cand.align, leader: ring > 1}, c, far
				}
				if bestCost <= bestFar {
					// Free: no position further away is better.
					break search
				}
			}
		}
		out[i] = best
		placed = append(placed, best.box)
		if best.leader {
			leaders = append(leaders, [2]vg.Point{a, nearestOn(best.box, a)})
		}
		score += bestCost
	}
	return out, score
}

// candidate is a position of a label: its lower left corner, and how its
// lines are aligned.
type candidate struct {
	min   vg.Point
	align draw.XAlignment
}

// directions are the directions in which labels are tried around their
// anchor, in order of preference: right, left, above, below, the
// diagonals, then the directions between those.
var directions = func() [][2]float64 {
	out := [][2]float64{{1, 0}, {-1, 0}, {0, 1}, {0, -1}}
	for _, deg := range []float64{45, -45, 135, -135, 22.5, -22.5, 157.5, -157.5, 67.5, -67.5, 112.5, -112.5} {
		s, c := math.Sincos(deg * math.Pi / 180)
		out = append(out, [2]float64{c, s})
	}
	return out
}()

// candidates returns the positions tried for a label of size s at
// distance d from anchor a: in each direction, the label's edge nearest
// the anchor at d from it; then labels above and below that start or end
// at the anchor.
func candidates(a, s vg.Point, d vg.Length) []candidate {
	out := make([]candidate, 0, len(directions)+4)
	for _, dir := range directions {
		cx, cy := dir[0], dir[1]
		// The point of the box attached to the direction: the middle of
		// its left edge for a label right of the anchor, and so on.
		fx, fy := vg.Length((1-cx)/2), vg.Length((1-cy)/2)
		if math.Abs(cx) > 0.3 && math.Abs(cy) > 0.3 {
			// Diagonals: the corner.
			fx, fy = vg.Length((1-math.Copysign(1, cx))/2), vg.Length((1-math.Copysign(1, cy))/2)
		}
		at := vg.Point{X: a.X + d*vg.Length(cx), Y: a.Y + d*vg.Length(cy)}
		align := draw.XCenter
		switch {
		case cx > 0.3:
			align = draw.XLeft
		case cx < -0.3:
			align = draw.XRight
		}
		out = append(out, candidate{min: vg.Point{X: at.X - s.X*fx, Y: at.Y - s.Y*fy}, align: align})
	}
	return append(out,
		candidate{vg.Point{X: a.X - s.X*0.1, Y: a.Y + d}, draw.XLeft},        // above, to the right
		candidate{vg.Point{X: a.X - s.X*0.9, Y: a.Y + d}, draw.XRight},       // above, to the left
		candidate{vg.Point{X: a.X - s.X*0.1, Y: a.Y - d - s.Y}, draw.XLeft},  // below, to the right
		candidate{vg.Point{X: a.X - s.X*0.9, Y: a.Y - d - s.Y}, draw.XRight}, // below, to the left
	)
}

// segmentsCross reports whether the segments ab and cd cross.
func segmentsCross(a, b, c, d vg.Point) bool {
	orient := func(p, q, r vg.Point) float64 {
		return float64((q.X-p.X)*(r.Y-p.Y) - (q.Y-p.Y)*(r.X-p.X))
	}
	o1, o2 := orient(a, b, c), orient(a, b, d)
	o3, o4 := orient(c, d, a), orient(c, d, b)
	return (o1 > 0) != (o2 > 0) && (o3 > 0) != (o4 > 0) && o1 != 0 && o2 != 0 && o3 != 0 && o4 != 0
}

// crosses reports whether the segment from a to b passes through r
// (Liang–Barsky clipping).
func crosses(a, b vg.Point, r vg.Rectangle) bool {
	t0, t1 := 0.0, 1.0
	dx, dy := float64(b.X-a.X), float64(b.Y-a.Y)
	for _, e := range [4][2]float64{
		{-dx, float64(a.X - r.Min.X)},
		{dx, float64(r.Max.X - a.X)},
		{-dy, float64(a.Y - r.Min.Y)},
		{dy, float64(r.Max.Y - a.Y)},
	} {
		p, q := e[0], e[1]
		if p == 0 {
			if q < 0 {
				return false
			}
			continue
		}
		t := q / p
		if p < 0 {
			t0 = math.Max(t0, t)
		} else {
			t1 = math.Min(t1, t)
		}
		if t0 > t1 {
			return false
		}
	}
	return true
}

// area2 returns the area of the intersection of two rectangles.
func area2(a, b vg.Rectangle) vg.Length {
	w := min(a.Max.X, b.Max.X) - max(a.Min.X, b.Min.X)
	h := min(a.Max.Y, b.Max.Y) - max(a.Min.Y, b.Min.Y)
	if w <= 0 || h <= 0 {
		return 0
	}
	return w * h
}

func abs64(x vg.Length) vg.Length {
	if x < 0 {
		return -x
	}
	return x
}
