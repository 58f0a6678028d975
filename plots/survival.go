package plots

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/escalate-sim/escalate/sim"
)

// Survival is one curve of a time-to-war chart: the share of runs not yet
// at war by month.
type Survival struct {
	// Label names the curve in the legend: a country, a strategy.
	Label string
	// Survival[m] is the share of runs with no war in months 0..m
	// (sim.TimeToWarSummary.Survival).
	Survival []float64
	// MedianMonths is the first month by which half of the runs have been
	// at war, or nil if fewer than half ever are.
	MedianMonths *int
}

// AnyCountryLabel is the label of the "any country at war" curve of
// SurvivalSeries.
const AnyCountryLabel = "Any country"

// anyCountryStyle is the line of the "any country" curve: in the colour
// of war, which no country's curve takes (SeriesColor leaves the stage
// colours out), so that it never shares a colour with a country (the third
// country is black).
func anyCountryStyle(th theme) draw.LineStyle {
	return draw.LineStyle{Color: Vermillion, Width: th.line * 1.4,
		Dashes: []vg.Length{vg.Points(9), vg.Points(3), vg.Points(2), vg.Points(3)}}
}

// SurvivalSeries returns the time-to-war curves of a summary: one per
// country, and one for "any country at war" when there are several.
func SurvivalSeries(s *sim.Summary) []Survival {
	if s == nil {
		return nil
	}
	out := make([]Survival, 0, len(s.Countries)+1)
	for i := range s.Countries {
		cs := &s.Countries[i]
		out = append(out, Survival{Label: countryName(cs), Survival: cs.TimeToWar.Survival, MedianMonths: cs.TimeToWar.MedianMonths})
	}
	if s.AnyWar != nil {
		out = append(out, Survival{Label: AnyCountryLabel, Survival: s.AnyWar.TimeToWar.Survival, MedianMonths: s.AnyWar.TimeToWar.MedianMonths})
	}
	return out
}

// TimeToWar returns Kaplan–Meier curves of the time to the first war: the
// share of runs with no war yet (y) by month (x), as steps, with a dot
// where a curve reaches its median. Several curves (countries, strategies)
// share the chart and are named in a legend (which says once that there
// is no median when no curve reaches one). horizon is the last month
// shown; a curve shorter than that is held at its last value.
func TimeToWar(title string, horizon int, series []Survival) (*plot.Plot, error) {
	return timeToWar(title, horizon, series, standard)
}

