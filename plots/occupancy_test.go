package plots

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"

	"github.com/escalate-sim/escalate/sim"
)

func TestOccupancyAreas(t *testing.T) {
	s := known(24)
	p, err := Occupancy(s, 0)
	if err != nil {
		t.Fatal(err)
	}
	wantTexts(t, svgOf(t, p), "Arcadia: stage by month", "Share of runs", "Month", "Latent", "Escalating", "War",
		"Mission launched", "Mission first acts")

	// Stacked from the bottom: war (1 from month 10), war + escalating (1
	// from month 5), all three (1 throughout).
	from := map[sim.Stage]int{sim.War: warAt, sim.Escalating: 5, sim.Latent: 0}
	found := map[sim.Stage]bool{}
	for _, d := range paths(t, p) {
		for st, m0 := range from {
			if !d.fill || !sameColor(d.color, StageColor(st)) {
				continue
			}
			found[st] = true
			// The first and last vertices close the area on the x axis.
			for _, pt := range d.pts[1 : len(d.pts)-1] {
				want := 0.0
				if pt.X >= vgLen(m0) {
					want = 1
				}
				if !near(pt.Y, want, 1e-6) {
					t.Errorf("%v area at month %v: %v, want %v", st, pt.X, pt.Y, want)
				}
			}
		}
	}
	if len(found) != 3 {
		t.Errorf("areas found: %v, want all three stages", found)
	}
}

func TestOccupancyMissions(t *testing.T) {
	s := known(24)
	s.Interventions[1].PLaunched = 0.62
	late := s.Interventions[0]
	late.Name, late.StartMonth = "Late", 30
	s.Interventions = append(s.Interventions, late)
	p, err := Occupancy(s, 0)
	if err != nil {
		t.Fatal(err)
	}
	svg := svgOf(t, p)
	wantTexts(t, svg,
		"Advisers: launched month 2, acts from month 4",
		"Mediators: sent on escalation in 62% of runs, acts from month 6",
		"Monitors: launched month 3, never acts",
		"Late: launched month 30 (after the horizon), acts from month 4")
	if hasText(svg, "Elsewhere") {
		t.Error("a mission of another country is marked")
	}

	// Vertical lines from the x axis to the top of the data area, thin,
	// and on from there up to their labels, wider: launches of Advisers
	// (2) and Monitors (3), first actions of Advisers and Late (4) and
	// Mediators (6).
	var inside, above []float64
	width := map[bool]vg.Length{}
	for _, d := range allPaths(t, p) {
		if d.fill || !sameColor(d.color, Black) || len(d.pts) != 2 || !near(d.pts[0].X, float64(d.pts[1].X), 1e-9) {
			continue
		}
		x := math.Round(float64(d.pts[0].X)*1000) / 1000
		switch {
		case near(d.pts[0].Y, 0, 1e-6) && near(d.pts[1].Y, 1, 1e-6):
			inside = append(inside, x)
			width[false] = max(width[false], d.width)
		case near(d.pts[0].Y, 1, 1e-6) && d.pts[1].Y > 1:
			above = append(above, x)
			width[true] = max(width[true], d.width)
		}
	}
	slices.Sort(inside)
	slices.Sort(above)
	if want := []float64{2, 3, 4, 4, 6}; !slices.Equal(inside, want) || !slices.Equal(above, want) {
		t.Errorf("mission lines at %v over the data and %v above, want %v", inside, above, want)
	}
	if !(width[false] < width[true]) {
		t.Errorf("lines over the data %v wide, above it %v: want them thinner over the data", width[false], width[true])
	}
}

