package plots

import (
	"image/color"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// This file holds the annotation plotters shared by the charts. They draw
// outside the data area and reserve the room they need through
// plot.GlyphBoxer, so that a legend never covers data and still follows the
// plot when it is resized or aligned in a dashboard.

// legendEntry is one line of a sideLegend: a thumbnail and its text, or a
// note without thumbnail.
type legendEntry struct {
	text  string
	thumb plot.Thumbnailer
	style *text.Style // nil: the legend's style
}

// sideLegend is a legend drawn to the right of the data area, top-aligned.
type sideLegend struct {
	entries []legendEntry
	style   text.Style
	thumbW  vg.Length
	gap     vg.Length // between the data area and the legend
}

// maxLegendEntries is the number of legend lines shown before the rest is
// summarised as "+ N more".
const maxLegendEntries = 14

func newSideLegend(th theme) *sideLegend {
	return &sideLegend{
		style:  textStyle(sans, th.legend, color.Black),
		thumbW: th.legend * 1.8,
		gap:    th.legend * 1.2,
	}
}

// add appends an entry with a thumbnail.
func (l *sideLegend) add(txt string, thumb plot.Thumbnailer) {
	l.entries = append(l.entries, legendEntry{text: txt, thumb: thumb})
}

// note appends a line of text without thumbnail, in a smaller grey font
// unless sty is given.
func (l *sideLegend) note(txt string, sty *text.Style) {
	if sty == nil {
		s := l.style
		s.Color = grey
		s.Font.Size = l.style.Font.Size * 0.92
		sty = &s
	}
	l.entries = append(l.entries, legendEntry{text: txt, style: sty})
}

// space appends an empty half line.
func (l *sideLegend) space() {
	s := l.style
	s.Font.Size /= 2
	l.entries = append(l.entries, legendEntry{text: " ", style: &s})
}

// shown returns the entries drawn: all of them, or the first ones, a note
// on how many were left out and the notes that end the legend.
func (l *sideLegend) shown() []legendEntry {
	if len(l.entries) <= maxLegendEntries {
		return l.entries
	}
	tail := len(l.entries)
	for tail > 0 && l.entries[tail-1].thumb == nil {
		tail--
	}
	keep := max(maxLegendEntries-1-(len(l.entries)-tail), 1)
	if keep >= tail {
		return l.entries[:maxLegendEntries]
	}
	out := append([]legendEntry(nil), l.entries[:keep]...)
	s := l.style
	s.Color = grey
	out = append(out, legendEntry{text: "+ " + strconv.Itoa(tail-keep) + " more", style: &s})
	return append(out, l.entries[tail:]...)
}

func (l *sideLegend) entryStyle(e legendEntry) text.Style {
	if e.style != nil {
		return *e.style
	}
	return l.style
}

// textX returns the offset of the text from the legend's left edge.
func (l *sideLegend) textX() vg.Length {
	return l.thumbW + l.style.Font.Size*0.5
}

// width returns the width of the legend.
func (l *sideLegend) width() vg.Length {
	var w vg.Length
	for _, e := range l.shown() {
		ew := l.entryStyle(e).Width(e.text)
		if e.thumb != nil || e.style == nil {
			ew += l.textX()
		}
		w = max(w, ew)
	}
	return w
}

// Plot implements plot.Plotter: it draws the legend right of c.
func (l *sideLegend) Plot(c draw.Canvas, _ *plot.Plot) {
	x := c.Max.X + l.gap
	top := c.Max.Y
	for _, e := range l.shown() {
		sty := l.entryStyle(e)
		ext := sty.FontExtents()
		tx := x
		if e.thumb != nil || e.style == nil {
			tx += l.textX()
		}
		baseline := top - ext.Ascent
		if e.thumb != nil {
			// Centred on the first line's capitals.
			size := sty.Font.Size
			icon := draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
				Min: vg.Point{X: x, Y: baseline - 0.08*size},
				Max: vg.Point{X: x + l.thumbW, Y: baseline + 0.8*size},
			}}
			e.thumb.Thumbnail(&icon)
		}
		next := fillLines(c, sty, tx, baseline, e.text)
		top = next + lineStep(sty) - ext.Descent - sty.Font.Size*0.35
	}
}

