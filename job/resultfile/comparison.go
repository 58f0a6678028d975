package resultfile

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/escalate-sim/escalate/sim"
)

// Comparison is comparison.json and the --format json output of compare.
type Comparison struct {
	*sim.ComparisonSummary
	Provenance Provenance `json:"provenance"`
}

// MaxStrategies bounds the strategies a comparison file may hold.
const MaxStrategies = 1000

// ParseComparison decodes a comparison.json strictly and checks it with
// CheckComparison.
func ParseComparison(path string, data []byte) (*Comparison, error) {
	var c Comparison
	if err := decodeStrict(path, data, &c, "comparison.json"); err != nil {
		return nil, err
	}
	if err := CheckComparison(c.ComparisonSummary); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &c, nil
}

// CheckComparison rejects comparisons whose series do not fit their
// horizon, so that charts can index them safely.
func CheckComparison(cs *sim.ComparisonSummary) error {
	if cs == nil || len(cs.Strategies) == 0 || len(cs.Strategies) > MaxStrategies {
		return fmt.Errorf("not a comparison.json written by escalate compare (no strategies)")
	}
	if cs.HorizonMonths < 1 || cs.HorizonMonths > sim.MaxHorizon {
		return fmt.Errorf("impossible horizon %d", cs.HorizonMonths)
	}
	for _, s := range cs.Strategies {
		if len(s.TimeToWar.Survival) != cs.HorizonMonths+1 {
			return fmt.Errorf("strategy %q: survival does not have horizon_months+1 points", s.ID)
		}
	}
	return nil
}

// WriteComparisonCSV writes the CSV form of a comparison: one row per
// strategy.
func WriteComparisonCSV(w io.Writer, cs *sim.ComparisonSummary) error {
	ff := FormatFloat
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "strategy,title,runs,seed,p_war,p_war_lo,p_war_hi,p_war_diff,p_war_diff_lo,p_war_diff_hi,war_months_mean,war_months_diff,war_months_diff_lo,war_months_diff_hi,median_time_to_war,cost_mean,cost_diff,cost_per_war_averted,dominant,crn_variance_ratio,outcome")
	for _, s := range cs.Strategies {
		v := s.VsBaseline
		fmt.Fprintf(bw, "%s,%s,%d,%d,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%t,%s,%s\n",
			csvField(s.ID), csvField(s.Name), cs.Runs, cs.Seed, ff(s.PWar), ff(s.PWarCI95[0]), ff(s.PWarCI95[1]),
			ff(v.PWarDiff), ff(v.PWarDiffCI95[0]), ff(v.PWarDiffCI95[1]),
			ff(s.WarMonthsMean), ff(v.WarMonthsDiff), ff(v.WarMonthsDiffCI95[0]), ff(v.WarMonthsDiffCI95[1]),
			optInt(s.TimeToWar.MedianMonths), ff(s.CostMean), ff(v.CostDiff), optFloat(v.CostPerWarAverted), v.Dominant, optFloat(v.CRNVarianceRatio), csvField(cs.Headline.Label()))
	}
	return bw.Flush()
}

// Sweep is sweep.json and the --format json output of sweep.
type Sweep struct {
	*sim.SweepSummary
	Provenance Provenance `json:"provenance"`
}

// MaxSweepPoints bounds a sweep: beyond this a user has almost certainly
// mistyped a step.
const MaxSweepPoints = 10000

// ParseSweep decodes a sweep.json strictly and checks it with CheckSweep.
func ParseSweep(path string, data []byte) (*Sweep, error) {
	var s Sweep
	if err := decodeStrict(path, data, &s, "sweep.json"); err != nil {
		return nil, err
	}
	if err := CheckSweep(s.SweepSummary); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &s, nil
}

// CheckSweep rejects sweeps whose points do not fit their dimensions.
func CheckSweep(sw *sim.SweepSummary) error {
	if sw == nil || len(sw.Dimensions) < 1 || len(sw.Dimensions) > 2 {
		return fmt.Errorf("not a sweep.json written by escalate sweep (one or two dimensions)")
	}
	want := 1
	for _, d := range sw.Dimensions {
		if len(d.Values) == 0 || len(d.Values) > MaxSweepPoints {
			return fmt.Errorf("dimension %q has %d values", d.Path, len(d.Values))
		}
		want *= len(d.Values)
	}
	if want > MaxSweepPoints || len(sw.Points) != want {
		return fmt.Errorf("%d points for a grid of %d", len(sw.Points), want)
	}
	for _, p := range sw.Points {
		if len(p.Index) != len(sw.Dimensions) || len(p.Values) != len(sw.Dimensions) {
			return fmt.Errorf("a point does not name every dimension")
		}
		for d, i := range p.Index {
			if i < 0 || i >= len(sw.Dimensions[d].Values) {
				return fmt.Errorf("a point's index is out of range")
			}
		}
	}
	return nil
}

// WriteSweepCSV writes the CSV form of a sweep: one row per point.
func WriteSweepCSV(w io.Writer, s *sim.SweepSummary) error {
	ff := FormatFloat
	bw := bufio.NewWriter(w)
	var head []string
	for _, d := range s.Dimensions {
		head = append(head, csvField(d.Path))
	}
	head = append(head, "p_war", "p_war_lo", "p_war_hi", "war_months_mean", "cost_mean", "median_time_to_war", "runs", "seed")
	fmt.Fprintln(bw, strings.Join(head, ","))
	for _, p := range s.Points {
		var row []string
		for _, v := range p.Values {
			row = append(row, csvField(v))
		}
		row = append(row, ff(p.PWar), ff(p.PWarCI95[0]), ff(p.PWarCI95[1]), ff(p.WarMonthsMean), ff(p.CostMean),
			optInt(p.MedianTimeToWar), fmt.Sprint(s.Runs), fmt.Sprint(s.Seed))
		fmt.Fprintln(bw, strings.Join(row, ","))
	}
	return bw.Flush()
}
