package plots

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
)

// outlineCanvas draws text as the outlines of its glyphs, filled, instead
// of asking the viewer for a font. SVG and PDF charts are drawn through
// it, so that they look the same everywhere: an SVG that names its font
// is laid out for Liberation Sans and overflows where a viewer substitutes
// a wider font (DejaVu Sans on a Linux desktop, in librsvg and browsers
// alike), and vgpdf can embed only whole fonts (about 220 KB a file), in
// one face (its bold is broken) and Windows-1252 only. Outlines are what
// matplotlib writes into SVG by default (svg.fonttype "path"); the price
// is that text cannot be selected or searched.
//
// Each glyph is drawn in font units, scaled to the font's size, so that
// every occurrence of a glyph has the same path data: dedupeSVGPaths then
// writes it once.
type outlineCanvas struct {
	vg.CanvasSizer
	// svg makes FillString write each string as an SVG <text> element
	// before its glyphs, which labelSVGText turns into an aria-label of
	// the glyphs' group: screen readers, search and tests still find the
	// text.
	svg   bool
	buf   sfnt.Buffer
	paths map[glyphKey]vg.Path
}

type glyphKey struct {
	font  font.Font // with Size zero: outlines are in font units
	glyph sfnt.GlyphIndex
}

func newOutlineCanvas(c vg.CanvasSizer, svg bool) *outlineCanvas {
	return &outlineCanvas{CanvasSizer: c, svg: svg, paths: map[glyphKey]vg.Path{}}
}

// FillString draws s with its left end of the baseline at pt, in the
// canvas's current colour, with the kerning that font.Face.Width measures,
// so that text takes exactly the room the layout gave it.
func (c *outlineCanvas) FillString(f font.Face, pt vg.Point, s string) {
	if f.Font.Size == 0 || s == "" {
		return
	}
	upem := f.Face.UnitsPerEm()
	ppem := fixed.Int26_6(upem) // so that 26.6 values are font units
	scale := float64(f.Font.Size.Points()) / float64(upem)
	key := glyphKey{font: f.Font}
	key.font.Size = 0

	if c.svg {
		c.CanvasSizer.FillString(f, pt, s)
	}
	c.Push()
	defer c.Pop()
	c.Translate(pt)
	c.Scale(scale, scale)
	var (
		x       fixed.Int26_6
		prev    sfnt.GlyphIndex
		hasPrev bool
	)
	for _, r := range s {
		idx, err := f.Face.GlyphIndex(&c.buf, r)
		if err != nil {
			panic(fmt.Errorf("plots: glyph of %q: %w", r, err))
		}
		if hasPrev {
			k, err := f.Face.Kern(&c.buf, prev, idx, ppem, 0)
			if err == nil {
				x += k
			} else if !errors.Is(err, sfnt.ErrNotFound) {
				panic(fmt.Errorf("plots: kerning: %w", err))
			}
		}
		key.glyph = idx
		path, ok := c.paths[key]
		if !ok {
			path = c.outline(f, idx, ppem)
			c.paths[key] = path
		}
		if len(path) > 0 {
			c.Push()
			c.Translate(vg.Point{X: vg.Length(x)})
			c.Fill(path)
			c.Pop()
		}
		adv, err := f.Face.GlyphAdvance(&c.buf, idx, ppem, 0)
		if err != nil {
			panic(fmt.Errorf("plots: advance of %q: %w", r, err))
		}
		x += adv
		prev, hasPrev = idx, true
	}
}

// outline returns the glyph's outline in font units, y pointing up.
func (c *outlineCanvas) outline(f font.Face, idx sfnt.GlyphIndex, ppem fixed.Int26_6) vg.Path {
	segs, err := f.Face.LoadGlyph(&c.buf, idx, ppem, nil)
	if err != nil {
		panic(fmt.Errorf("plots: outline of glyph %d: %w", idx, err))
	}
	pt := func(p fixed.Point26_6) vg.Point { return vg.Point{X: vg.Length(p.X), Y: -vg.Length(p.Y)} }
	var path vg.Path
	open := false
	for _, s := range segs {
		switch s.Op {
		case sfnt.SegmentOpMoveTo:
			if open {
				path.Close()
			}
			path.Move(pt(s.Args[0]))
			open = true
		case sfnt.SegmentOpLineTo:
			path.Line(pt(s.Args[0]))
		case sfnt.SegmentOpQuadTo:
			path.QuadTo(pt(s.Args[0]), pt(s.Args[1]))
		case sfnt.SegmentOpCubeTo:
			path.CubeTo(pt(s.Args[0]), pt(s.Args[1]), pt(s.Args[2]))
		}
	}
	if open {
		path.Close()
	}
	return path
}

// svgGlyph matches a glyph as vgsvg writes what outlineCanvas draws: a
// path in a group that moves it along the baseline.
var svgGlyph = regexp.MustCompile(`<g transform="translate\(([^,"]+), 0\)">\n<path d="([^"]+)"((?: style="[^"]*")?) */>\n</g>\n`)

// svgLabel matches the <text> element of a string that outlineCanvas
// writes before its glyphs, and the opening of the glyphs' group.
var svgLabel = regexp.MustCompile(`<text [^>]*>([^<]*)</text>\n<g transform="(translate\([^)"]*\))">\n`)

// labelSVGText replaces each string's <text> element by an aria-label of
// its glyphs' group, so that the SVG names no font.
func labelSVGText(b []byte) []byte {
	return svgLabel.ReplaceAll(b, []byte(`<g transform="$2" aria-label="$1">`+"\n"))
}

// dedupeSVGPaths writes each glyph's outline once, in a <defs> block at the
// start of the SVG, and every occurrence as a <use> of it: text in outlines
// then costs a few dozen bytes a letter.
func dedupeSVGPaths(b []byte) []byte {
	ids := map[string]int{}
	var defs bytes.Buffer
	body := svgGlyph.ReplaceAllFunc(b, func(m []byte) []byte {
		sm := svgGlyph.FindSubmatch(m)
		id, ok := ids[string(sm[2])]
		if !ok {
			id = len(ids)
			ids[string(sm[2])] = id
			fmt.Fprintf(&defs, "<path id=\"g%d\" d=\"%s\"/>\n", id, sm[2])
		}
		return fmt.Appendf(nil, "<use xlink:href=\"#g%d\" x=\"%s\"%s/>\n", id, sm[1], sm[3])
	})
	if len(ids) == 0 {
		return b
	}
	// The defs go right after the <svg> tag.
	i := bytes.Index(body, []byte("<svg "))
	j := bytes.Index(body[max(i, 0):], []byte(">\n"))
	if i < 0 || j < 0 {
		return b
	}
	i += j + 2
	out := make([]byte, 0, len(body)+defs.Len()+16)
	out = append(out, body[:i]...)
	out = append(out, "<defs>\n"...)
	out = append(out, defs.Bytes()...)
	out = append(out, "</defs>\n"...)
	return append(out, body[i:]...)
}