// lineStep is the distance between the baselines of two lines of text.
func lineStep(sty text.Style) vg.Length { return sty.Font.Size * 1.15 }

// fillLines draws the lines of txt with the first baseline at baseline,
// aligned horizontally by sty.XAlign, and returns the baseline that a next
// line would have. (gonum's multi-line text is offset from its box; this
// places each line exactly.)
func fillLines(c draw.Canvas, sty text.Style, x, baseline vg.Length, txt string) vg.Length {
	sty.YAlign = draw.YBottom
	asc := sty.FontExtents().Ascent
	for _, line := range strings.Split(txt, "\n") {
		if strings.TrimSpace(line) == "" {
			baseline -= lineStep(sty)
			continue
		}
		c.FillText(sty, vg.Point{X: x, Y: baseline - sty.Font.Size + asc}, line)
		baseline -= lineStep(sty)
	}
	return baseline
}

// GlyphBoxes implements plot.GlyphBoxer: it reserves the legend's width
// right of the data area (and no height, so the legend does not squeeze
// the data area vertically).
func (l *sideLegend) GlyphBoxes(*plot.Plot) []plot.GlyphBox {
	if len(l.entries) == 0 {
		return nil
	}
	return []plot.GlyphBox{{X: 1, Y: 1, Rectangle: vg.Rectangle{
		Min: vg.Point{X: l.gap},
		Max: vg.Point{X: l.gap + l.width()},
	}}}
}

// swatch is a thumbnail filled with a colour and optionally outlined.
type swatch struct {
	fill    color.Color
	outline draw.LineStyle
}

func (s swatch) Thumbnail(c *draw.Canvas) {
	pts := []vg.Point{
		{X: c.Min.X, Y: c.Min.Y}, {X: c.Min.X, Y: c.Max.Y},
		{X: c.Max.X, Y: c.Max.Y}, {X: c.Max.X, Y: c.Min.Y},
	}
	if s.fill != nil {
		c.FillPolygon(s.fill, pts)
	}
	if s.outline.Width > 0 {
		c.StrokeLines(s.outline, append(pts, pts[0]))
	}
}

// lineThumb is a thumbnail drawn as a horizontal line, optionally with a
// dot in the middle.
type lineThumb struct {
	style draw.LineStyle
	dot   vg.Length // radius of a dot drawn in the middle; 0 for none
}

func (t lineThumb) Thumbnail(c *draw.Canvas) {
	y := c.Center().Y
	c.StrokeLine2(t.style, c.Min.X, y, c.Max.X, y)
	if t.dot > 0 {
		c.FillPolygon(t.style.Color, circle(c.Center(), t.dot))
	}
}

// vlineThumb is a thumbnail drawn as a vertical line.
type vlineThumb struct{ style draw.LineStyle }

func (t vlineThumb) Thumbnail(c *draw.Canvas) {
	x := c.Center().X
	c.StrokeLine2(t.style, x, c.Min.Y, x, c.Max.Y)
}

// circle returns a polygon approximating a circle, so that dots look the
// same in every format.
func circle(center vg.Point, r vg.Length) []vg.Point {
	const n = 24
	pts := make([]vg.Point, n)
	for i := range pts {
		s, c := sincos(float64(i) / n)
		pts[i] = vg.Point{X: center.X + r*vg.Length(c), Y: center.Y + r*vg.Length(s)}
	}
	return pts
}

// sincos returns the sine and cosine of the angle t turns.
func sincos(t float64) (s, c float64) { return math.Sincos(2 * math.Pi * t) }

// mark is a text label at a data point, offset by a fixed length.
type mark struct {
	x, y  float64
	dx    vg.Length
	dy    vg.Length
	text  string
	style text.Style
	// bg, if set, fills the text's box first, so that lines under a
	// label (a baseline, a grid line) do not cross its text.
	bg color.Color
}

