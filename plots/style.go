package plots

import (
	"image/color"
	"math"
	"strconv"
	"strings"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/escalate-sim/escalate/internal/numfmt"
)

// sans is the typeface of every chart: Liberation Sans is built into
// gonum/plot, so no system fonts are needed and output is the same on
// every machine.
var (
	sans     = font.Font{Typeface: "Liberation", Variant: "Sans"}
	sansBold = font.Font{Typeface: "Liberation", Variant: "Sans", Weight: xfont.WeightBold}
)

// plain draws text as it is. The charts do not use plot.DefaultTextHandler,
// which a program may set to LaTeX, where "%" starts a comment.
var plain = text.Plain{Fonts: font.DefaultCache}

// theme holds the font sizes and line widths of a chart. The standard
// theme is for a chart of DefaultWidth; the compact one for a dashboard
// panel.
type theme struct {
	title, label, tick, legend, note vg.Length
	line                             vg.Length // width of data lines
	// dataWidth is the usual width of the data area, to decide whether
	// labels fit side by side.
	dataWidth vg.Length
	// monthTicks is the largest number of labelled month intervals.
	monthTicks int
}

var (
	standard = theme{title: 17, label: 14, tick: 12.5, legend: 12.5, note: 12, line: 2.5, dataWidth: 5 * vg.Inch, monthTicks: 7}
	compact  = theme{title: 14, label: 12, tick: 11, legend: 11, note: 10.5, line: 2, dataWidth: 2.7 * vg.Inch, monthTicks: 6}
)

// textStyle returns a text style of the given font and size.
func textStyle(f font.Font, size vg.Length, c color.Color) text.Style {
	return text.Style{
		Color:   c,
		Font:    font.From(f, size),
		XAlign:  draw.XLeft,
		YAlign:  draw.YTop,
		Handler: plain,
	}
}

// grey is the colour of axes, grid lines and secondary text.
var (
	grey      = color.RGBA{R: 0x55, G: 0x55, B: 0x55, A: 0xff}
	lightGrey = color.RGBA{R: 0xdd, G: 0xdd, B: 0xdd, A: 0xff}
)

// newPlot returns a plot with the theme's fonts, a title and axis labels.
func newPlot(th theme, title, xlabel, ylabel string) *plot.Plot {
	p := plot.New()
	p.TextHandler = plain
	p.Title.TextStyle.Handler = plain
	p.Legend.TextStyle.Handler = plain
	p.Title.Text = title
	p.Title.TextStyle.Font = font.From(sansBold, th.title)
	p.Title.Padding = th.title * 0.6
	for _, ax := range []*plot.Axis{&p.X, &p.Y} {
		ax.Label.TextStyle.Handler = plain
		ax.Tick.Label.Handler = plain
		ax.Label.TextStyle.Font = font.From(sans, th.label)
		ax.Label.Padding = th.label * 0.4
		ax.Tick.Label.Font = font.From(sans, th.tick)
		ax.Tick.Label.Color = color.Black
		ax.Tick.LineStyle.Color = grey
		ax.LineStyle.Color = grey
		ax.Tick.Length = vg.Points(5)
		ax.Padding = vg.Points(4)
	}
	p.X.Label.Text = xlabel
	p.Y.Label.Text = ylabel
	p.Legend.TextStyle.Font = font.From(sans, th.legend)
	return p
}

// addGrid adds light horizontal grid lines at the major y ticks.
func addGrid(p *plot.Plot) {
	g := plotter.NewGrid()
	g.Vertical.Width = 0
	g.Horizontal.Color = lightGrey
	g.Horizontal.Width = vg.Points(0.75)
	p.Add(g)
}

// monthTicks returns a ticker that marks months at a step of 1, 2, 3, 6
// or 12 months or a multiple of a year, with fewer labels when they have
// more digits or the chart is small, so that they never run together.
func monthTicks(th theme) plot.Ticker {
	return plot.TickerFunc(func(lo, hi float64) []plot.Tick {
		// Labels about 2.5 label widths apart at the usual data width.
		digits := len(strconv.Itoa(int(math.Max(math.Abs(lo), math.Abs(hi)))))
		most := min(th.monthTicks, int(th.dataWidth/(vg.Length(digits)*0.56*th.tick*2.5)))
		steps := []float64{1, 2, 3, 6, 12, 24, 30, 36, 60, 120, 240, 300, 600, 1200}
		step := steps[len(steps)-1]
		for i, s := range steps {
			if (hi-lo)/s > float64(most) {
				continue
			}
			step = s
			// Prefer a step up to twice as long that ends the axis on a
			// label: 0, 30, ..., 120 rather than 0, 36, 72, 108.
			if end := math.Round(hi); math.Mod(end, s) != 0 {
				for _, t := range steps[i:] {
					if t <= 2*s && math.Mod(end, t) == 0 {
						step = t
						break
					}
				}
			}
			break
		}
		minor := step
		switch {
		case step >= 24:
			minor = step / 2
		case step >= 12:
			minor = 3
		case step >= 2:
			minor = 1
		}
		var ticks []plot.Tick
		for v := math.Ceil(lo/minor) * minor; v <= hi+1e-9; v += minor {
			t := plot.Tick{Value: v}
			if r := math.Mod(v, step); r < 1e-9 || step-r < 1e-9 {
				t.Label = strconv.Itoa(int(math.Round(v)))
			}
			ticks = append(ticks, t)
		}
		return ticks
	})
}

