package plots

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
)

func figureSVG(t *testing.T, f *Figure) string {
	t.Helper()
	var buf bytes.Buffer
	if err := f.Encode(&buf, "svg"); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestDashboardTension(t *testing.T) {
	s := known(24)
	f, err := Dashboard(s, "escalate test · known")
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Panels) != 2 || len(f.Panels[0]) != 3 || len(f.Panels[1]) != 3 || f.Panels[1][2] != nil {
		t.Fatalf("panels %v, want 2 rows of 3 with the last empty for the notes", f.Panels)
	}
	svg := figureSVG(t, f)
	wantTexts(t, svg, "A known answer", "Scenario known · 100 runs · seed 7 · 24 months · tension dynamics",
		"Arcadia: stage in month 24", "Arcadia: time to first war", "Arcadia: months at war",
		"Arcadia: tension by month", "Arcadia: stage by month",
		"War within 24 months: 100% of runs", "Median time to war: 10 months", "Missions",
		"escalate test · known")
}

func TestDashboardMarkov(t *testing.T) {
	f, err := Dashboard(peaceful(12), "")
	if err != nil {
		t.Fatal(err)
	}
	svg := figureSVG(t, f)
	if hasText(svg, "tension by month") {
		t.Error("a tension panel for markov dynamics")
	}
	wantTexts(t, svg, "Pax: stage by month", "Median time to war: not reached")
}

func TestDashboardSeveralCountries(t *testing.T) {
	s := several(4, 12)
	f, err := Dashboard(s, "")
	if err != nil {
		t.Fatal(err)
	}
	svg := figureSVG(t, f)
	// Country D is most often at war: the country panels show it.
	wantTexts(t, svg, "Stage in month 12, by country", "Time to first war", "Country D: months at war",
		"Country D: tension by month", "country charts: Country D (most often at war)",
		"Runs with war within 12 months", "Any country:")
	if hasText(svg, "Country A: months at war") {
		t.Error("panels of a country other than the focus")
	}
}

// With no war anywhere, the subtitle does not call the first country the
// one most often at war.
func TestDashboardNoWarAnywhere(t *testing.T) {
	s := several(3, 12)
	for i := range s.Countries {
		s.Countries[i].PWar = 0
	}
	f, err := Dashboard(s, "")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(f.Subtitle, "country charts: Country A (no country at war in any run)") {
		t.Errorf("subtitle %q", f.Subtitle)
	}
}

func TestDashboardManyCountries(t *testing.T) {
	f, err := Dashboard(several(10, 12), "")
	if err != nil {
		t.Fatal(err)
	}
	svg := figureSVG(t, f)
	wantTexts(t, svg, "(5 more countries)")
}

func TestDashboardErrors(t *testing.T) {
	s := known(12)
	s.Runs = 0
	if _, err := Dashboard(s, ""); !errors.Is(err, ErrNoRuns) {
		t.Errorf("zero runs: %v, want ErrNoRuns", err)
	}
	if _, err := Dashboard(nil, ""); err == nil {
		t.Error("nil summary: no error")
	}
	var nilFig *Figure
	if err := nilFig.Encode(&bytes.Buffer{}, "png"); err == nil {
		t.Error("nil figure: no error")
	}
	f := &Figure{Title: "x"}
	if err := f.Encode(&bytes.Buffer{}, "gif"); err == nil {
		t.Error("gif: no error")
	}
	if err := f.Save("x.gif"); err == nil {
		t.Error("x.gif: no error")
	}
}

func TestFigureLayouts(t *testing.T) {
	p, err := StageOutcomes(known(12))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		f    *Figure
		want []string
	}{
		{"notes only", &Figure{Title: "T", Notes: []string{"# Heading", "a line"}}, []string{"T", "Heading", "a line"}},
		{"ragged rows", &Figure{Panels: [][]*plot.Plot{{p}, {p, nil}}, Notes: []string{"note"}}, []string{"note", "Arcadia: stage in month 12"}},
		{"empty", &Figure{}, nil},
		{"small", &Figure{Title: strings.Repeat("long title ", 20), Width: 3 * vg.Inch, Height: 2 * vg.Inch, Panels: [][]*plot.Plot{{p}}}, nil},
	} {
		svg := figureSVG(t, tc.f)
		wantTexts(t, svg, tc.want...)
	}
}

func TestWrap(t *testing.T) {
	sty := textStyle(sans, 10, Black)
	w := sty.Width("aaaa bbbb")
	lines := wrap(sty, "aaaa bbbb cccc dddd", w, 0)
	if len(lines) != 2 || lines[0] != "aaaa bbbb" || lines[1] != "cccc dddd" {
		t.Errorf("wrap = %q", lines)
	}
	if got := wrap(sty, "", w, 0); len(got) != 1 {
		t.Errorf("wrap of nothing = %q", got)
	}
}
