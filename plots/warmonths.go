package plots

import (
	"fmt"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/escalate-sim/escalate/sim"
)

// maxWarMonthBars is the number of bars above which months at war are
// grouped into bins of several months.
const maxWarMonthBars = 60

// WarMonths returns a histogram of the number of months at war across runs,
// as shares of runs. The runs with no month at war, usually the largest
// group, are not drawn as a bar (it would flatten all others) but stated
// in the legend. Long horizons are binned so that there are at most 60
// bars.
func WarMonths(s *sim.Summary, country int) (*plot.Plot, error) {
	return warMonths(s, country, standard)
}

func warMonths(s *sim.Summary, c int, th theme) (*plot.Plot, error) {
	cs, err := country(s, c)
	if err != nil {
		return nil, err
	}
	name := countryName(cs)
	h := s.HorizonMonths
	hist := cs.WarMonths.Histogram
	if len(hist) == 0 || len(hist) > h+1 {
		return nil, fmt.Errorf("plots: months at war in %s: histogram has %d bins, want %d (0..horizon)", name, len(hist), h+1)
	}
	var total int64
	for k, v := range hist {
		if v < 0 {
			return nil, fmt.Errorf("plots: months at war in %s: negative count %d for %d months", name, v, k)
		}
		total += v
	}
	runs := float64(s.Runs)

	width := (h + maxWarMonthBars - 1) / maxWarMonthBars // months a bar
	width = max(width, 1)
	if step := s.MonthsPerStep; step > 1 {
		// Markov stages change every step months, so months at war come
		// in steps (a war of one step from month 0 counts step − 1
		// months): bars of whole steps hold them without empty bars
		// between.
		width = (width + step - 1) / step * step
	}
	var bins []plotter.HistogramBin
	ymax := 0.0
	for lo := 1; lo <= h; lo += width {
		hi := min(lo+width-1, h)
		var k int64
		for m := lo; m <= hi && m < len(hist); m++ {
			k += hist[m]
		}
		share := float64(k) / runs
		bins = append(bins, plotter.HistogramBin{Min: float64(lo) - 0.5, Max: float64(hi) + 0.5, Weight: share})
		ymax = math.Max(ymax, share)
	}
	zero := float64(hist[0]) / runs

	title := name + ": months at war"
	p := newPlot(th, title, "Months at war (of "+months(h)+")", "Share of runs")
	if width > 1 {
		p.X.Label.Text = "Months at war (of " + months(h) + "; bars of " + strconv.Itoa(width) + " months)"
	}
	p.X.Min, p.X.Max = 0.5, float64(max(h, 1))+0.5
	p.X.Tick.Marker = fromOneTicks{monthTicks(th)}
	p.Y.Tick.Marker = shareTicks
	p.X.Padding = 0
	addGrid(p)

	hg := &plotter.Histogram{
		Bins:      bins,
		Width:     float64(width),
		FillColor: StageColor(sim.War),
		LineStyle: draw.LineStyle{Color: white, Width: vg.Points(0.5)},
	}
	if len(bins) > 0 {
		p.Add(hg)
	}

	leg := newSideLegend(th)
	if total > hist[0] {
		leg.add("Runs with this many\nmonths at war", swatch{fill: StageColor(sim.War)})
		leg.space()
	}
	bold := leg.style
	bold.Font = sansBold
	bold.Font.Size = th.legend
	leg.note("No month at war:\n"+percent(zero)+" of runs (no bar)", &bold)
	leg.space()
	leg.note(fmt.Sprintf("Mean: %s months at war\nper run (all runs)", strconv.FormatFloat(cs.WarMonths.Mean, 'f', 1, 64)), nil)
	if total != s.Runs {
		leg.note(fmt.Sprintf("Histogram counts %s of\n%s", thousands(total), RunCount(s.Runs)), nil)
	}
	p.Add(leg)
	// Adding the histogram widened the axes to its range; fix them last.
	p.X.Min, p.X.Max = 0.5, float64(max(h, 1))+0.5
	p.Y.Min, p.Y.Max = 0, math.Max(ymax*1.08, 0.01)
	return p, nil
}

// fromOneTicks labels month 1 as well, when the labels start far from it:
// the first bar of a months-at-war histogram is one month, and with the
// first label at 6 it could be read as none.
type fromOneTicks struct{ plot.Ticker }

func (f fromOneTicks) Ticks(lo, hi float64) []plot.Tick {
	ticks := f.Ticker.Ticks(lo, hi)
	if lo > 1 || hi < 1 {
		return ticks
	}
	for i, t := range ticks {
		if t.Label == "" {
			continue
		}
		if t.Value < 4 {
			// A label at 1, 2 or 3 already.
			return ticks
		}
		for j := range ticks[:i] {
			if ticks[j].Value == 1 {
				ticks[j].Label = "1"
				return ticks
			}
		}
		return append([]plot.Tick{{Value: 1, Label: "1"}}, ticks...)
	}
	return ticks
}
