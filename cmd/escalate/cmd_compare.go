package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/escalate-sim/escalate/internal/numfmt"
	"github.com/escalate-sim/escalate/job"
	"github.com/escalate-sim/escalate/sim"
)

const compareDoc = `
Compare intervention strategies with common random numbers: run i of every
strategy sees the same noise, shocks and consent draws, so differences come
from the strategies, not from luck, and their intervals are paired (from the
per-run differences).

  escalate compare guinea-2009                       every strategy in the file
  escalate compare guinea-2009 --strategies none,historical,fast
  escalate compare mine.toml theirs.toml             two files (same countries)
  escalate compare guinea-2009 --vary intervention.unowa.startup_delay_months=6,1
                                                     one key at several values
  escalate compare guinea-2009 --ci-width 0.01       runs until the interval of
                                                     every P(war) difference is
                                                     that narrow

The first strategy is the baseline (or --baseline NAME). For scenarios with
several countries the headline outcome is "any country at war" (or one
country's war with --country ID), and the table adds a block per country.
`

func cmdCompare(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var f jobFlags
	fs := newFlagSet("compare", "SCENARIO [--strategies a,b,...] | A.toml B.toml", compareDoc)
	f.register(fs, job.Compare)
	strategies := fs.String("strategies", "", "comma-separated strategy `names` to compare (default: all, in file order)")
	fs.StringVar(&f.job.Baseline, "baseline", "", "strategy `NAME` the others are compared with (default: the first)")
	var vary oneVary
	fs.Var(&vary, "vary", "compare the scenario at several values of one key, `PATH=a,b,...` or FROM:TO:STEP; the first value is the baseline")
	_, err := f.parse(fs, job.Compare, args, stdout)
	if err != nil {
		return err
	}
	for _, id := range strings.Split(*strategies, ",") {
		if id = strings.TrimSpace(id); id != "" {
			f.job.Strategies = append(f.job.Strategies, id)
		}
	}
	if vary.value != "" {
		f.job.Vary = []string{vary.value}
	}
	return f.execute(ctx, stdout, stderr)
}

// writeComparisonTable prints the comparison; strategies says whether to
// list the strategies' descriptions, and strategy and overrides are the
// settings every variant shares (--strategy with --vary, --set).
func writeComparisonTable(w io.Writer, cs *sim.ComparisonSummary, strategies bool, strategy string, overrides []string) {
	fmt.Fprintf(w, "%s (%s): %d runs per strategy, seed %d, %s, common random numbers\n", cs.Title, cs.Scenario, cs.Runs, cs.Seed, nMonths(cs.HorizonMonths))
	writeSettings(w, strategy, overrides)
	outcome := cs.Headline.Label()
	if cs.Headline.Country == "" {
		names := slices.Clone(cs.Countries)
		for c, cc := range cs.Strategies[0].ByCountry {
			names[c] = cmp.Or(cc.Name, cc.ID)
		}
		outcome = "war in any of " + strings.Join(names, ", ")
	}
	fmt.Fprintf(w, "Outcome: %s, in at least one month. Differences are against %q, paired run by run.\n\n", outcome, cs.Strategies[0].Name)
	tw := newHeadedTable(w)
	fmt.Fprintln(tw, "Strategy\tP(war)\t95% interval\tChange in P(war) [95%]\tMonths at war\tChange [95%]\tMedian time to war\tMean cost\tCost per war averted")
	for i, s := range cs.Strategies {
		v := s.VsBaseline
		diff, mdiff := pairedCells(i, &v)
		per := ""
		if i > 0 {
			per = costPerWarAverted(&v)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%.2f\t%s\t%s\t%s\t%s\n", s.Name, pct(s.PWar), interval(s.PWarCI95), diff,
			s.WarMonthsMean, mdiff, median(s.TimeToWar.MedianMonths, cs.HorizonMonths), numfmt.Money(s.CostMean), per)
	}
	tw.Flush()
	if p, ok := cs.SamePWar(); ok {
		fmt.Fprintf(w, "\nEvery strategy has P(war) %s for %s, so P(war) cannot tell them apart: compare the months at war", pct(p), outcome)
		if len(cs.Countries) > 1 {
			fmt.Fprint(w, ", the countries below")
			if cs.Headline.Country == "" {
				fmt.Fprint(w, ", or choose one country with --country ID")
			}
		}
		fmt.Fprintln(w, ".")
	}
	var ratios []string
	for _, s := range cs.Strategies[1:] {
		if r := s.VsBaseline.CRNVarianceRatio; r != nil {
			ratios = append(ratios, fmt.Sprintf("%s %.1f×", s.Name, *r))
		}
	}
	if len(ratios) > 0 {
		fmt.Fprintf(w, "\nCommon random numbers: independent runs would need this many times more runs for the same precision of the P(war) difference: %s.\n", strings.Join(ratios, ", "))
	}
	if len(cs.Countries) > 1 {
		writeCountryComparison(w, cs)
	}
	if strategies {
		fmt.Fprintln(w)
		for _, s := range cs.Strategies {
			if s.Description != "" {
				fmt.Fprintf(w, "  %s: %s\n", s.Name, s.Description)
			}
		}
	}
}

// writeCountryComparison prints each country's outcomes under every
// strategy, for scenarios with several countries.
func writeCountryComparison(w io.Writer, cs *sim.ComparisonSummary) {
	fmt.Fprintln(w, "\nBy country (mean cost: the missions' staff deployed there):")
	tw := newHeadedTable(w)
	fmt.Fprintln(tw, "Country\tStrategy\tP(war)\t95% interval\tChange in P(war) [95%]\tMonths at war\tChange [95%]\tMean cost")
	for c := range cs.Countries {
		for i, s := range cs.Strategies {
			cc := &s.ByCountry[c]
			name := ""
			if i == 0 {
				name = cmp.Or(cc.Name, cc.ID)
			}
			diff, mdiff := pairedCells(i, &cc.VsBaseline)
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%.2f\t%s\t%s\n", name, s.Name, pct(cc.PWar), interval(cc.PWarCI95), diff,
				cc.WarMonthsMean, mdiff, numfmt.Money(cc.CostMean))
		}
	}
	tw.Flush()
}

// costPerWarAverted is the table's cell for a variant's cost per war
// averted.
func costPerWarAverted(v *sim.PairedSummary) string {
	switch {
	case v.Dominant:
		return "none: fewer wars, no extra cost"
	case v.CostPerWarAverted != nil:
		return numfmt.Money(*v.CostPerWarAverted)
	case v.PWarDiff < 0:
		return "n/a (no clear fall)"
	}
	return "n/a (no fewer wars)"
}

// pairedCells formats the paired differences of strategy i; the baseline
// (i = 0) reads "baseline".
func pairedCells(i int, v *sim.PairedSummary) (diff, months string) {
	if i == 0 {
		return "baseline", "baseline"
	}
	diff = fmt.Sprintf("%s pts [%s, %s]", numfmt.Points(v.PWarDiff), numfmt.Points(v.PWarDiffCI95[0]), numfmt.Points(v.PWarDiffCI95[1]))
	months = fmt.Sprintf("%s [%s, %s]", numfmt.Signed(v.WarMonthsDiff, 2), numfmt.Signed(v.WarMonthsDiffCI95[0], 2), numfmt.Signed(v.WarMonthsDiffCI95[1], 2))
	return diff, months
}
