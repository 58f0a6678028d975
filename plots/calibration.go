package plots

import (
	"errors"
	"fmt"
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/escalate-sim/escalate/calibrate"
	"github.com/escalate-sim/escalate/sim"
)

// CalibrationShares draws a holdout check's shares of countries in minor
// conflict and in war by year: observed (solid, with dots) against the
// chain's prediction from the last fitted year (dashed, with its 95% band
// over simulated panels). The share at peace is the rest.
func CalibrationShares(h *calibrate.Holdout) (*plot.Plot, error) {
	if h == nil || len(h.Shares) == 0 {
		return nil, errors.New("plots: calibration shares: no years")
	}
	th := standard
	p := newPlot(th, fmt.Sprintf("Countries in conflict, observed and predicted from %d", h.Year-1), "Year", "Share of countries")
	p.Y.Tick.Marker = shareTicks
	p.Y.Min = 0
	addGrid(p)
	for _, st := range []sim.Stage{sim.Escalating, sim.War} {
		obs, pred := make(plotter.XYs, len(h.Shares)), make(plotter.XYs, len(h.Shares))
		var poly plotter.XYs
		for i, s := range h.Shares {
			obs[i] = plotter.XY{X: float64(s.Year), Y: s.Observed[st]}
			pred[i] = plotter.XY{X: float64(s.Year), Y: s.Predicted[st]}
			poly = append(poly, plotter.XY{X: float64(s.Year), Y: s.Hi[st]})
			p.Y.Max = max(p.Y.Max, s.Hi[st], s.Observed[st])
		}
		for i := len(h.Shares) - 1; i >= 0; i-- {
			poly = append(poly, plotter.XY{X: float64(h.Shares[i].Year), Y: h.Shares[i].Lo[st]})
		}
		c := StageColor(st)
		r, g, b, _ := c.RGBA()
		bandFill := color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: 0x40}
		band, err := plotter.NewPolygon(poly)
		if err != nil {
			return nil, fmt.Errorf("plots: calibration shares: %w", err)
		}
		band.Color = bandFill
		band.LineStyle.Width = 0
		pl, err := plotter.NewLine(pred)
		if err != nil {
			return nil, fmt.Errorf("plots: calibration shares: %w", err)
		}
		pl.LineStyle = draw.LineStyle{Color: c, Width: th.line, Dashes: []vg.Length{vg.Points(6), vg.Points(3)}}
		ol, op, err := plotter.NewLinePoints(obs)
		if err != nil {
			return nil, fmt.Errorf("plots: calibration shares: %w", err)
		}
		ol.LineStyle = draw.LineStyle{Color: c, Width: th.line}
		op.Shape = draw.CircleGlyph{}
		op.Color = c
		op.Radius = vg.Points(3)
		p.Add(band, pl, ol, op)
		name := map[sim.Stage]string{sim.Escalating: "minor conflict", sim.War: "war"}[st]
		p.Legend.Add("observed, "+name, ol, op)
		p.Legend.Add("predicted, "+name+" (95% band)", pl, band)
	}
	p.Y.Max *= 1.15
	p.Legend.Top = true
	p.Legend.Left = true
	return p, nil
}

// CalibrationDurations draws Kaplan-Meier curves of the length of spells
// of war or of peace (which names them): the share of spells lasting more
// than d years, observed against simulated from the fitted chain.
func CalibrationDurations(which string, d calibrate.Durations) (*plot.Plot, error) {
	if len(d.Observed) == 0 || len(d.Simulated) != len(d.Observed) {
		return nil, errors.New("plots: calibration durations: no curves")
	}
	th := standard
	p := newPlot(th, fmt.Sprintf("How long %s lasts: %d observed spells", which, d.Spells), "Years since the spell began", "Share of spells still going")
	p.Y.Tick.Marker = shareTicks
	p.Y.Min, p.Y.Max = 0, 1
	p.X.Min, p.X.Max = 0, float64(len(d.Observed)-1)
	addGrid(p)
	for i, s := range []struct {
		label string
		ys    []float64
	}{{"observed (Kaplan-Meier)", d.Observed}, {"simulated from the fitted chain", d.Simulated}} {
		xy := make(plotter.XYs, len(s.ys))
		for k, y := range s.ys {
			xy[k] = plotter.XY{X: float64(k), Y: y}
		}
		l, err := plotter.NewLine(xy)
		if err != nil {
			return nil, fmt.Errorf("plots: calibration durations: %w", err)
		}
		l.StepStyle = plotter.PostStep
		l.LineStyle = draw.LineStyle{Color: SeriesColor(i), Width: th.line, Dashes: SeriesDashes(5 * i)}
		p.Add(l)
		p.Legend.Add(s.label, l)
	}
	p.Legend.Top = true
	return p, nil
}
