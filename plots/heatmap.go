package plots

import (
	"image/color"
	"math"
	"slices"
	"sync"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/brewer"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/escalate-sim/escalate/sim"
)

// maxLabelledCells is the largest number of columns or rows of a heat map
// whose cells are labelled with their value.
const maxLabelledCells = 12

// WarScale returns the colour scale of the probability of war in heat
// maps, from low to high: ColorBrewer's yellow-orange-red (Cynthia Brewer,
// colorbrewer2.org), interpolated in CIELAB so that lightness falls evenly
// from light yellow to dark red. A sequential scale whose lightness
// changes monotonically reads in order for every form of colour
// blindness and in greyscale print (ColorBrewer rates it colour-blind
// safe); its dark red end, near the war vermillion of StageColor, makes
// "more war" both darker and redder. (Viridis, the usual alternative, is
// not part of gonum, and its blue-to-yellow hues carry no such meaning.)
func WarScale() palette.Palette { return warPalette(warScale()) }

// warPalette implements palette.Palette.
type warPalette []color.Color

func (p warPalette) Colors() []color.Color { return p }

var warScale = sync.OnceValue(func() []color.Color {
	// NewLuminance wants its controls darkest first.
	controls := slices.Clone(brewer.YlOrRd[9].Colors())
	slices.Reverse(controls)
	cm, err := moreland.NewLuminance(controls)
	if err != nil {
		panic("plots: war colour scale: " + err.Error())
	}
	cm.SetMin(0)
	cm.SetMax(1)
	cs := cm.Palette(128).Colors()
	slices.Reverse(cs)
	return cs
})

// sweepGrid is the probability of war over a two-dimensional sweep as a
// plotter.GridXYZ: column c holds value c of the first key path, at x = c,
// and row r value r of the second, at y = r. Cells without a point are
// NaN.
type sweepGrid struct {
	cols, rows int
	z          []float64 // z[c*rows+r]
}

// newSweepGrid returns the grid of a sweep checked by checkSweep(sw, 2).
func newSweepGrid(sw *sim.SweepSummary) sweepGrid {
	g := sweepGrid{cols: len(sw.Dimensions[0].Values), rows: len(sw.Dimensions[1].Values)}
	g.z = make([]float64, g.cols*g.rows)
	for i := range g.z {
		g.z[i] = math.NaN()
	}
	for _, pt := range sw.Points {
		g.z[pt.Index[0]*g.rows+pt.Index[1]] = pt.PWar
	}
	return g
}

func (g sweepGrid) Dims() (c, r int)   { return g.cols, g.rows }
func (g sweepGrid) Z(c, r int) float64 { return g.z[c*g.rows+r] }
func (g sweepGrid) X(c int) float64    { return float64(c) }
func (g sweepGrid) Y(r int) float64    { return float64(r) }

// zMax is the highest P(war) of the grid's points (cells without a point
// are NaN).
func (g sweepGrid) zMax() float64 {
	hi := math.Inf(-1)
	for _, z := range g.z {
		if !math.IsNaN(z) {
			hi = math.Max(hi, z)
		}
	}
	return hi
}

// colorOf returns the colour of value v on a scale of colours from lo to
// hi, as plotter.HeatMap picks it.
func colorOf(colors []color.Color, lo, hi, v float64) color.Color {
	i := int((v-lo)*float64(len(colors)-1)/(hi-lo) + 0.5)
	return colors[min(max(i, 0), len(colors)-1)]
}

// SweepHeatMap returns the chart of a sweep over two key paths: a heat map
// of the probability of war with the first key's values across (x) and
// the second's up (y), in the order given. Cells are labelled with their
// value when the grid has at most 12 columns and rows and the cells are
// large enough; a colour bar right of the map gives the scale, from 0 to a
// round value above the highest.
// Cells without a point are grey.
func SweepHeatMap(sw *sim.SweepSummary) (*plot.Plot, error) {
	return sweepHeatMap(sw, standard)
}

