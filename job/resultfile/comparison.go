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
	fmt.Fprintln(bw, "strategy,title,runs,seed,p_war,p_war_lo,p_war_hi,p_war_diff,p_war_diff_lo,p_war_diff_hi,war_months_mean,war_months_diff,war_months_diff_lo,war_months_diff_hi,median_time_to_war,cost_mean,cost_diff,cost_per_war_averted,dominant,crn_variance_ratio,outcome,country")
	row := func(s *sim.StrategySummary, p [2]float64, pWar, warMonths float64, median string, cost float64, v *sim.PairedSummary, outcome, country string) {
		fmt.Fprintf(bw, "%s,%s,%d,%d,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%t,%s,%s,%s\n",
			csvField(s.ID), csvField(s.Name), cs.Runs, cs.Seed, ff(pWar), ff(p[0]), ff(p[1]),
			ff(v.PWarDiff), ff(v.PWarDiffCI95[0]), ff(v.PWarDiffCI95[1]),
			ff(warMonths), ff(v.WarMonthsDiff), ff(v.WarMonthsDiffCI95[0]), ff(v.WarMonthsDiffCI95[1]),
			median, ff(cost), ff(v.CostDiff), optFloat(v.CostPerWarAverted), v.Dominant, optFloat(v.CRNVarianceRatio), csvField(outcome), csvField(country))
	}
	// The headline's rows first (country: its id, empty for any country),
	// then, with several countries, one row per country and strategy, as
	// comparison.json's by_country has them.
	for i := range cs.Strategies {
		s := &cs.Strategies[i]
		row(s, s.PWarCI95, s.PWar, s.WarMonthsMean, optInt(s.TimeToWar.MedianMonths), s.CostMean, &s.VsBaseline, cs.Headline.Label(), cs.Headline.Country)
	}
	for i := range cs.Strategies {
		s := &cs.Strategies[i]
		for j := range s.ByCountry {
			c := &s.ByCountry[j]
			row(s, c.PWarCI95, c.PWar, c.WarMonthsMean, "", c.CostMean, &c.VsBaseline, "war in "+c.Name, c.ID)
		}
	}
	return bw.Flush()
}