// A label too long to fit right of its lines says the months in short and
// names the mission by its id rather than run over the lines or cut its
// name ("Political…" could be any of three missions); a chart whose missions are
// all sent on a trigger has no "Mission launched" in its legend.
func TestOccupancyMissionLabels(t *testing.T) {
	s := known(24)
	iv := s.Interventions[0]
	iv.Name = "A mission whose name goes on and on, past any sensible length for a label"
	at := 22
	iv.StartMonth, iv.FirstActiveMedian = 20, &at
	s.Interventions = []sim.InterventionSummary{iv}
	p, err := Occupancy(s, 0)
	if err != nil {
		t.Fatal(err)
	}
	svg := svgOf(t, p)
	if !hasText(svg, "→ 22") || hasText(svg, "acts from month 22") || !hasText(svg, iv.ID+": month 20 → 22") || strings.Contains(svg, "…") {
		t.Errorf("long label not shortened to its months: %q", texts(svg))
	}

	// A late mission alone, whose label does not fit right of its lines:
	// in full left of them, where no other mission's line passes.
	iv.Name = "UNOWA"
	iv.StartMonth, at = 20, 22
	s.Interventions = []sim.InterventionSummary{iv}
	if p, err = Occupancy(s, 0); err != nil {
		t.Fatal(err)
	}
	wantTexts(t, svgOf(t, p), "UNOWA: launched month 20, acts from month 22")

	s = known(24)
	s.Interventions = s.Interventions[1:2]
	s.Interventions[0].Trigger = "escalating"
	if p, err = Occupancy(s, 0); err != nil {
		t.Fatal(err)
	}
	svg = svgOf(t, p)
	if hasText(svg, "Mission launched") || !hasText(svg, "Mission first acts") {
		t.Errorf("legend of trigger-only missions: %q", texts(svg))
	}
}

func TestOccupancyWithoutMissions(t *testing.T) {
	s := peaceful(1)
	p, err := Occupancy(s, 0)
	if err != nil {
		t.Fatal(err)
	}
	if svg := svgOf(t, p); hasText(svg, "Mission launched") {
		t.Error("mission legend without missions")
	}
}

func TestOccupancyErrors(t *testing.T) {
	short := known(12)
	short.Countries[0].Occupancy.War = short.Countries[0].Occupancy.War[:3]
	nan := known(12)
	nan.Countries[0].Occupancy.Latent[0] = math.NaN()
	for _, tc := range []struct {
		name    string
		s       *sim.Summary
		country int
	}{
		{"nil", nil, 0},
		{"no such country", known(12), 3},
		{"short series", short, 0},
		{"NaN", nan, 0},
	} {
		if p, err := Occupancy(tc.s, tc.country); err == nil || p != nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
}

func TestOccupancyManyMissions(t *testing.T) {
	s := known(24)
	base := s.Interventions[0]
	s.Interventions = nil
	for i := range 10 {
		iv := base
		iv.Name = fmt.Sprintf("Mission %d", i)
		iv.StartMonth = i
		s.Interventions = append(s.Interventions, iv)
	}
	p, err := Occupancy(s, 0)
	if err != nil {
		t.Fatal(err)
	}
	svg := svgOf(t, p)
	wantTexts(t, svg, "Mission 0: launched month 0", "Mission 4: launched month 4", "+ 5 more missions, not marked")
	if hasText(svg, "Mission 5:") {
		t.Error("more missions marked than there is room for")
	}
}

// Missions whose names start alike keep names a room can tell apart, in a
// chart and in a dashboard's narrower panel: their full names, or their
// ids where the names do not fit, never a cut name ("Political…").
func TestOccupancyLabelsNotCut(t *testing.T) {
	s := known(24)
	base := s.Interventions[0]
	s.Interventions = nil
	for i, where := range []string{"country at peace", "country in minor conflict", "country at war"} {
		iv := base
		iv.ID = "mission_" + strings.Fields(where)[2]
		iv.Name = "Political mission (" + where + ")"
		iv.StartMonth = 14 + 2*i
		act := iv.StartMonth + 3
		iv.FirstActiveMedian = &act
		s.Interventions = append(s.Interventions, iv)
	}
	p, err := Occupancy(s, 0)
	if err != nil {
		t.Fatal(err)
	}
	f, err := Dashboard(s, "caption")
	if err != nil {
		t.Fatal(err)
	}
	var dash bytes.Buffer
	if err := f.Encode(&dash, "svg"); err != nil {
		t.Fatal(err)
	}
	for name, svg := range map[string]string{"chart": svgOf(t, p), "dashboard": dash.String()} {
		for _, txt := range texts(svg) {
			if strings.Contains(txt, "…") {
				t.Errorf("%s: cut label %q", name, txt)
			}
		}
		for _, iv := range s.Interventions {
			if !hasText(svg, iv.Name+": ") && !hasText(svg, iv.ID+": ") {
				t.Errorf("%s: no label of %s among %q", name, iv.ID, texts(svg))
			}
		}
	}
}
