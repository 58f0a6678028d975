package plots

import (
	"bytes"
	"errors"
	"fmt"
	"gonum.org/v1/plot/text"
	"image/color"
	"io"
	"math"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"codeberg.org/go-pdf/fpdf"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/escalate-sim/escalate/internal/atomicfs"
)

// Default size and resolution of a chart: 8 × 5 inches at 200 dots per
// inch is 1600 × 1000 pixels, large enough for a projector and for a
// full-width figure in a paper.
const (
	DefaultWidth  = 8 * vg.Inch
	DefaultHeight = 5 * vg.Inch
	DefaultDPI    = 200
)

// Limits on the size of an image, so that a typo cannot ask for gigabytes.
const (
	maxSide   = 100 * vg.Inch
	maxPixels = 20000
	maxDPI    = 1200
)

// Formats lists the output formats, by file extension.
var Formats = []string{"png", "svg", "pdf"}

// Options controls how charts are written.
type Options struct {
	// Format is "png" (the default), "svg" or "pdf". Save takes the format
	// from the file's extension instead.
	Format string
	// Width and Height are the size of one chart; zero means DefaultWidth
	// and DefaultHeight. WriteAll draws the dashboard 2 × Width by
	// 1.8 × Height (16 × 9 inches by default).
	Width, Height vg.Length
	// DPI is the resolution of PNG images; zero means DefaultDPI.
	DPI int
	// Caption is a provenance line (program version, scenario, runs, seed,
	// hash of the scenario file) drawn small at the bottom of each image.
	// It should not contain the date, or the output stops being
	// reproducible.
	Caption string
	// FontSize is the size in points of tick labels and legend text, 12.5
	// by default (DefaultFontSize). Titles, axis labels, notes and the
	// caption, and the widths of lines, scale with it: a chart with
	// FontSize 8 is drawn as a chart of the default style 12.5/8 times
	// larger would be, shrunk to Width × Height. It must be between 4
	// and 40 points, and leave room for the data: a chart is laid out on
	// at least 4.5 × 3.5 inches of the default style, so that 8 × 5 inch
	// charts take at most 17.8 points.
	FontSize vg.Length
	// NoTitle drops the title of every chart, and the dashboard's title
	// and subtitle: for a figure in a paper, whose caption says what it
	// shows.
	NoTitle bool
	// NoCaption drops the provenance caption, whatever Caption says.
	NoCaption bool
	// Charts selects which charts WriteAll, WriteCompare and WriteSweep
	// write, by file name without extension ("outcomes",
	// "occupancy-guinea", "compare-pwar") or by the part of a name before
	// a dash ("occupancy" for every country's). Empty
	// means every chart; a name that selects none is an error that lists
	// the charts there are.
	Charts []string
}

// DefaultFontSize is the size of tick labels and legend text in a chart
// of the default style, in points.
const DefaultFontSize = vg.Length(12.5)

// Limits on Options.FontSize, and on the size at which a chart is laid
// out (Width × Height shrunk by FontSize / DefaultFontSize).
const (
	minFontSize     = vg.Length(4)
	maxFontSize     = vg.Length(40)
	minLayoutWidth  = 4.5 * vg.Inch
	minLayoutHeight = 3.5 * vg.Inch
)

// withDefaults fills zero fields and checks the others.
func (o Options) withDefaults() (Options, error) {
	if o.Format == "" {
		o.Format = "png"
	}
	o.Format = strings.ToLower(strings.TrimPrefix(o.Format, "."))
	if !knownFormat(o.Format) {
		return o, fmt.Errorf("plots: unknown format %q (want png, svg or pdf)", o.Format)
	}
	if o.Width == 0 {
		o.Width = DefaultWidth
	}
	if o.Height == 0 {
		o.Height = DefaultHeight
	}
	if o.DPI == 0 {
		o.DPI = DefaultDPI
	}
	if o.FontSize == 0 {
		o.FontSize = DefaultFontSize
	}
	if !(o.FontSize >= minFontSize && o.FontSize <= maxFontSize) {
		return o, fmt.Errorf("plots: font size %gpt out of range %g..%gpt", o.FontSize.Points(), minFontSize.Points(), maxFontSize.Points())
	}
	if o.NoCaption {
		o.Caption = ""
	}
	if err := checkSize(o.Width, o.Height, o.DPI); err != nil {
		return o, err
	}
	// Charts are laid out on Width × Height shrunk by the font scale: too
	// small a layout and the titles, labels and notes leave no room for
	// the data.
	if lw, lh := o.layoutWidth(), o.Height/vg.Length(o.scale()); lw < minLayoutWidth || lh < minLayoutHeight {
		most := DefaultFontSize * min(o.Width/minLayoutWidth, o.Height/minLayoutHeight)
		return o, fmt.Errorf("plots: font size %gpt is too large for a chart of %.3gin × %.3gin: at most %.1fpt (or a larger chart)",
			o.FontSize.Points(), o.Width/vg.Inch, o.Height/vg.Inch, math.Floor(float64(most)*10)/10)
	}
	return o, nil
}