func sweepHeatMap(sw *sim.SweepSummary, th theme) (*plot.Plot, error) {
	if err := checkSweep(sw, 2); err != nil {
		return nil, err
	}
	g := newSweepGrid(sw)
	// The colour scale runs from 0, like every probability axis of these
	// charts, to the top a P(war) axis would have, so that a point or two
	// within a narrow range does not look like peace against war.
	lo, hi := 0.0, pwarTop(g.zMax())
	colors := warScale()

	xdim, ydim := sw.Dimensions[0], sw.Dimensions[1]
	p := newPlot(th, sweepTitle(sw), axisLabel(xdim, th, xAxisRoom), axisLabel(ydim, th, yAxisRoom))
	hm := plotter.NewHeatMap(g, WarScale())
	hm.Min, hm.Max = lo, hi
	hm.NaN = lightGrey
	p.Add(cells{hm})
	if g.cols <= maxLabelledCells && g.rows <= maxLabelledCells {
		// Bold, and up to 14 points, where WCAG counts text as large.
		p.Add(cellLabels{grid: g, colors: colors, lo: lo, hi: hi, style: textStyle(sansBold, th.legend*1.12, Black)})
	}
	bar := &colorBar{
		colors: colors, lo: lo, hi: hi,
		title: "P(war)", note: RunCount(sw.Runs) + "\na cell",
		label:      textStyle(sans, th.tick, Black),
		titleStyle: textStyle(sansBold, th.legend, Black),
		noteStyle:  textStyle(sans, th.note*0.92, grey),
		width:      th.legend * 1.3,
		gap:        th.legend * 1.2,
	}
	p.Add(bar)

	// Categorical axes: ticks at the cells, labels thinned when crowded.
	xticks, tilt := categoryTicks(xdim.Values, p.X.Tick.Label, th.dataWidth)
	p.X.Tick.Marker = plot.ConstantTicks(xticks)
	if tilt {
		tiltLabels(&p.X.Tick.Label, g.cols)
	}
	every := int(math.Ceil(float64(p.Y.Tick.Label.Font.Size * 1.4 / (3.2 * vg.Inch / vg.Length(g.rows)))))
	var yticks []plot.Tick
	for r, v := range ydim.Values {
		t := plot.Tick{Value: float64(r)}
		if r%every == 0 {
			t.Label = v
		}
		yticks = append(yticks, t)
	}
	p.Y.Tick.Marker = plot.ConstantTicks(yticks)
	p.X.Min, p.X.Max = -0.5, float64(g.cols)-0.5
	p.Y.Min, p.Y.Max = -0.5, float64(g.rows)-0.5
	p.X.Padding, p.Y.Padding = 0, 0
	return p, nil
}

// cells draws a heat map of cells of width and height 1 centred on their
// x and y, in the heat map's colours. Unlike plotter.HeatMap, it overlaps
// neighbouring cells by a hair, so that antialiasing leaves no light seams
// between them, and it reserves no room around the cells: the axes end at
// their edges.
type cells struct{ *plotter.HeatMap }

func (h cells) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	colors := h.Palette.Colors()
	cols, rows := h.GridXYZ.Dims()
	hair := vg.Points(0.4)
	for i := range cols {
		x := h.GridXYZ.X(i)
		x0, x1 := trX(x-0.5), trX(x+0.5)
		if i < cols-1 {
			x1 += hair
		}
		for j := range rows {
			y := h.GridXYZ.Y(j)
			y0, y1 := trY(y-0.5), trY(y+0.5)
			if j < rows-1 {
				y1 += hair
			}
			col := h.NaN
			switch z := h.GridXYZ.Z(i, j); {
			case math.IsNaN(z):
			case z < h.Min:
				col = colors[0]
			case z > h.Max:
				col = colors[len(colors)-1]
			default:
				col = colorOf(colors, h.Min, h.Max, z)
			}
			if col != nil {
				fillRect(c, col, vg.Rectangle{Min: vg.Point{X: x0, Y: y0}, Max: vg.Point{X: x1, Y: y1}})
			}
		}
	}
}

func (cells) GlyphBoxes(*plot.Plot) []plot.GlyphBox { return nil }

// cellLabels writes the value of each cell of a heat map in it, in black
// or white for contrast (see labelSwitch), at the largest size up to
// style's that fits the cells, or not at all when that is too small to
// read.
type cellLabels struct {
	grid   sweepGrid
	colors []color.Color
	lo, hi float64
	style  text.Style
}

