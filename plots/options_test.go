package plots

import (
	"bytes"
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"
)

// A figure for a paper's column: the image has the size asked for.
func TestOptionsSize(t *testing.T) {
	p := charts(t)["outcomes"]
	opt := Options{Width: 3.5 * vg.Inch, Height: 2.6 * vg.Inch, FontSize: 8, DPI: 300}
	var buf bytes.Buffer
	if err := Encode(&buf, p, "png", opt); err != nil {
		t.Fatal(err)
	}
	cfg, err := png.DecodeConfig(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Width != 1050 || cfg.Height != 780 {
		t.Errorf("PNG is %d × %d, want 1050 × 780", cfg.Width, cfg.Height)
	}
	buf.Reset()
	if err := Encode(&buf, p, "svg", opt); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `<svg width="252pt" height="187.2pt"`) {
		t.Errorf("SVG header %.120q", buf.String())
	}
}

// titleWidth returns the width in pixels of the first line of dark pixels
// from the top of img: the chart's title.
func titleWidth(img image.Image) int {
	b := img.Bounds()
	lo, hi := b.Max.X, b.Min.X
	inTitle := false
	for y := b.Min.Y; y < b.Max.Y; y++ {
		dark := false
		for x := b.Min.X; x < b.Max.X; x++ {
			if luminance(img.At(x, y)) < 0.5 {
				dark = true
				lo, hi = min(lo, x), max(hi, x)
			}
		}
		if inTitle && !dark {
			break
		}
		inTitle = inTitle || dark
	}
	return hi - lo + 1
}

// FontSize scales text: the title is 1.2 times as wide at 15 points as at
// the default 12.5, in an image of the same size.
func TestFontSizeScalesText(t *testing.T) {
	p := charts(t)["outcomes"]
	width := func(size vg.Length) int {
		var buf bytes.Buffer
		if err := Encode(&buf, p, "png", Options{FontSize: size, DPI: 100}); err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(&buf)
		if err != nil {
			t.Fatal(err)
		}
		if img.Bounds().Dx() != 800 {
			t.Fatalf("image %v wide, want 800", img.Bounds())
		}
		return titleWidth(img)
	}
	base, larger := width(0), width(15)
	if base < 200 {
		t.Fatalf("title %d px wide", base)
	}
	if r := float64(larger) / float64(base); r < 1.18 || r > 1.22 {
		t.Errorf("title %d px wide at 15pt, %d px at 12.5pt: ratio %.3f, want 1.2", larger, base, r)
	}
}

func TestFontSizeLimits(t *testing.T) {
	for _, tc := range []struct {
		opt  Options
		want string // in the error; "" for none
	}{
		{Options{FontSize: 17.8}, ""},
		{Options{FontSize: 3}, "out of range 4..40pt"},
		{Options{FontSize: 41, Width: 40 * vg.Inch, Height: 30 * vg.Inch}, "out of range"},
		{Options{FontSize: 20}, "too large for a chart of 8in × 5in: at most 17.8pt"},
		{Options{FontSize: 8, Width: 3.5 * vg.Inch, Height: 2.6 * vg.Inch}, ""},
		{Options{Width: 3.5 * vg.Inch, Height: 2.6 * vg.Inch}, "at most 9.2pt"},
	} {
		err := tc.opt.Check()
		if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%+v: error %v, want %q", tc.opt, err, tc.want)
		}
	}
}

// NoTitle and NoCaption drop the title and the caption, and nothing else.
func TestNoTitleNoCaption(t *testing.T) {
	p := charts(t)["occupancy"]
	title := p.Title.Text
	const caption = "escalate 0.1.0 · known · 100 runs"
	for _, tc := range []struct {
		opt               Options
		hasTitle, hasCapt bool
	}{
		{Options{}, true, true},
		{Options{NoTitle: true}, false, true},
		{Options{NoCaption: true}, true, false},
		{Options{NoTitle: true, NoCaption: true}, false, false},
	} {
		tc.opt.Caption = caption
		var buf bytes.Buffer
		if err := Encode(&buf, p, "svg", tc.opt); err != nil {
			t.Fatal(err)
		}
		svg := buf.String()
		if hasText(svg, title) != tc.hasTitle || hasText(svg, "escalate 0.1.0") != tc.hasCapt || !hasText(svg, "Share of runs") {
			t.Errorf("%+v: texts %q", tc.opt, texts(svg))
		}
	}
	if p.Title.Text != title {
		t.Error("NoTitle changed the plot")
	}
	// The dashboard's title and subtitle go too.
	dir := t.TempDir()
	s := several(2, 24)
	paths, err := WriteAll(dir, s, Options{Format: "svg", NoTitle: true, NoCaption: true, Caption: caption, Charts: []string{"dashboard"}})
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	f, _ := Dashboard(s, caption)
	if hasText(string(data), f.Title) || hasText(string(data), f.Subtitle) || hasText(string(data), "escalate 0.1.0") || !hasText(string(data), "Share of runs") {
		t.Errorf("dashboard texts %q", texts(string(data)))
	}
}

