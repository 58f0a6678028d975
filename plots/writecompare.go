package plots

import (
	"fmt"

	"github.com/escalate-sim/escalate/job/resultfile"
	"github.com/escalate-sim/escalate/sim"
)

// WriteCompare writes the charts of a comparison of strategies into dir
// (created if needed), in opt's format and size, each with opt's caption:
//
//	compare-pwar.EXT       ComparePWar
//	compare-survival.EXT   CompareSurvival
//	compare-cost.EXT       CostVsWar
//
// Files are written atomically. It returns the paths written, in that
// order, also when it fails part way (CostVsWar fails on a cost that is
// not a finite number, after the other two are written).
func WriteCompare(dir string, cs *sim.ComparisonSummary, opt Options) ([]string, error) {
	cw, err := startCharts(dir, opt, func() error {
		if err := checkComparison(cs); err != nil {
			return err
		}
		// The check of comparison.json: series that fit the horizon.
		if err := resultfile.CheckComparison(cs); err != nil {
			return fmt.Errorf("plots: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	opt = cw.opt
	// Labels laid out for the options' width.
	p, err := comparePWar(cs, standard, opt.layoutWidth())
	if err := cw.chart("compare-pwar", p, err); err != nil {
		return cw.finish(err)
	}
	p, err = CompareSurvival(cs)
	if err := cw.chart("compare-survival", p, err); err != nil {
		return cw.finish(err)
	}
	p, _, err = costVsWar(cs, standard, opt.layoutWidth())
	if err := cw.chart("compare-cost", p, err); err != nil {
		return cw.finish(err)
	}
	return cw.finish(nil)
}

// WriteSweep writes the chart of a parameter sweep into dir (created if
// needed) as sweep.EXT, in opt's format and size with opt's caption:
// SweepLine for a sweep over one key path, SweepHeatMap over two. The file
// is written atomically. It returns the path written.
func WriteSweep(dir string, sw *sim.SweepSummary, opt Options) ([]string, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return nil, err
	}
	chart := SweepLine
	if sw != nil && len(sw.Dimensions) == 2 {
		chart = SweepHeatMap
	}
	if sw != nil && len(sw.Dimensions) != 1 && len(sw.Dimensions) != 2 {
		return nil, fmt.Errorf("plots: the sweep varies %d key paths; charts show one or two", len(sw.Dimensions))
	}
	// The check of sweep.json: points that fit the grid.
	if sw != nil {
		if err := resultfile.CheckSweep(sw); err != nil {
			return nil, fmt.Errorf("plots: %w", err)
		}
	}
	p, err := chart(sw)
	if err != nil {
		return nil, err
	}
	cw, err := newChartWriter(dir, opt)
	if err != nil {
		return nil, err
	}
	return cw.finish(cw.chart("sweep", p, nil))
}