// minCellLabel is the smallest font size of cell labels.
const minCellLabel = 7

func (cl cellLabels) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	cw, ch := trX(1)-trX(0), trY(1)-trY(0)
	sty := cl.style
	sty.XAlign, sty.YAlign = draw.XCenter, draw.YCenter
	texts := make([]string, len(cl.grid.z))
	for i, z := range cl.grid.z {
		if !math.IsNaN(z) {
			texts[i] = percent(z)
		}
	}
	fits := func() bool {
		for _, t := range texts {
			if sty.Width(t) > 0.88*cw {
				return false
			}
		}
		return sty.Height("0") <= 0.8*ch
	}
	for !fits() {
		if sty.Font.Size *= 0.92; sty.Font.Size < minCellLabel {
			return
		}
	}
	var lums []float64
	for _, z := range cl.grid.z {
		if !math.IsNaN(z) {
			lums = append(lums, luminance(colorOf(cl.colors, cl.lo, cl.hi, z)))
		}
	}
	target := 4.5 // WCAG AA for text
	if sty.Font.Weight == xfont.WeightBold && sty.Font.Size >= 14 {
		target = 3 // WCAG AA for large text: 14 points bold
	}
	switchAt := labelSwitch(lums, target)
	for col := range cl.grid.cols {
		for row := range cl.grid.rows {
			z := cl.grid.Z(col, row)
			if math.IsNaN(z) {
				continue
			}
			s := sty
			s.Color = Black
			if luminance(colorOf(cl.colors, cl.lo, cl.hi, z)) < switchAt {
				s.Color = white
			}
			c.FillText(s, vg.Point{X: trX(float64(col)), Y: trY(float64(row))}, texts[col*cl.grid.rows+row])
		}
	}
}

// contrast is the WCAG 2 contrast ratio of two relative luminances.
func contrast(l1, l2 float64) float64 {
	if l1 < l2 {
		l1, l2 = l2, l1
	}
	return (l1 + 0.05) / (l2 + 0.05)
}

// labelSwitch returns the luminance below which labels on cells of the
// given luminances are white, and at or above which black: one switch for
// the whole chart, at the largest step in luminance between cells at
// which every label contrasts with its cell by at least target (WCAG 2),
// so that the label colour changes where the cells' colour visibly does
// and not between two cells of nearly the same colour (where black and
// white contrast about equally, a switch at a fixed luminance of 0.18
// gave them different colours). If no switch reaches target everywhere,
// it is the one with the best worst contrast.
func labelSwitch(lums []float64, target float64) float64 {
	ls := slices.Clone(lums)
	slices.Sort(ls)
	ls = slices.Compact(ls)
	if len(ls) == 0 {
		return 0
	}
	const lumBlack, lumWhite = 0, 1
	// Switch k: cells ls[:k] white, ls[k:] black. The worst contrasts are
	// at the lightest white-labelled cell and the darkest black-labelled.
	worst := func(k int) float64 {
		w := math.Inf(1)
		if k > 0 {
			w = math.Min(w, contrast(lumWhite, ls[k-1]))
		}
		if k < len(ls) {
			w = math.Min(w, contrast(lumBlack, ls[k]))
		}
		return w
	}
	at := func(k int) float64 {
		switch {
		case k == 0:
			return ls[0] // none white
		case k == len(ls):
			return math.Nextafter(ls[k-1], 2) // all white
		}
		return (ls[k-1] + ls[k]) / 2
	}
	gap := func(k int) float64 {
		if k == 0 || k == len(ls) {
			return 1 // one colour for every label: the most consistent
		}
		return ls[k] - ls[k-1]
	}
	best, bestOK, bestWorst, bestGap := 0, false, -1.0, -1.0
	for k := 0; k <= len(ls); k++ {
		w, g := worst(k), gap(k)
		ok := w >= target
		switch {
		case ok && (!bestOK || g > bestGap):
		case !ok && !bestOK && (w > bestWorst || w == bestWorst && g > bestGap):
		default:
			continue
		}
		best, bestOK, bestWorst, bestGap = k, ok, w, g
	}
	return at(best)
}

