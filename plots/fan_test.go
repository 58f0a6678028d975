package plots

import (
	"errors"
	"math"
	"testing"

	"github.com/escalate-sim/escalate/sim"
)

func TestTensionFan(t *testing.T) {
	s := known(24)
	q := s.Countries[0].TensionQuantiles
	p, err := TensionFan(s, 0)
	if err != nil {
		t.Fatal(err)
	}
	wantTexts(t, svgOf(t, p), "Arcadia: tension by month", "Tension (0–1)", "Month", "Median",
		"Middle 50% of runs", "Middle 90% of runs", "Stage regions", "War: 0.75 and above",
		"Escalating: 0.40 to 0.75", "Latent: below 0.40", "Stage thresholds")

	order := map[string]int{}
	var thresholds []float64
	for i, d := range paths(t, p) {
		switch {
		case d.fill && sameColor(d.color, fanOuter):
			order["outer"] = i
			checkBand(t, "90% band", d.pts, q.P95, q.P05)
		case d.fill && sameColor(d.color, fanInner):
			order["inner"] = i
			checkBand(t, "50% band", d.pts, q.P75, q.P25)
		case !d.fill && sameColor(d.color, fanMedian):
			order["median"] = i
			for m, pt := range d.pts {
				if !near(pt.X, float64(m), 1e-6) || !near(pt.Y, q.P50[m], 1e-6) {
					t.Errorf("median point %d = %v, want (%d, %v)", m, pt, m, q.P50[m])
				}
			}
		case d.fill && sameColor(d.color, withAlpha(StageColor(sim.War), 0.13)):
			order["war region"] = i
			if !near(d.pts[0].Y, 0.75, 1e-6) || !near(d.pts[1].Y, 1, 1e-6) {
				t.Errorf("war region %v, want from 0.75 to 1", d.pts)
			}
		case !d.fill && sameColor(d.color, grey) && len(d.pts) == 2 && near(d.pts[0].Y, float64(d.pts[1].Y), 1e-9) &&
			near(d.pts[0].X, 0, 1e-6) && near(d.pts[1].X, 24, 1e-6):
			thresholds = append(thresholds, float64(d.pts[0].Y))
		}
	}
	// Regions first, then the widest band, the narrow band, the median.
	if !(order["war region"] < order["outer"] && order["outer"] < order["inner"] && order["inner"] < order["median"]) {
		t.Errorf("drawing order %v, want war region < outer < inner < median", order)
	}
	if len(thresholds) != 2 || math.Abs(thresholds[0]-0.4) > 1e-6 || math.Abs(thresholds[1]-0.75) > 1e-6 {
		t.Errorf("threshold lines at %v, want 0.4 and 0.75", thresholds)
	}
}

// checkBand checks that a polygon goes along upper forward and lower
// backward.
func checkBand(t *testing.T, name string, pts []drawnPoint, upper, lower []float64) {
	t.Helper()
	n := len(upper)
	if len(pts) != 2*n {
		t.Errorf("%s: %d points, want %d", name, len(pts), 2*n)
		return
	}
	for m := range n {
		if !near(pts[m].X, float64(m), 1e-6) || !near(pts[m].Y, upper[m], 1e-6) {
			t.Errorf("%s: point %d = %v, want (%d, %v)", name, m, pts[m], m, upper[m])
		}
		b := pts[2*n-1-m]
		if !near(b.X, float64(m), 1e-6) || !near(b.Y, lower[m], 1e-6) {
			t.Errorf("%s: point %d = %v, want (%d, %v)", name, 2*n-1-m, b, m, lower[m])
		}
	}
}

func TestTensionFanWithoutThresholds(t *testing.T) {
	s := known(12)
	s.Thresholds = nil
	p, err := TensionFan(s, 0)
	if err != nil {
		t.Fatal(err)
	}
	if svg := svgOf(t, p); hasText(svg, "Stage regions") || hasText(svg, "Stage thresholds") {
		t.Error("stage regions without thresholds")
	}
}

// One path (one run, or runs that all agree) draws no band, and the
// legend lists none.
func TestTensionFanSinglePath(t *testing.T) {
	s := known(12)
	q := s.Countries[0].TensionQuantiles
	for _, band := range [][]float64{q.P05, q.P25, q.P75, q.P95} {
		copy(band, q.P50)
	}
	p, err := TensionFan(s, 0)
	if err != nil {
		t.Fatal(err)
	}
	if svg := svgOf(t, p); hasText(svg, "Middle 50% of runs") || hasText(svg, "Middle 90% of runs") || !hasText(svg, "Median") {
		t.Errorf("legend of a single path: %q", texts(svg))
	}
}

func TestTensionFanErrors(t *testing.T) {
	short := known(12)
	short.Countries[0].TensionQuantiles.P25 = short.Countries[0].TensionQuantiles.P25[:5]
	nan := known(12)
	nan.Countries[0].TensionQuantiles.P95[3] = math.NaN()
	badThreshold := known(12)
	badThreshold.Thresholds.War = math.Inf(1)
	for _, tc := range []struct {
		name    string
		s       *sim.Summary
		country int
		is      error
	}{
		{"markov", peaceful(12), 0, ErrNoTension},
		{"zero runs", func() *sim.Summary { s := known(12); s.Runs = 0; return s }(), 0, ErrNoRuns},
		{"no such country", known(12), 1, nil},
		{"negative country", known(12), -1, nil},
		{"short series", short, 0, nil},
		{"NaN", nan, 0, nil},
		{"infinite threshold", badThreshold, 0, nil},
	} {
		p, err := TensionFan(tc.s, tc.country)
		if err == nil || p != nil {
			t.Errorf("%s: no error", tc.name)
		}
		if tc.is != nil && !errors.Is(err, tc.is) {
			t.Errorf("%s: error %v, want %v", tc.name, err, tc.is)
		}
	}
}
