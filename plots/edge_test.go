package plots

import (
	"bytes"
	"errors"
	"testing"

	"gonum.org/v1/plot"

	"github.com/escalate-sim/escalate/sim"
)

// TestEdgeCases draws every chart of summaries at the edges of what the
// engine produces: none may panic, and each either draws or says why not.
func TestEdgeCases(t *testing.T) {
	zero := known(12)
	zero.Runs = 0
	horizon1 := known(12) // reshaped below to a horizon of 1 month
	horizon1 = reshape(horizon1, 1)
	horizon0 := reshape(known(12), 0)
	noMedian := known(12)
	noMedian.Interventions[0].FirstActiveMedian = nil
	noMedian.Interventions[1].FirstActiveMedian = nil
	long := known(1200)
	for _, tc := range []struct {
		name string
		s    *sim.Summary
		err  error // of every chart, if any
	}{
		{"zero runs", zero, ErrNoRuns},
		{"P(war) = 0, markov", peaceful(24), nil},
		{"P(war) = 1", known(24), nil},
		{"horizon of 1 month", horizon1, nil},
		{"horizon of 0 months", horizon0, nil},
		{"peace over 1 month", peaceful(1), nil},
		{"no first action", noMedian, nil},
		{"one country", known(36), nil},
		{"ten countries", several(10, 36), nil},
		{"sixty-four countries", several(64, 24), nil},
		{"a hundred years", long, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.s
			type chart struct {
				name string
				p    *plot.Plot
				err  error
			}
			var cs []chart
			add := func(name string, p *plot.Plot, err error) { cs = append(cs, chart{name, p, err}) }
			p, err := StageOutcomes(s)
			add("outcomes", p, err)
			if s.Runs > 0 { // TimeToWar draws curves, whatever their origin
				p, err = TimeToWar("t", s.HorizonMonths, SurvivalSeries(s))
				add("survival", p, err)
			}
			for c := range s.Countries {
				if c > 1 {
					break
				}
				p, err := TensionFan(s, c)
				if errors.Is(err, ErrNoTension) && s.Dynamics == "markov" {
					err = nil
				}
				add("fan", p, err)
				p, err = Occupancy(s, c)
				add("occupancy", p, err)
				p, err = WarMonths(s, c)
				add("war months", p, err)
			}
			f, err := Dashboard(s, "caption")
			for _, c := range cs {
				if tc.err != nil {
					if !errors.Is(c.err, tc.err) {
						t.Errorf("%s: error %v, want %v", c.name, c.err, tc.err)
					}
					continue
				}
				if c.err != nil {
					t.Errorf("%s: %v", c.name, c.err)
					continue
				}
				if c.p != nil {
					svgOf(t, c.p)
				}
			}
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Errorf("dashboard: error %v, want %v", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("dashboard: %v", err)
			}
			if err := f.Encode(&bytes.Buffer{}, "svg"); err != nil {
				t.Errorf("dashboard: %v", err)
			}
		})
	}
}

// reshape cuts the monthly series of a one-country summary made by known
// to a horizon of h months (h < 10: before the war).
func reshape(s *sim.Summary, h int) *sim.Summary {
	s.HorizonMonths = h
	c := &s.Countries[0]
	n := h + 1
	c.Occupancy.Latent, c.Occupancy.Escalating, c.Occupancy.War = c.Occupancy.Latent[:n], c.Occupancy.Escalating[:n], c.Occupancy.War[:n]
	c.TimeToWar.Survival = c.TimeToWar.Survival[:n]
	c.TimeToWar.MedianMonths = nil
	q := c.TensionQuantiles
	q.P05, q.P25, q.P50, q.P75, q.P95 = q.P05[:n], q.P25[:n], q.P50[:n], q.P75[:n], q.P95[:n]
	hist := make([]int64, n)
	hist[0] = s.Runs
	c.WarMonths.Histogram = hist
	c.PWar = 0
	c.FinalStage = sim.StageShares{Latent: 1}
	return s
}
