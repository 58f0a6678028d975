package plots

import (
	"bytes"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
)

// charts returns one chart of each kind, of a summary with known answers.
func charts(t testing.TB) map[string]*plot.Plot {
	t.Helper()
	s := known(24)
	out := map[string]*plot.Plot{}
	add := func(name string, p *plot.Plot, err error) {
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out[name] = p
	}
	p, err := StageOutcomes(s)
	add("outcomes", p, err)
	p, err = TimeToWar("Time to war", s.HorizonMonths, SurvivalSeries(s))
	add("survival", p, err)
	p, err = TensionFan(s, 0)
	add("fan", p, err)
	p, err = Occupancy(s, 0)
	add("occupancy", p, err)
	p, err = WarMonths(s, 0)
	add("war months", p, err)
	return out
}

func TestEncodeDeterministic(t *testing.T) {
	for name, p := range charts(t) {
		for _, format := range []string{"svg", "pdf"} {
			var a, b bytes.Buffer
			opt := Options{Caption: "escalate 0.1.0 · known · 100 runs · seed 7"}
			if err := Encode(&a, p, format, opt); err != nil {
				t.Fatalf("%s %s: %v", name, format, err)
			}
			if err := Encode(&b, p, format, opt); err != nil {
				t.Fatalf("%s %s: %v", name, format, err)
			}
			if !bytes.Equal(a.Bytes(), b.Bytes()) {
				t.Errorf("%s: two %s encodings differ", name, format)
			}
		}
	}
	// PNG is slower to encode: one chart, and the dashboard below.
	var a, b bytes.Buffer
	p := charts(t)["fan"]
	if err := Encode(&a, p, "png", Options{}); err != nil {
		t.Fatal(err)
	}
	if err := Encode(&b, p, "png", Options{}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two PNG encodings differ")
	}
	cfg, err := png.DecodeConfig(&a)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Width != 1600 || cfg.Height != 1000 {
		t.Errorf("PNG is %d × %d, want 1600 × 1000", cfg.Width, cfg.Height)
	}
}

func TestDashboardDeterministic(t *testing.T) {
	enc := func(format string) []byte {
		f, err := Dashboard(several(3, 24), "caption")
		if err != nil {
			t.Fatal(err)
		}
		f.DPI = 40 // small and fast
		var buf bytes.Buffer
		if err := f.Encode(&buf, format); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	for _, format := range Formats {
		if !bytes.Equal(enc(format), enc(format)) {
			t.Errorf("two %s dashboards differ", format)
		}
	}
}

func TestPDF(t *testing.T) {
	var buf bytes.Buffer
	// The fan has bold text, translucent fills and an en dash.
	if err := Encode(&buf, charts(t)["fan"], "pdf", Options{Caption: "café · 1–2 · Jenča → Łódź"}); err != nil {
		t.Fatal(err)
	}
	pdf := buf.String()
	for _, want := range []string{"/CreationDate (D:20000101000000)", "/ModDate (D:20000101000000)"} {
		if !strings.Contains(pdf, want) {
			t.Errorf("PDF lacks %q", want)
		}
	}
	// Text is drawn in outlines: no font to embed (vgpdf embedded the
	// whole of Liberation Sans, about 220 KB, in every file).
	for _, unwanted := range []string{"/FontFile", "/BaseFont", "/Type /Font"} {
		if strings.Contains(pdf, unwanted) {
			t.Errorf("PDF has %q", unwanted)
		}
	}
	if n := buf.Len(); n > 100_000 {
		t.Errorf("PDF of a chart is %d bytes, want at most 100 KB", n)
	}
}

func TestFixPDFDates(t *testing.T) {
	in := []byte("<< /CreationDate (D:20261127001254)\n/ModDate (D:20261127001255) >>")
	want := "<< /CreationDate (D:20000101000000)\n/ModDate (D:20000101000000) >>"
	if got := string(fixPDFDates(in)); got != want {
		t.Errorf("fixPDFDates = %q, want %q", got, want)
	}
	if len(fixPDFDates(in)) != len(in) {
		t.Error("fixPDFDates changed the length")
	}
}

func TestSave(t *testing.T) {
	dir := t.TempDir()
	p := charts(t)["outcomes"]
	path := filepath.Join(dir, "chart.svg")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Save(p, path, Options{}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil || !bytes.HasPrefix(data, []byte("<?xml")) {
		t.Errorf("chart.svg: %v, %.20q", err, data)
	}
	// Failures leave no file and no temporary file behind.
	for _, bad := range []struct {
		path string
		opt  Options
	}{
		{filepath.Join(dir, "chart.gif"), Options{}},
		{filepath.Join(dir, "noext"), Options{}},
		{filepath.Join(dir, "missing", "chart.png"), Options{}},
		{filepath.Join(dir, "big.png"), Options{DPI: 5000}},
		{filepath.Join(dir, "neg.png"), Options{Width: -1}},
		{filepath.Join(dir, "huge.png"), Options{Width: 90 * vg.Inch, DPI: 1000}},
	} {
		if err := Save(p, bad.path, bad.opt); err == nil {
			t.Errorf("Save(%s, %+v): no error", bad.path, bad.opt)
		}
	}
	if err := Save(nil, filepath.Join(dir, "nil.png"), Options{}); err == nil {
		t.Error("Save of a nil plot: no error")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("files left: %q, want only chart.svg", names)
	}
}

func TestOptions(t *testing.T) {
	o, err := Options{}.withDefaults()
	if err != nil || o.Format != "png" || o.Width != DefaultWidth || o.Height != DefaultHeight || o.DPI != DefaultDPI {
		t.Errorf("defaults: %+v, %v", o, err)
	}
	if o, err := (Options{Format: ".SVG"}).withDefaults(); err != nil || o.Format != "svg" {
		t.Errorf(".SVG: %+v, %v", o, err)
	}
	if _, err := (Options{Format: "gif"}).withDefaults(); err == nil {
		t.Error("gif: no error")
	}
}

func TestBreakCaption(t *testing.T) {
	sty := textStyle(sans, captionSize, grey)
	parts := []string{"escalate 0.1.0", "guinea-2009", "10000 runs", "seed 20091228"}
	for k := range 8 {
		parts = append(parts, fmt.Sprintf("intervention.unowa.startup_delay_months=%d", k))
	}
	caption := strings.Join(parts, " · ")
	width := 6 * vg.Inch
	got := breakCaption(sty, caption, width)
	lines := strings.Split(got, "\n")
	if len(lines) < 2 {
		t.Fatalf("one line %q for a caption %v wide in %v", got, sty.Width(caption), width)
	}
	for _, l := range lines {
		if sty.Width(l) > width {
			t.Errorf("line %q is wider than %v", l, width)
		}
	}
	// Nothing lost, and lines break between parts.
	if strings.ReplaceAll(got, "\n", " · ") != caption {
		t.Errorf("broken caption %q does not rejoin to %q", got, caption)
	}
	// A single part wider than the line is wrapped at spaces.
	long := strings.Repeat("word ", 60)
	for _, l := range strings.Split(breakCaption(sty, strings.TrimSpace(long), width), "\n") {
		if sty.Width(l) > width {
			t.Errorf("line %q is wider than %v", l, width)
		}
	}
}
