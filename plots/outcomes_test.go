package plots

import (
	"errors"
	"math"
	"regexp"
	"testing"

	"github.com/escalate-sim/escalate/sim"
)

// barTops returns the top of each filled bar of colour c, by the x of its
// centre, read back from the drawing.
func barTops(t *testing.T, ps []drawnPath, c interface{ RGBA() (r, g, b, a uint32) }) map[float64]float64 {
	t.Helper()
	out := map[float64]float64{}
	for _, p := range ps {
		if !p.fill || !sameColor(p.color, c) || len(p.pts) != 4 {
			continue
		}
		x := float64(p.pts[0].X+p.pts[2].X) / 2
		out[math.Round(x*100)/100] = float64(max(p.pts[1].Y, p.pts[2].Y))
	}
	return out
}

// tilted matches the rotation of tilted tick labels in SVG.
var tilted = regexp.MustCompile(`rotate\((30|45)\)`)

func TestStageOutcomesOneCountry(t *testing.T) {
	s := known(36)
	p, err := StageOutcomes(s)
	if err != nil {
		t.Fatal(err)
	}
	svg := svgOf(t, p)
	wantTexts(t, svg, "Arcadia: stage in month 36", "Latent", "Escalating", "War", "100%", "Share of runs",
		"whiskers: 95% interval", "At war in any month:", "caption 1")

	// One bar per stage at x = 0, 1, 2: war reaches 1, the others 0.
	ps := paths(t, p)
	for st, want := range map[sim.Stage]float64{sim.Latent: 0, sim.Escalating: 0, sim.War: 1} {
		tops := barTops(t, ps, StageColor(st))
		top, ok := tops[float64(st)]
		if len(tops) != 1 || !ok || math.Abs(top-want) > 1e-6 {
			t.Errorf("%v bars: %v, want one at x=%d reaching %v", st, tops, st, want)
		}
	}
}

func TestStageOutcomesSeveral(t *testing.T) {
	s := several(3, 24)
	p, err := StageOutcomes(s)
	if err != nil {
		t.Fatal(err)
	}
	svg := svgOf(t, p)
	wantTexts(t, svg, "Stage in month 24, by country", "Country A", "Country B", "Country C", "95% interval")
	// War bars are grouped right of each country's centre and reach
	// 1/4, 2/4 and 3/4.
	tops := barTops(t, paths(t, p), StageColor(sim.War))
	for i, want := range []float64{0.25, 0.5, 0.75} {
		x := math.Round((float64(i)+0.28)*100) / 100
		if got, ok := tops[x]; !ok || math.Abs(got-want) > 1e-6 {
			t.Errorf("war bar of country %d: %v (all %v), want top %v at x=%v", i, got, tops, want, x)
		}
	}
	if tilted.MatchString(svg) {
		t.Error("three short names are tilted")
	}
}

func TestStageOutcomesTenCountries(t *testing.T) {
	p, err := StageOutcomes(several(10, 24))
	if err != nil {
		t.Fatal(err)
	}
	svg := svgOf(t, p)
	wantTexts(t, svg, "Country A", "Country J")
	if !tilted.MatchString(svg) {
		t.Error("ten names are not tilted")
	}
}

func TestStageOutcomesErrors(t *testing.T) {
	nan := known(12)
	nan.Countries[0].FinalStage.War = math.NaN()
	none := known(12)
	none.Countries = nil
	for _, tc := range []struct {
		name string
		s    *sim.Summary
		is   error
	}{
		{"nil", nil, nil},
		{"zero runs", func() *sim.Summary { s := known(12); s.Runs = 0; return s }(), ErrNoRuns},
		{"NaN", nan, nil},
		{"no countries", none, nil},
	} {
		p, err := StageOutcomes(tc.s)
		if err == nil || p != nil {
			t.Errorf("%s: got a plot and error %v, want an error", tc.name, err)
		}
		if tc.is != nil && !errors.Is(err, tc.is) {
			t.Errorf("%s: error %v, want %v", tc.name, err, tc.is)
		}
	}
}

func TestWrapName(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Arcadia", "Arcadia"},
		{"Country in minor conflict", "Country in\nminor conflict"},
		{"Averyveryverylongname", "Averyveryverylongname"},
	} {
		if got := wrapName(tc.in); got != tc.want {
			t.Errorf("wrapName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
