package plots

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/vgimg"
)

// lumaOf returns the luminance of each pixel of img, in [0, 1].
func lumaOf(img image.Image) []float64 {
	b := img.Bounds()
	out := make([]float64, 0, b.Dx()*b.Dy())
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			out = append(out, luminance(img.At(x, y)))
		}
	}
	return out
}

// meanDiff is the mean absolute difference of two images' luminance.
func meanDiff(a, b []float64) float64 {
	var sum float64
	for i := range a {
		sum += math.Abs(a[i] - b[i])
	}
	return sum / float64(len(a))
}

// Outlines must be where the PNG's rasterised text is, at its size and
// weight: drawn on the same raster canvas, they differ from text only by
// anti-aliasing and the rasteriser's snapping of text to its pixel grid
// (about 0.2 points here), far less than text moved by one point or drawn
// in the other weight.
func TestOutlinesMatchText(t *testing.T) {
	const s = "Tension (0–1) · Côte d’Ivoire, Ağ → 36%"
	draw1 := func(weight xfont.Weight, outline bool, dx, dy vg.Length) []float64 {
		c := vgimg.NewWith(vgimg.UseWH(6*vg.Inch, 0.6*vg.Inch), vgimg.UseDPI(144), vgimg.UseBackgroundColor(color.White))
		var cv vg.CanvasSizer = c
		if outline {
			cv = newOutlineCanvas(c, false)
		}
		f := sans
		f.Weight = weight
		face := font.DefaultCache.Lookup(f, 18)
		cv.SetColor(color.Black)
		cv.FillString(face, vg.Point{X: 10 + dx, Y: 12 + dy}, s)
		return lumaOf(c.Image())
	}
	for _, w := range []xfont.Weight{xfont.WeightNormal, xfont.WeightBold} {
		text := draw1(w, false, 0, 0)
		// The best match within the pixel snapping.
		same := math.Inf(1)
		for _, dx := range []vg.Length{-0.4, -0.2, 0, 0.2, 0.4} {
			for _, dy := range []vg.Length{-0.4, -0.2, 0, 0.2, 0.4} {
				same = math.Min(same, meanDiff(text, draw1(w, true, dx, dy)))
			}
		}
		moved := meanDiff(text, draw1(w, true, 1, 0))
		other := xfont.WeightBold
		if w == other {
			other = xfont.WeightNormal
		}
		weight := meanDiff(text, draw1(other, true, 0, 0))
		if !(same < moved/5 && same < weight/5) {
			t.Errorf("weight %v: outlines differ from text by %.4g; moved by 1pt %.4g, other weight %.4g", w, same, moved, weight)
		}
	}
}

// svgCharts returns the SVG of each chart of charts and of a dashboard.
func svgCharts(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	for name, p := range charts(t) {
		out[name] = svgOf(t, p)
	}
	f, err := Dashboard(several(3, 24), "escalate · caption")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Encode(&buf, "svg"); err != nil {
		t.Fatal(err)
	}
	out["dashboard"] = buf.String()
	return out
}

// An SVG chart needs no font: it has no text elements, names no font
// family, and every glyph it uses is defined in the file.
func TestSVGSelfContained(t *testing.T) {
	use := regexp.MustCompile(`<use xlink:href="#(g\d+)"`)
	def := regexp.MustCompile(`<path id="(g\d+)"`)
	for name, svg := range svgCharts(t) {
		for _, unwanted := range []string{"<text", "font-family", "@font-face", "url(http"} {
			if strings.Contains(svg, unwanted) {
				t.Errorf("%s: SVG has %q", name, unwanted)
			}
		}
		defined := map[string]bool{}
		for _, m := range def.FindAllStringSubmatch(svg, -1) {
			defined[m[1]] = true
		}
		uses := use.FindAllStringSubmatch(svg, -1)
		if len(uses) < 50 {
			t.Errorf("%s: %d glyphs used", name, len(uses))
		}
		for _, m := range uses {
			if !defined[m[1]] {
				t.Errorf("%s: glyph %s used but not defined", name, m[1])
				break
			}
		}
		// The text is still there for screen readers and search.
		if len(texts(svg)) < 5 {
			t.Errorf("%s: labelled texts %q", name, texts(svg))
		}
	}
}

