package plots

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/escalate-sim/escalate/sim"
)

// StageOutcomes returns a bar chart of the share of runs that end the
// horizon latent, escalating and at war, with 95% interval whiskers. With
// several countries the bars are grouped by country.
func StageOutcomes(s *sim.Summary) (*plot.Plot, error) {
	return stageOutcomes(s, standard)
}

func stageOutcomes(s *sim.Summary, th theme) (*plot.Plot, error) {
	if err := checkSummary(s); err != nil {
		return nil, err
	}
	n := len(s.Countries)
	for i := range s.Countries {
		cs := &s.Countries[i]
		for st := range sim.Stage(sim.NumStages) {
			ci := cs.FinalStageCI95.At(st)
			if err := checkFinite("final stage of "+countryName(cs), cs.FinalStage.At(st), ci[0], ci[1]); err != nil {
				return nil, err
			}
		}
	}

	var title string
	if n == 1 {
		title = fmt.Sprintf("%s: stage in month %d", countryName(&s.Countries[0]), s.HorizonMonths)
	} else {
		title = fmt.Sprintf("Stage in month %d, by country", s.HorizonMonths)
	}
	p := newPlot(th, title, "", "Share of runs")
	p.X.Label.Text = fmt.Sprintf("Bars: share of %s · whiskers: 95%% interval", RunCount(s.Runs))
	if n == 1 {
		// The war bar is the last month alone, far below the chance of
		// war, which a reader would otherwise take it for.
		p.X.Label.Text += fmt.Sprintf("\nAt war in any month: %.1f%% of runs", 100*s.Countries[0].PWar)
	}
	if n > 1 {
		// The legend explains the whiskers.
		p.X.Label.Text = fmt.Sprintf("Bars: share of %s", RunCount(s.Runs))
	}
	p.Y.Min, p.Y.Max = 0, 1
	p.Y.Tick.Marker = shareTicks
	addGrid(p)

	// The bars of a stage, one per country, at x = country plus a shift
	// for the stage; with one country, at x = stage.
	width := 0.62
	xmin := func(st sim.Stage) float64 { return float64(st) }
	if n > 1 {
		width = 0.27
		xmin = func(st sim.Stage) float64 { return (float64(st) - 1) * 0.28 }
	}
	errSty := draw.LineStyle{Color: Black, Width: th.line * 0.55}
	var labels marks
	leg := newSideLegend(th)
	for st := range sim.Stage(sim.NumStages) {
		vals := make(plotter.Values, n)
		pts := make(errPoints, n)
		for i := range s.Countries {
			cs := &s.Countries[i]
			v := cs.FinalStage.At(st)
			ci := cs.FinalStageCI95.At(st)
			x := xmin(st) + float64(i)
			vals[i] = v
			pts[i] = errPoint{x: x, y: v, low: math.Max(0, v-ci[0]), high: math.Max(0, ci[1]-v)}
			if n == 1 {
				lsty := textStyle(sansBold, th.legend, Black)
				lsty.XAlign = draw.XCenter
				lsty.YAlign = draw.YBottom
				labels = append(labels, mark{x: x, y: math.Max(v, ci[1]), dy: th.legend * 0.3, text: percent(v), style: lsty})
			}
		}
		bc, err := plotter.NewBarChart(vals, 1)
		if err != nil {
			return nil, fmt.Errorf("plots: stage outcomes: %w", err)
		}
		bc.XMin = xmin(st)
		bc.Color = StageColor(st)
		bc.LineStyle = draw.LineStyle{Color: withAlpha(Black, 0.6), Width: vg.Points(0.6)}
		p.Add(relBars{BarChart: bc, frac: width})
		eb, err := plotter.NewYErrorBars(pts)
		if err != nil {
			return nil, fmt.Errorf("plots: stage outcomes: %w", err)
		}
		eb.LineStyle = errSty
		eb.CapWidth = th.tick * 0.8
		p.Add(relErrBars{YErrorBars: eb, frac: width * 0.8})
		leg.add(StageLabel(st), swatch{fill: StageColor(st), outline: bc.LineStyle})
	}
	p.Add(labels)
	p.Y.Min, p.Y.Max = 0, 1 // the bars widened it to their data range
	if n == 1 {
		p.NominalX(StageLabel(sim.Latent), StageLabel(sim.Escalating), StageLabel(sim.War))
		p.X.Min, p.X.Max = -0.5, 2.5
	} else {
		names := make([]string, n)
		var wide vg.Length
		for i := range s.Countries {
			names[i] = wrapName(countryName(&s.Countries[i]))
			wide = max(wide, p.X.Tick.Label.Width(names[i]))
		}
		p.NominalX(names...)
		p.X.Min, p.X.Max = -0.5, float64(n)-0.5
		// Rotate country names that would not fit side by side, the more
		// so the more there are.
		if vg.Length(n)*(wide+th.tick) > th.dataWidth {
			p.X.Tick.Label.Rotation = math.Pi / 6
			if n > 6 {
				p.X.Tick.Label.Rotation = math.Pi / 4
			}
			p.X.Tick.Label.XAlign = draw.XRight
			p.X.Tick.Label.YAlign = draw.YTop
		}
		leg.add("95% interval", vlineThumb{style: errSty})
		p.Add(leg)
	}
	// NominalX hides the axis line and pads the y axis; bars stand on the
	// x axis.
	p.X.Width = vg.Points(0.75)
	p.X.Padding = 0
	p.Y.Padding = vg.Points(4)
	return p, nil
}

// relBars is a bar chart whose bar width is a share of the distance
// between categories rather than a fixed length, so that bars keep their
// proportions at any image size.
type relBars struct {
	*plotter.BarChart
	frac float64
}

func (b relBars) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	bc := *b.BarChart // a copy: drawing must not change the plot
	bc.Width = vg.Length(b.frac) * (trX(1) - trX(0))
	bc.Plot(c, p)
}

// GlyphBoxes reserves no room: the axis range leaves half a category on
// each side.
func (b relBars) GlyphBoxes(*plot.Plot) []plot.GlyphBox { return nil }

// relErrBars are error bars whose caps are at most a share of the
// distance between categories, so that they stay narrower than their bars.
type relErrBars struct {
	*plotter.YErrorBars
	frac float64
}

func (e relErrBars) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	eb := *e.YErrorBars // a copy: drawing must not change the plot
	eb.CapWidth = min(eb.CapWidth, vg.Length(e.frac)*(trX(1)-trX(0)))
	eb.Plot(c, p)
}

// errPoint is a value with its distances to the ends of its interval.
type errPoint struct{ x, y, low, high float64 }

// errPoints implements plotter.XYer and plotter.YErrorer.
type errPoints []errPoint

func (e errPoints) Len() int                        { return len(e) }
func (e errPoints) XY(i int) (float64, float64)     { return e[i].x, e[i].y }
func (e errPoints) YError(i int) (float64, float64) { return e[i].low, e[i].high }

// wrapName breaks a long name into two lines at the space nearest its
// middle.
func wrapName(name string) string {
	const long = 14
	if len(name) <= long {
		return name
	}
	best := -1
	for i, r := range name {
		if r == ' ' && (best < 0 || abs(i-len(name)/2) < abs(best-len(name)/2)) {
			best = i
		}
	}
	if best < 0 {
		return name
	}
	return name[:best] + "\n" + name[best+1:]
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
