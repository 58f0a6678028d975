package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/escalate-sim/escalate/internal/numfmt"
	"github.com/escalate-sim/escalate/job"
	"github.com/escalate-sim/escalate/job/resultfile"
)

const sweepDoc = `
Run a scenario at every value of one or two key paths and report P(war)
with its interval, the mean months at war and the mean cost at each point.
Every point runs on the same seed (common random numbers), so neighbouring
points differ by the parameter, not by luck; each point equals
"escalate run SCENARIO --set PATH=VALUE" with the same seed and runs.

  escalate sweep guinea-2009 --vary intervention.unowa.startup_delay_months=0:12:1
  escalate sweep guinea-2009 --vary intervention.unowa.staff=1,3,10,30
  escalate sweep workshop-intro --vary intervention.mediators.staff=0:20:4 \
      --vary intervention.mediators.startup_delay_months=0:6:2 --format csv

--vary PATH=FROM:TO:STEP gives FROM, FROM+STEP, ... up to TO; PATH=a,b,c
lists values. Integers stay integers (for month keys).
`

func cmdSweep(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var f jobFlags
	fs := newFlagSet("sweep", "SCENARIO --vary PATH=FROM:TO:STEP [--vary PATH2=a,b,c] [flags]", sweepDoc)
	f.register(fs, job.Sweep)
	var vary multiFlag
	fs.Var(&vary, "vary", "a key path and its values, `PATH=FROM:TO:STEP` or PATH=a,b,c (once or twice)")
	if _, err := f.parse(fs, job.Sweep, args, stdout); err != nil {
		return err
	}
	f.job.Vary = vary
	return f.execute(ctx, stdout, stderr)
}

// writeSweepTable prints the sweep; countryCost says that the costs are
// those of one chosen country (--country).
func writeSweepTable(w io.Writer, f *resultfile.Sweep, countryCost bool) {
	s := f.SweepSummary
	fmt.Fprintf(w, "%s (%s): %d runs per point, seed %d, %s; outcome: %s\n", s.Title, s.Scenario, s.Runs, s.Seed, nMonths(s.HorizonMonths), s.Headline.Label())
	writeSettings(w, f.Provenance.Strategy, f.Provenance.Overrides)
	fmt.Fprintln(w)
	tw := newHeadedTable(w)
	var head []string
	for _, d := range s.Dimensions {
		head = append(head, d.Path)
	}
	fmt.Fprintln(tw, strings.Join(head, "\t")+"\tP(war)\t95% interval\tMonths at war\tMedian time to war\tMean cost")
	for _, p := range s.Points {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%.2f\t%s\t%s\n", strings.Join(p.Values, "\t"), pct(p.PWar), interval(p.PWarCI95),
			p.WarMonthsMean, median(p.MedianTimeToWar, s.HorizonMonths), numfmt.Money(p.CostMean))
	}
	tw.Flush()
	if countryCost {
		fmt.Fprintf(w, "\nMean cost: the missions' staff deployed in %s.\n", s.Headline.Name)
	}
}
