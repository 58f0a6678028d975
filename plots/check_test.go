package plots

import (
	"errors"
	"math"
	"testing"

	"github.com/escalate-sim/escalate/sim"
)

func TestCountry(t *testing.T) {
	neg := known(12)
	neg.HorizonMonths = -1
	for _, tc := range []struct {
		name string
		s    *sim.Summary
		c    int
		ok   bool
		is   error
	}{
		{"fine", known(12), 0, true, nil},
		{"nil", nil, 0, false, nil},
		{"zero runs", func() *sim.Summary { s := known(12); s.Runs = 0; return s }(), 0, false, ErrNoRuns},
		{"negative horizon", neg, 0, false, nil},
		{"index too large", known(12), 1, false, nil},
		{"negative index", known(12), -1, false, nil},
	} {
		cs, err := country(tc.s, tc.c)
		if (err == nil) != tc.ok || (cs != nil) != tc.ok {
			t.Errorf("%s: %v, %v", tc.name, cs, err)
		}
		if tc.is != nil && !errors.Is(err, tc.is) {
			t.Errorf("%s: error %v, want %v", tc.name, err, tc.is)
		}
	}
}

func TestCheckSeries(t *testing.T) {
	for _, tc := range []struct {
		name string
		xs   []float64
		n    int
		ok   bool
	}{
		{"fine", []float64{0, 0.5, 1}, 3, true},
		{"short", []float64{0, 1}, 3, false},
		{"NaN", []float64{0, math.NaN(), 1}, 3, false},
		{"infinite", []float64{math.Inf(-1)}, 1, false},
	} {
		if err := checkSeries("x", tc.xs, tc.n); (err == nil) != tc.ok {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}

func TestCountryName(t *testing.T) {
	if got := countryName(&sim.CountrySummary{ID: "a", Name: "Arcadia"}); got != "Arcadia" {
		t.Errorf("got %q", got)
	}
	if got := countryName(&sim.CountrySummary{ID: "a"}); got != "a" {
		t.Errorf("got %q", got)
	}
}