func TestDedupeSVGPaths(t *testing.T) {
	in := "<?xml version=\"1.0\"?>\n<svg width=\"1pt\"\n\txmlns=\"x\">\n<g>\n" +
		"<g transform=\"translate(0, 0)\">\n<path d=\"M1,2Z\" style=\"fill:#555555\" />\n</g>\n" +
		"<g transform=\"translate(520, 0)\">\n<path d=\"M1,2Z\"  />\n</g>\n" +
		"<g transform=\"translate(3, 4)\">\n<path d=\"M1,2Z\"  />\n</g>\n</g>\n</svg>\n"
	want := "<?xml version=\"1.0\"?>\n<svg width=\"1pt\"\n\txmlns=\"x\">\n<defs>\n<path id=\"g0\" d=\"M1,2Z\"/>\n</defs>\n<g>\n" +
		"<use xlink:href=\"#g0\" x=\"0\" style=\"fill:#555555\"/>\n" +
		"<use xlink:href=\"#g0\" x=\"520\"/>\n" +
		// Moved off the baseline: not a glyph of outlineCanvas, kept.
		"<g transform=\"translate(3, 4)\">\n<path d=\"M1,2Z\"  />\n</g>\n</g>\n</svg>\n"
	if got := string(dedupeSVGPaths([]byte(in))); got != want {
		t.Errorf("dedupeSVGPaths =\n%s\nwant\n%s", got, want)
	}
	// Without glyphs, nothing changes.
	if got := string(dedupeSVGPaths([]byte("<svg>\n</svg>\n"))); got != "<svg>\n</svg>\n" {
		t.Errorf("dedupeSVGPaths without glyphs = %q", got)
	}
}

// A renderer with no fonts at all (librsvg's rsvg-convert, under a
// fontconfig that lists no font directory; with fonts named in the SVG it
// drew nothing or substituted a wider font) draws SVG charts as the PNG
// backend draws them.
func TestSVGWithoutFonts(t *testing.T) {
	rsvg, err := exec.LookPath("rsvg-convert")
	if err != nil {
		t.Skip("rsvg-convert is not installed (apt-get install librsvg2-bin): cannot check SVG rendering without fonts")
	}
	dir := t.TempDir()
	conf := filepath.Join(dir, "fonts.conf")
	cfg := `<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig><cachedir>` + dir + `</cachedir></fontconfig>`
	if err := os.WriteFile(conf, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"occupancy", "outcomes"} {
		p := charts(t)[name]
		opt := Options{Caption: "escalate 0.1.0 · known · 100 runs · seed 7", DPI: 100}
		var svg, want bytes.Buffer
		if err := Encode(&svg, p, "svg", opt); err != nil {
			t.Fatal(err)
		}
		if err := Encode(&want, p, "png", opt); err != nil {
			t.Fatal(err)
		}
		svgPath := filepath.Join(dir, name+".svg")
		if err := os.WriteFile(svgPath, svg.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(rsvg, "--width", "800", "--height", "500", "--background-color", "white", svgPath)
		cmd.Env = append(os.Environ(), "FONTCONFIG_FILE="+conf)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("rsvg-convert: %v", err)
		}
		got, err := png.Decode(bytes.NewReader(out))
		if err != nil {
			t.Fatal(err)
		}
		ref, err := png.Decode(&want)
		if err != nil {
			t.Fatal(err)
		}
		if got.Bounds() != ref.Bounds() {
			t.Fatalf("%s: rsvg-convert gave %v, PNG is %v", name, got.Bounds(), ref.Bounds())
		}
		// Dark pixels (text, lines, marks) in one image and not in the
		// other: anti-aliasing gives a few, missing or wider text many.
		g, r := lumaOf(got), lumaOf(ref)
		var dark, differ int
		for i := range g {
			if g[i] < 0.5 || r[i] < 0.5 {
				dark++
				if (g[i] < 0.5) != (r[i] < 0.5) {
					differ++
				}
			}
		}
		// 15% and 24% when SVG text named its font; under 1% in outlines.
		share := float64(differ) / float64(dark)
		t.Logf("%s: %.1f%% of dark pixels differ", name, 100*share)
		if share > 0.1 {
			t.Errorf("%s: %d of %d dark pixels differ between rsvg-convert without fonts and the PNG", name, differ, dark)
		}
	}
}
