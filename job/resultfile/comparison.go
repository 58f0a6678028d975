package resultfile

import (
	"bufio"
	"fmt"
	"io"

	"github.com/escalate-sim/escalate/sim"
)

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