// luminance returns the relative luminance of c, from 0 (black) to 1
// (white).
func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	lin := func(v uint32) float64 {
		x := float64(v) / 0xffff
		if x <= 0.04045 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

// colorBar is the scale of a heat map, drawn right of the data area: a
// vertical bar of the colours from lo (bottom) to hi (top), with ticks
// labelled as percentages, a title above and a note below.
type colorBar struct {
	colors                       []color.Color
	lo, hi                       float64
	title, note                  string
	label, titleStyle, noteStyle text.Style
	width, gap                   vg.Length
}

// ticks returns the labelled ticks of the bar.
func (b *colorBar) ticks() []plot.Tick {
	var out []plot.Tick
	for _, t := range shareTicks.Ticks(b.lo, b.hi) {
		if t.Label != "" && t.Value >= b.lo-1e-9 && t.Value <= b.hi+1e-9 {
			out = append(out, t)
		}
	}
	return out
}

// bar returns the bottom and top of the bar in c.
func (b *colorBar) bar(c draw.Canvas) (y0, y1 vg.Length) {
	y0, y1 = c.Min.Y, c.Max.Y-b.titleStyle.Height(b.title)-b.label.Font.Size*0.6
	if b.note != "" {
		y0 += b.noteStyle.Height(b.note) + b.label.Font.Size*0.6
	}
	return y0, y1
}

func (b *colorBar) Plot(c draw.Canvas, _ *plot.Plot) {
	x0 := c.Max.X + b.gap
	y0, y1 := b.bar(c)
	if y1 <= y0 || !(b.hi > b.lo) {
		return
	}
	n := len(b.colors)
	for i, col := range b.colors {
		lo := y0 + (y1-y0)*vg.Length(i)/vg.Length(n)
		hi := y0 + (y1-y0)*vg.Length(i+1)/vg.Length(n)
		if i < n-1 {
			hi += (y1 - y0) / vg.Length(n) // under the next: no seams
		}
		fillRect(c, col, vg.Rectangle{Min: vg.Point{X: x0, Y: lo}, Max: vg.Point{X: x0 + b.width, Y: hi}})
	}
	edge := draw.LineStyle{Color: grey, Width: vg.Points(0.75)}
	c.StrokeLines(edge, []vg.Point{{X: x0, Y: y0}, {X: x0 + b.width, Y: y0}, {X: x0 + b.width, Y: y1}, {X: x0, Y: y1}, {X: x0, Y: y0}})
	tick := b.label.Font.Size * 0.4
	lsty := b.label
	lsty.XAlign, lsty.YAlign = draw.XLeft, draw.YCenter
	for _, t := range b.ticks() {
		y := y0 + (y1-y0)*vg.Length((t.Value-b.lo)/(b.hi-b.lo))
		c.StrokeLine2(edge, x0+b.width, y, x0+b.width+tick, y)
		c.FillText(lsty, vg.Point{X: x0 + b.width + tick*1.5, Y: y}, t.Label)
	}
	tsty := b.titleStyle
	tsty.XAlign, tsty.YAlign = draw.XLeft, draw.YTop
	c.FillText(tsty, vg.Point{X: x0, Y: c.Max.Y}, b.title)
	if b.note != "" {
		nsty := b.noteStyle
		nsty.XAlign, nsty.YAlign = draw.XLeft, draw.YBottom
		c.FillText(nsty, vg.Point{X: x0, Y: c.Min.Y}, b.note)
	}
}

// GlyphBoxes reserves the bar's width right of the data area.
func (b *colorBar) GlyphBoxes(*plot.Plot) []plot.GlyphBox {
	w := b.titleStyle.Width(b.title)
	var lw vg.Length
	for _, t := range b.ticks() {
		lw = max(lw, b.label.Width(t.Label))
	}
	w = max(w, b.width+b.label.Font.Size*0.6+lw)
	if b.note != "" {
		w = max(w, b.noteStyle.Width(b.note))
	}
	return []plot.GlyphBox{{X: 1, Y: 1, Rectangle: vg.Rectangle{Max: vg.Point{X: b.gap + w}}}}
}