func knownFormat(f string) bool {
	for _, k := range Formats {
		if f == k {
			return true
		}
	}
	return false
}

func checkSize(w, h vg.Length, dpi int) error {
	if !(w > 0 && h > 0 && w <= maxSide && h <= maxSide) {
		return fmt.Errorf("plots: image size %.3gin × %.3gin out of range (0, %gin]", w/vg.Inch, h/vg.Inch, maxSide/vg.Inch)
	}
	if dpi <= 0 || dpi > maxDPI {
		return fmt.Errorf("plots: DPI %d out of range 1..%d", dpi, maxDPI)
	}
	if w/vg.Inch*vg.Length(dpi) > maxPixels || h/vg.Inch*vg.Length(dpi) > maxPixels {
		return fmt.Errorf("plots: image of %.0f × %.0f pixels is too large (at most %d a side)",
			w/vg.Inch*vg.Length(dpi), h/vg.Inch*vg.Length(dpi), maxPixels)
	}
	return nil
}

// formatOf returns the format named by path's extension.
func formatOf(path string) (string, error) {
	ext := strings.ToLower(strings.TrimPrefix(filepath.Ext(path), "."))
	if !knownFormat(ext) {
		return "", fmt.Errorf("plots: %s: unknown image format %q (want .png, .svg or .pdf)", path, filepath.Ext(path))
	}
	return ext, nil
}

// Save writes p to path in the format given by its extension (.png, .svg
// or .pdf), at opt's size and resolution and with opt's caption. The file
// is written atomically: it is replaced only once the image is complete.
func Save(p *plot.Plot, path string, opt Options) error {
	format, err := formatOf(path)
	if err != nil {
		return err
	}
	opt.Format = format
	return writeFileAtomic(path, func(w io.Writer) error { return Encode(w, p, format, opt) })
}

// Encode writes p to w as an image in the given format ("png", "svg" or
// "pdf"), at opt's size and resolution and with opt's caption. The same
// plot and options always give the same bytes, in every format.
func Encode(w io.Writer, p *plot.Plot, format string, opt Options) error {
	if p == nil {
		return errors.New("plots: nil plot")
	}
	opt.Format = format
	opt, err := opt.withDefaults()
	if err != nil {
		return err
	}
	if opt.NoTitle && p.Title.Text != "" {
		untitled := *p
		untitled.Title.Text = ""
		p = &untitled
	}
	k := opt.scale()
	return render(w, opt.Format, opt.Width, opt.Height, opt.DPI, func(c draw.Canvas) {
		drawFramed(scaled(c, k), opt.Caption, captionSize, p.Draw)
	})
}

// scale is the factor by which opt's fonts and lines are larger than the
// default style's. opt must have its defaults.
func (opt Options) scale() float64 { return float64(opt.FontSize / DefaultFontSize) }

// layoutWidth is the width of a chart as its builder lays it out: the
// chart's width in the default style's units. opt must have its
// defaults.
func (opt Options) layoutWidth() vg.Length { return opt.Width / vg.Length(opt.scale()) }

// scaled returns a canvas that draws on c magnified k times, of the size
// of c shrunk k times: everything drawn on it, text and lines alike, is k
// times larger relative to the image.
func scaled(c draw.Canvas, k float64) draw.Canvas {
	if k == 1 {
		return c
	}
	c.Translate(c.Min)
	c.Scale(k, k)
	size := c.Size()
	c.Rectangle = vg.Rectangle{Max: vg.Point{X: size.X / vg.Length(k), Y: size.Y / vg.Length(k)}}
	return c
}

// captionSize is the font size of captions.
const captionSize = vg.Length(9.5)

// margin is the white space around a chart.
const margin = vg.Length(8)

// drawFramed fills c with white, draws the caption at its bottom and then
// the content with a margin around it.
func drawFramed(c draw.Canvas, caption string, size vg.Length, content func(draw.Canvas)) {
	c.SetColor(color.White)
	c.Fill(c.Rectangle.Path())
	c = draw.Crop(c, margin, -margin, margin, -margin)
	if caption != "" {
		sty := textStyle(sans, size, grey)
		sty.XAlign = draw.XRight
		sty.YAlign = draw.YBottom
		// A caption is one line if it fits at a readable size, else it
		// breaks between its " · " parts.
		for sty.Width(caption) > c.Size().X && sty.Font.Size > size*0.8 {
			sty.Font.Size *= 0.95
		}
		if sty.Width(caption) > c.Size().X {
			caption = breakCaption(sty, caption, c.Size().X)
		}
		c.FillText(sty, vg.Point{X: c.Max.X, Y: c.Min.Y}, caption)
		c = draw.Crop(c, 0, 0, sty.Height(caption)*1.6, 0)
	}
	content(c)
}