// niceStep returns the smallest of 1, 2, 2.5 and 5 times a power of ten
// that is at least x > 0.
func niceStep(x float64) float64 {
	if !(x > 0) || math.IsInf(x, 0) {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(x)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*p >= x*(1-1e-9) {
			return m * p
		}
	}
	return 10 * p
}

// decimals returns the number of decimals needed to print multiples of
// step exactly.
func decimals(step float64) int {
	d := 0
	for d < 6 && math.Abs(step*math.Pow(10, float64(d))-math.Round(step*math.Pow(10, float64(d)))) > 1e-6 {
		d++
	}
	return d
}

// niceTicks returns about five labelled ticks between min and max,
// formatted by label, with unlabelled minor ticks halfway.
func niceTicks(min, max float64, label func(v float64, d int) string, scale float64) []plot.Tick {
	if !(max > min) {
		return []plot.Tick{{Value: min, Label: label(min, 0)}}
	}
	step := niceStep((max - min) / 6)
	d := decimals(step * scale)
	var ticks []plot.Tick
	half := step / 2
	for i := math.Ceil(min/half - 1e-9); i*half <= max+1e-9; i++ {
		v := i * half
		if math.Abs(v) < 1e-12 {
			v = 0
		}
		t := plot.Tick{Value: v}
		if math.Mod(i, 2) == 0 {
			t.Label = label(v, d)
		}
		ticks = append(ticks, t)
	}
	return ticks
}

// shareTicks labels shares of runs as percentages.
var shareTicks = plot.TickerFunc(func(min, max float64) []plot.Tick {
	return niceTicks(min, max, func(v float64, d int) string {
		return trimZeros(strconv.FormatFloat(v*100, 'f', d, 64)) + "%"
	}, 100)
})

// decimalTicks labels values in [0, 1] such as tension as decimals.
var decimalTicks = plot.TickerFunc(func(min, max float64) []plot.Tick {
	return niceTicks(min, max, func(v float64, d int) string {
		return strconv.FormatFloat(v, 'f', d, 64)
	}, 1)
})

// trimZeros removes trailing zeros after a decimal point: "1.50" is
// "1.5", "2.0" is "2".
func trimZeros(s string) string {
	if !strings.Contains(s, ".") {
		return s
	}
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// percent formats a share as a percentage with one decimal below 10%
// and none above, e.g. "0.4%", "42%"; shares that round to 0 or 100 but
// are not exactly so are written "<0.1%" or ">99.9%".
func percent(x float64) string {
	switch {
	case x <= 0:
		return "0%"
	case x >= 1:
		return "100%"
	case x < 0.001:
		return "<0.1%"
	case x > 0.999:
		return ">99.9%"
	case x < 0.1 || x > 0.9:
		return strconv.FormatFloat(x*100, 'f', 1, 64) + "%"
	}
	return strconv.FormatFloat(x*100, 'f', 0, 64) + "%"
}

// percents formats shares like percent, with one more decimal where that
// keeps different shares from reading the same: a P(war) of 17.5% with
// its interval 16.8% to 18.2% reads "17.5% (16.8% to 18.2%)", not
// "17% (17% to 18%)".
func percents(xs ...float64) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = percent(x)
	}
	for i := range xs {
		for j := range i {
			if out[i] == out[j] && xs[i] != xs[j] && xs[i] > 0.001 && xs[i] < 0.999 {
				for k, x := range xs {
					if x >= 0.001 && x <= 0.999 {
						out[k] = strconv.FormatFloat(x*100, 'f', 1, 64) + "%"
					}
				}
				return out
			}
		}
	}
	return out
}

// RunCount is "1 run" or "10,000 runs", as charts, their captions and
// escalate's tables write a number of runs.
func RunCount(n int64) string { return numfmt.RunCount(n) }

// thousands formats n with thousands separators, e.g. "10,000".
func thousands(n int64) string { return numfmt.Thousands(n) }

// months formats a number of months, e.g. "1 month", "14 months".
func months(n int) string {
	if n == 1 {
		return "1 month"
	}
	return strconv.Itoa(n) + " months"
}