func TestChartSelection(t *testing.T) {
	s := several(2, 24)
	names := func(paths []string) []string {
		var out []string
		for _, p := range paths {
			out = append(out, strings.TrimSuffix(filepath.Base(p), ".svg"))
		}
		return out
	}
	for _, tc := range []struct {
		charts []string
		want   []string
		err    string
	}{
		{[]string{"outcomes"}, []string{"outcomes"}, ""},
		{[]string{"occupancy", "survival"}, []string{"survival", "occupancy-c0", "occupancy-c1"}, ""},
		{[]string{"war-months-c1"}, []string{"war-months-c1"}, ""},
		{[]string{"outcomes", "occupancy-c9", "pwar"}, nil, `no chart named "occupancy-c9", "pwar"; the charts are dashboard, outcomes, survival, tension-c0,`},
	} {
		dir := t.TempDir()
		paths, err := WriteAll(dir, s, Options{Format: "svg", Charts: tc.charts})
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: error %v, want %q", tc.charts, err, tc.err)
			}
			if files, _ := os.ReadDir(dir); len(files) != 0 {
				t.Errorf("%q: %d files written after an error", tc.charts, len(files))
			}
			continue
		}
		if err != nil {
			t.Fatalf("%q: %v", tc.charts, err)
		}
		got := names(paths)
		if strings.Join(got, " ") != strings.Join(tc.want, " ") {
			t.Errorf("%q: wrote %q, want %q", tc.charts, got, tc.want)
		}
		files, _ := os.ReadDir(dir)
		var onDisk []string
		for _, f := range files {
			onDisk = append(onDisk, strings.TrimSuffix(f.Name(), ".svg"))
		}
		want := append([]string(nil), tc.want...)
		sort.Strings(want)
		if strings.Join(onDisk, " ") != strings.Join(want, " ") {
			t.Errorf("%q: files %q", tc.charts, onDisk)
		}
	}
	// Comparisons select by their names too.
	paths, err := WriteCompare(t.TempDir(), comparison(3), Options{Format: "svg", Charts: []string{"compare-cost"}})
	if err != nil || len(paths) != 1 || filepath.Base(paths[0]) != "compare-cost.svg" {
		t.Errorf("WriteCompare: %q, %v", paths, err)
	}
}

// A dashboard keeps a layout of at least 13 × 7 inches: its fonts shrink
// more than the charts' when it is small.
func TestDashboardFontScale(t *testing.T) {
	for _, tc := range []struct {
		opt  Options
		want float64
	}{
		{Options{}, 1},
		{Options{FontSize: 15}, 1.2},
		{Options{Width: 3.5 * vg.Inch, Height: 2.6 * vg.Inch, FontSize: 8}, 7.0 / 13},
	} {
		opt, err := tc.opt.withDefaults()
		if err != nil {
			t.Fatal(err)
		}
		var f Figure
		opt.dashboard(&f)
		if math.Abs(f.FontScale-tc.want) > 1e-9 {
			t.Errorf("%+v: font scale %v, want %v", tc.opt, f.FontScale, tc.want)
		}
		if lw, lh := f.Width/vg.Length(f.FontScale), f.Height/vg.Length(f.FontScale); lw < minDashboardWidth-1e-9 || lh < minDashboardHeight-1e-9 {
			t.Errorf("%+v: laid out on %.3g × %.3g in", tc.opt, lw/vg.Inch, lh/vg.Inch)
		}
	}
}
