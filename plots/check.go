package plots

import (
	"errors"
	"fmt"
	"math"

	"github.com/escalate-sim/escalate/job/resultfile"
	"github.com/escalate-sim/escalate/sim"
)

// Errors returned for summaries that cannot be drawn.
var (
	// ErrNoRuns is returned for a summary of zero runs: there is nothing
	// to draw.
	ErrNoRuns = errors.New("plots: the summary has no runs")
	// ErrNoTension is returned by TensionFan for a summary without tension
	// quantiles, that is of a scenario with markov dynamics.
	ErrNoTension = errors.New("plots: the summary has no tension quantiles (markov dynamics have no tension)")
)

// checkSummary returns an error if s cannot be drawn at all: no runs, or
// a summary that fails the check of summary.json (resultfile.CheckSummary:
// series that do not fit the horizon, no countries), which charts index.
func checkSummary(s *sim.Summary) error {
	if s == nil {
		return errors.New("plots: nil summary")
	}
	if s.Runs <= 0 {
		return ErrNoRuns
	}
	if len(s.Countries) == 0 {
		return errors.New("plots: the summary has no countries")
	}
	if err := resultfile.CheckSummary(s); err != nil {
		return fmt.Errorf("plots: %w", err)
	}
	return nil
}

// country returns country c of s, or an error if s cannot be drawn or has
// no such country.
func country(s *sim.Summary, c int) (*sim.CountrySummary, error) {
	if err := checkSummary(s); err != nil {
		return nil, err
	}
	if c < 0 || c >= len(s.Countries) {
		return nil, fmt.Errorf("plots: no country %d (the summary has %d)", c, len(s.Countries))
	}
	return &s.Countries[c], nil
}

// countryName returns the name of a country, or its id if it has none.
func countryName(cs *sim.CountrySummary) string {
	if cs.Name != "" {
		return cs.Name
	}
	return cs.ID
}

// checkSeries returns an error if a series has the wrong length or a value
// that is not a finite number.
func checkSeries(what string, xs []float64, n int) error {
	if len(xs) != n {
		return fmt.Errorf("plots: %s has %d values, want %d (months 0..horizon)", what, len(xs), n)
	}
	return checkFinite(what, xs...)
}

// checkFinite returns an error if a value is NaN or infinite.
func checkFinite(what string, xs ...float64) error {
	for i, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("plots: %s: value %d is %v", what, i, x)
		}
	}
	return nil
}
