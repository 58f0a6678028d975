package plots

import (
	"bytes"
	"errors"
	"fmt"
	"gonum.org/v1/plot/text"
	"image/color"
	"io"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"codeberg.org/go-pdf/fpdf"
	xfont "golang.org/x/image/font"
	"golang.org/x/text/unicode/norm"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
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
}

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
	return o, checkSize(o.Width, o.Height, o.DPI)
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
	return render(w, opt.Format, opt.Width, opt.Height, opt.DPI, func(c draw.Canvas) {
		drawFramed(c, opt.Caption, captionSize, p.Draw)
	})
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
		c := &svgCanvas{Canvas: vgsvg.New(width, height)}
		drawFn(draw.New(c))
		var buf bytes.Buffer
		if _, err := c.WriteTo(&buf); err != nil {
			return err
		}
		wt = bytes.NewReader(svgTextLengths(svgFontFallback(buf.Bytes()), c.widths))
	case "pdf":
		pdfSortOnce.Do(func() { fpdf.SetDefaultCatalogSort(true) })
		c := vgpdf.New(width, height)
		drawFn(draw.New(pdfCanvas{c}))
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

// svgCanvas records the width of every string drawn, as the layout
// measured it in Liberation Sans, for svgTextLengths.
type svgCanvas struct {
	*vgsvg.Canvas
	widths []vg.Length
}

func (c *svgCanvas) FillString(f font.Face, pt vg.Point, s string) {
	c.widths = append(c.widths, f.Width(s))
	c.Canvas.FillString(f, pt, s)
}

// svgTextLengths gives the i'th <text> element of an SVG the length
// widths[i], squeezing or stretching it to that width: a viewer without
// Liberation Sans or a metric-compatible font (a Linux desktop with only
// DejaVu Sans, which is wider) then still fits every label into the room
// the layout gave it instead of running it into its neighbours. Browsers
// and Inkscape honour textLength; librsvg ignores it. If the count of text
// elements differs from the strings drawn, b is returned unchanged.
func svgTextLengths(b []byte, widths []vg.Length) []byte {
	const open = "<text "
	if bytes.Count(b, []byte(open)) != len(widths) {
		return b
	}
	var out bytes.Buffer
	out.Grow(len(b) + len(widths)*48)
	for _, w := range widths {
		i := bytes.Index(b, []byte(open))
		out.Write(b[:i+len(open)])
		fmt.Fprintf(&out, `textLength="%.5g" lengthAdjust="spacingAndGlyphs" `, w.Points())
		b = b[i+len(open):]
	}
	out.Write(b)
	return out.Bytes()
}

// svgFontFamilies are the fonts an SVG asks for, in order: Liberation
// Sans, then fonts with the same letter widths (Arimo, Arial, Helvetica and
// its clones Nimbus Sans and TeX Gyre Heros), then any sans-serif.
const svgFontFamilies = "Liberation Sans,Arimo,Arial,Helvetica,Nimbus Sans,Nimbus Sans L,TeX Gyre Heros,sans-serif"

// svgFontFallback lets SVG viewers without Liberation Sans use a
// metric-compatible font, so that text keeps the room the layout gave it.
func svgFontFallback(b []byte) []byte {
	return bytes.ReplaceAll(b, []byte("font-family:Liberation Sans;"), []byte("font-family:"+svgFontFamilies+";"))
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

// pdfCanvas works around two bugs of vgpdf:
//   - it writes text as UTF-8 bytes in fonts that it encodes as
//     Windows-1252, which garbles every non-ASCII character ("–", "·",
//     "é"): pdfCanvas converts text to Windows-1252 (the minus sign is
//     drawn as an en dash, arrows and the like spelled out, accented
//     letters outside it as their base letter, anything else as "?");
//   - it registers bold and italic fonts under one name and then asks for
//     them under another, and fails with "undefined font"; and every font
//     it embeds has the same file name, so that the PDF library embeds the
//     first font's glyphs for all of them (regular text came out bold):
//     pdfCanvas draws all text in the regular face, the only font of the
//     PDF, so titles are regular rather than bold in PDF;
//   - it takes the premultiplied components of a translucent colour for
//     the colour itself, so that translucent fills come out grey:
//     pdfCanvas passes it straight components.
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

func (c pdfCanvas) FillString(f font.Face, pt vg.Point, s string) {
	if f.Font.Weight != xfont.WeightNormal || f.Font.Style != xfont.StyleNormal {
		regular := f.Font
		regular.Weight, regular.Style = xfont.WeightNormal, xfont.StyleNormal
		f = font.DefaultCache.Lookup(regular, f.Font.Size)
	}
	c.Canvas.FillString(f, pt, toCP1252(s))
}

// cp1252 maps the characters of Windows-1252 in 0x80..0x9f.
var cp1252 = map[rune]byte{
	'€': 0x80, '‚': 0x82, 'ƒ': 0x83, '„': 0x84, '…': 0x85, '†': 0x86, '‡': 0x87,
	'ˆ': 0x88, '‰': 0x89, 'Š': 0x8a, '‹': 0x8b, 'Œ': 0x8c, 'Ž': 0x8e,
	'‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '•': 0x95, '–': 0x96, '—': 0x97,
	'˜': 0x98, '™': 0x99, 'š': 0x9a, '›': 0x9b, 'œ': 0x9c, 'ž': 0x9e, 'Ÿ': 0x9f,
}

// pdfFallback spells characters that the charts use and Windows-1252
// lacks.
var pdfFallback = map[rune]string{'→': "->", '←': "<-", '≤': "<=", '≥': ">=", '≈': "~"}

// inCP1252 reports whether Windows-1252 has r.
func inCP1252(r rune) bool {
	_, ok := cp1252[r]
	return r < 0x80 || r >= 0xa0 && r <= 0xff || ok
}

// toCP1252 encodes s for the PDF's Windows-1252 font encoding, the only one
// vgpdf offers, spelling or simplifying the characters it lacks.
func toCP1252(s string) string {
	ascii := true
	for i := range len(s) {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	b := make([]byte, 0, len(s))
	for _, r := range s {
		switch {
		case r < 0x80, r >= 0xa0 && r <= 0xff:
			b = append(b, byte(r))
		case r == '\u2212':
			// The minus sign, used in differences, is not in
			// Windows-1252: an en dash looks the same.
			b = append(b, cp1252['–'])
		default:
			if c, ok := cp1252[r]; ok {
				b = append(b, c)
			} else if alt, ok := pdfFallback[r]; ok {
				b = append(b, alt...)
			} else if base := []rune(norm.NFD.String(string(r)))[0]; base != r && inCP1252(base) {
				// A letter with a mark Windows-1252 lacks (the č of
				// Jenča, the Ǽ of Æ): its base letter, not a question
				// mark.
				b = append(b, toCP1252(string(base))...)
			} else {
				b = append(b, '?')
			}
		}
	}
	return string(b)
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
