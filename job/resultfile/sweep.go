package resultfile

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/escalate-sim/escalate/sim"
)

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