func timeToWar(title string, horizon int, series []Survival, th theme) (*plot.Plot, error) {
	if len(series) == 0 {
		return nil, errors.New("plots: time to war: no curves")
	}
	if horizon < 0 {
		return nil, fmt.Errorf("plots: time to war: negative horizon (%d months)", horizon)
	}
	last := horizon
	for _, sv := range series {
		if len(sv.Survival) == 0 {
			return nil, fmt.Errorf("plots: time to war: curve %q is empty", sv.Label)
		}
		if err := checkFinite("time to war of "+sv.Label, sv.Survival...); err != nil {
			return nil, err
		}
		last = max(last, len(sv.Survival)-1)
	}

	p := newPlot(th, title, "Month", "Share of runs with no war yet")
	p.X.Min, p.X.Max = 0, float64(max(last, 1))
	p.Y.Min, p.Y.Max = 0, 1
	p.X.Tick.Marker = monthTicks(th)
	p.Y.Tick.Marker = shareTicks
	addGrid(p)
	p.Add(hline{y: 0.5, style: draw.LineStyle{Color: grey, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(2), vg.Points(3)}}})
	half := textStyle(sans, th.note*0.9, grey)
	half.YAlign = draw.YBottom

	one := len(series) == 1
	anyMedian := false
	for _, sv := range series {
		_, _, ok := medianPoint(sv)
		anyMedian = anyMedian || ok
	}
	under := hiddenUnder(series, last)
	// When every curve lies under the last, the last one says so.
	allSame := len(series) > 1
	for _, j := range under[:len(series)-1] {
		allSame = allSame && j == len(series)-1
	}
	leg := newSideLegend(th)
	var medians []plotter.XYs
	var notes marks
	var inner innerMarks
	if len(series) == 1 {
		inner = append(inner, mark{x: 0, y: 0.5, dx: th.note * 0.5, dy: th.note * 0.2, text: "half of the runs", style: half})
	}
	for i, sv := range series {
		l, err := plotter.NewLine(survivalXYs(sv.Survival, last))
		if err != nil {
			return nil, fmt.Errorf("plots: time to war of %s: %w", sv.Label, err)
		}
		l.StepStyle = plotter.PostStep
		l.LineStyle = draw.LineStyle{Color: SeriesColor(i), Width: th.line, Dashes: SeriesDashes(i)}
		if sv.Label == AnyCountryLabel {
			// The summary of all the others: heavier and dash-dotted,
			// so that it never passes for one more country.
			l.LineStyle = anyCountryStyle(th)
		}
		p.Add(l)

		med, at, ok := medianPoint(sv)
		medians = append(medians, nil)
		if ok {
			medians[i] = plotter.XYs{{X: float64(med), Y: at}}
		}
		// Label and median on two lines when there is room for them.
		sep := ": "
		if len(series) <= 6 {
			sep = "\n"
		}
		label := sv.Label + sep + "median not reached"
		switch {
		case ok:
			label = sv.Label + sep + "median " + months(med)
		case !anyMedian:
			// Said once below.
			label = sv.Label
		}
		if allSame && i == len(series)-1 {
			label += sep + "(all the curves coincide)"
		}
		if j := under[i]; j >= 0 && !allSame {
			// Otherwise a reader looks in vain for its colour.
			label += sep + wrapName("(hidden under "+strings.ReplaceAll(series[j].Label, "\n", " ")+")")
		}
		thumb := lineThumb{style: l.LineStyle, dot: th.line * 1.6}
		if !anyMedian {
			thumb.dot = 0
		}
		leg.add(label, thumb)

		if !one {
			continue
		}
		sty := textStyle(sans, th.note, Black)
		if ok {
			sty.YAlign = draw.YBottom
			m := mark{x: float64(med), y: at, dx: th.note * 0.6, dy: th.note * 0.3, text: "median: " + months(med), style: sty}
			if float64(med) > 0.6*float64(last) {
				m.style.XAlign = draw.XRight
				m.dx = -m.dx
			}
			notes = append(notes, m)
		} else {
			sty.YAlign = draw.YBottom
			sty.Color = grey
			inner = append(inner, mark{x: 0, y: 0, dx: th.note, dy: th.note * 0.8,
				text: fmt.Sprintf("No median: fewer than half of the runs\nreach war by month %d.", last), style: sty})
		}
	}
	for i, xys := range medians {
		if xys != nil {
			col := SeriesColor(i)
			if series[i].Label == AnyCountryLabel {
				col = anyCountryStyle(th).Color
			}
			p.Add(dots{xys: xys, r: th.line * 1.6, color: col, ring: white})
		}
	}
	p.Add(notes, inner)
	if !one {
		leg.space()
		if anyMedian {
			leg.note("Dots: median time to war,\nwhen half of the runs\nhave been at war.", nil)
		} else {
			leg.note(fmt.Sprintf("No median: no curve falls\nto half of the runs\nby month %d.", last), nil)
		}
		p.Add(leg)
	}
	return p, nil
}

// hiddenTolerance is how close two curves must stay, at every month, for
// the one drawn first to be lost under the other: 0.4 percentage points,
// a line's width at the default size.
const hiddenTolerance = 0.004

// hiddenUnder returns, for each curve, the index of the last curve drawn
// over it that covers it at every month up to last, or -1.
func hiddenUnder(series []Survival, last int) []int {
	at := func(sv []float64, m int) float64 { return sv[min(m, len(sv)-1)] }
	under := make([]int, len(series))
	for i := range series {
		under[i] = -1
		for j := len(series) - 1; j > i; j-- {
			covered := true
			for m := 0; m <= last && covered; m++ {
				covered = math.Abs(at(series[i].Survival, m)-at(series[j].Survival, m)) <= hiddenTolerance
			}
			if covered {
				under[i] = j
				break
			}
		}
	}
	return under
}

// survivalXYs returns the points of a survival curve, (m, survival[m]),
// held at its last value up to month last.
func survivalXYs(survival []float64, last int) plotter.XYs {
	xys := make(plotter.XYs, 0, last+2)
	for m, v := range survival {
		xys = append(xys, plotter.XY{X: float64(m), Y: v})
	}
	if n := len(survival) - 1; n < last {
		xys = append(xys, plotter.XY{X: float64(last), Y: survival[n]})
	}
	return xys
}

// medianPoint returns where a curve's median is marked: the month, and a
// share on the step of that month (0.5, or the nearest share the curve
// reaches when the median is month 0).
func medianPoint(sv Survival) (month int, at float64, ok bool) {
	if sv.MedianMonths == nil {
		return 0, 0, false
	}
	m := *sv.MedianMonths
	if m < 0 || m >= len(sv.Survival) {
		return 0, 0, false
	}
	hi := sv.Survival[0]
	if m > 0 {
		hi = sv.Survival[m-1]
	}
	return m, min(max(0.5, sv.Survival[m]), hi), true
}