// marks is a set of text labels at data points. Its glyph boxes make the
// plot leave room for labels near the edges.
type marks []mark

func (ms marks) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for _, m := range ms {
		pt := vg.Point{X: trX(m.x) + m.dx, Y: trY(m.y) + m.dy}
		if m.bg != nil {
			r := m.style.Rectangle(m.text)
			r.Min, r.Max = r.Min.Add(pt), r.Max.Add(pt)
			fillRect(c, m.bg, r)
		}
		c.FillText(m.style, pt, m.text)
	}
}

func (ms marks) GlyphBoxes(p *plot.Plot) []plot.GlyphBox {
	out := make([]plot.GlyphBox, 0, len(ms))
	for _, m := range ms {
		r := m.style.Rectangle(m.text)
		r.Min = r.Min.Add(vg.Point{X: m.dx, Y: m.dy})
		r.Max = r.Max.Add(vg.Point{X: m.dx, Y: m.dy})
		out = append(out, plot.GlyphBox{X: p.X.Norm(m.x), Y: p.Y.Norm(m.y), Rectangle: r})
	}
	return out
}

// innerMarks are text labels well inside the data area: they reserve no
// room. (A glyph box at x = 0 that reaches past the right edge makes
// gonum's padding divide by zero.)
type innerMarks marks

func (ms innerMarks) Plot(c draw.Canvas, p *plot.Plot) { marks(ms).Plot(c, p) }

// dots draws filled dots at data points.
type dots struct {
	xys   plotter.XYs
	r     vg.Length
	color color.Color
	ring  color.Color // outline drawn around each dot, or nil
}

func (d dots) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for _, pt := range d.xys {
		ctr := vg.Point{X: trX(pt.X), Y: trY(pt.Y)}
		if d.ring != nil {
			c.FillPolygon(d.ring, circle(ctr, d.r*1.45))
		}
		c.FillPolygon(d.color, circle(ctr, d.r))
	}
}

func (d dots) GlyphBoxes(p *plot.Plot) []plot.GlyphBox {
	out := make([]plot.GlyphBox, 0, len(d.xys))
	r := d.r * 1.5
	for _, pt := range d.xys {
		out = append(out, plot.GlyphBox{X: p.X.Norm(pt.X), Y: p.Y.Norm(pt.Y),
			Rectangle: vg.Rectangle{Min: vg.Point{X: -r, Y: -r}, Max: vg.Point{X: r, Y: r}}})
	}
	return out
}

// hline is a horizontal line across the data area at a data y.
type hline struct {
	y     float64
	style draw.LineStyle
}

func (h hline) Plot(c draw.Canvas, p *plot.Plot) {
	_, trY := p.Transforms(&c)
	y := trY(h.y)
	if y < c.Min.Y-0.01 || y > c.Max.Y+0.01 {
		return
	}
	c.StrokeLine2(h.style, c.Min.X, y, c.Max.X, y)
}

// band is a horizontal band filled across the data area between two data
// ys, for stage regions.
type band struct {
	lo, hi float64
	fill   color.Color
}

func (b band) Plot(c draw.Canvas, p *plot.Plot) {
	_, trY := p.Transforms(&c)
	lo := max(trY(b.lo), c.Min.Y)
	hi := min(trY(b.hi), c.Max.Y)
	if hi <= lo {
		return
	}
	c.FillPolygon(b.fill, []vg.Point{
		{X: c.Min.X, Y: lo}, {X: c.Min.X, Y: hi}, {X: c.Max.X, Y: hi}, {X: c.Max.X, Y: lo},
	})
}

// fillRect fills rectangle r of canvas c with colour col.
func fillRect(c draw.Canvas, col color.Color, r vg.Rectangle) {
	c.FillPolygon(col, []vg.Point{r.Min, {X: r.Min.X, Y: r.Max.Y}, r.Max, {X: r.Max.X, Y: r.Min.Y}})
}