// breakCaption breaks a caption into lines at most width wide, between
// its " · " parts (within a part only if the part alone is too wide).
func breakCaption(sty text.Style, caption string, width vg.Length) string {
	var lines []string
	cur := ""
	for _, part := range strings.Split(caption, " · ") {
		switch {
		case cur == "":
			cur = part
		case sty.Width(cur+" · "+part) <= width:
			cur += " · " + part
		default:
			lines = append(lines, cur)
			cur = part
		}
		if sty.Width(cur) > width {
			wrapped := wrap(sty, cur, width, 0)
			lines = append(lines, wrapped[:len(wrapped)-1]...)
			cur = wrapped[len(wrapped)-1]
		}
	}
	return strings.Join(append(lines, cur), "\n")
}

// render draws into a canvas of the given format and size and writes it
// to w.
func render(w io.Writer, format string, width, height vg.Length, dpi int, drawFn func(draw.Canvas)) error {
	if err := checkSize(width, height, dpi); err != nil {
		return err
	}
	var wt io.WriterTo
	switch format {
	case "png":
		c := vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(dpi))
		drawFn(draw.New(c))
		wt = vgimg.PngCanvas{Canvas: c}
	case "svg":
		c := vgsvg.New(width, height)
		drawFn(draw.New(newOutlineCanvas(c, true)))
		var buf bytes.Buffer
		if _, err := c.WriteTo(&buf); err != nil {
			return err
		}
		wt = bytes.NewReader(dedupeSVGPaths(labelSVGText(buf.Bytes())))
	case "pdf":
		pdfSortOnce.Do(func() { fpdf.SetDefaultCatalogSort(true) })
		c := vgpdf.New(width, height)
		drawFn(draw.New(newOutlineCanvas(pdfCanvas{c}, false)))
		var buf bytes.Buffer
		if _, err := c.WriteTo(&buf); err != nil {
			return err
		}
		wt = bytes.NewReader(fixPDFDates(buf.Bytes()))
	default:
		return fmt.Errorf("plots: unknown format %q (want png, svg or pdf)", format)
	}
	_, err := wt.WriteTo(w)
	return err
}

// pdfSortOnce makes the PDF library write fonts and other resources in a
// fixed order rather than in the random order of its maps, which varies
// from run to run when a PDF has several fonts. The setting is the
// library's default for every document made afterwards; it only changes
// the order of objects in a file.
var pdfSortOnce sync.Once

// pdfDate matches the creation and modification dates that the PDF
// library writes from the clock.
var pdfDate = regexp.MustCompile(`/(CreationDate|ModDate) \(D:\d{14}\)`)

// fixedPDFDate replaces them, with the same length so that the byte
// offsets of the PDF's cross-reference table stay right. It makes PDFs
// reproducible; the date carries no meaning.
const fixedPDFDate = "D:20000101000000"

func fixPDFDates(b []byte) []byte {
	return pdfDate.ReplaceAllFunc(b, func(m []byte) []byte {
		i := bytes.IndexByte(m, '(')
		return append(append(m[:i+1:i+1], fixedPDFDate...), ')')
	})
}

// pdfCanvas works around a bug of vgpdf: it takes the premultiplied
// components of a translucent colour for the colour itself, so that
// translucent fills come out grey; pdfCanvas passes it straight
// components. (Its text, in whole embedded fonts, regular only and in
// Windows-1252, is not used: outlineCanvas draws text as outlines.)
type pdfCanvas struct{ *vgpdf.Canvas }

// straight is a colour whose RGBA method returns components that are not
// premultiplied by alpha, which is what vgpdf expects.
type straight color.NRGBA64

func (c straight) RGBA() (r, g, b, a uint32) {
	return uint32(c.R), uint32(c.G), uint32(c.B), uint32(c.A)
}

func (c pdfCanvas) SetColor(clr color.Color) {
	if clr != nil {
		clr = straight(color.NRGBA64Model.Convert(clr).(color.NRGBA64))
	}
	c.Canvas.SetColor(clr)
}

// writeFileAtomic writes a file atomically (atomicfs.WriteFile), so that
// readers never see a partial image and a failed write leaves the old file
// in place; errors other than write's say they are the package's.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	var werr error
	err := atomicfs.WriteFile(path, func(w io.Writer) error { werr = write(w); return werr })
	if err != nil && err != werr {
		return fmt.Errorf("plots: %w", err)
	}
	return err
}
