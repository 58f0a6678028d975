package plots

import (
	"image/color"
	"math"

	"gonum.org/v1/plot/vg"

	"github.com/escalate-sim/escalate/sim"
)

// The Okabe–Ito palette (Okabe and Ito, "Color Universal Design", 2008):
// eight colours that stay distinguishable with the common forms of colour
// blindness and in greyscale print when paired with line styles.
var (
	Black         = color.RGBA{R: 0x00, G: 0x00, B: 0x00, A: 0xff}
	Orange        = color.RGBA{R: 0xe6, G: 0x9f, B: 0x00, A: 0xff}
	SkyBlue       = color.RGBA{R: 0x56, G: 0xb4, B: 0xe9, A: 0xff}
	BluishGreen   = color.RGBA{R: 0x00, G: 0x9e, B: 0x73, A: 0xff}
	Yellow        = color.RGBA{R: 0xf0, G: 0xe4, B: 0x42, A: 0xff}
	Blue          = color.RGBA{R: 0x00, G: 0x72, B: 0xb2, A: 0xff}
	Vermillion    = color.RGBA{R: 0xd5, G: 0x5e, B: 0x00, A: 0xff}
	ReddishPurple = color.RGBA{R: 0xcc, G: 0x79, B: 0xa7, A: 0xff}
)

// white is the background of every chart.
var white = color.RGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}

// stageColors are the colours of the stages, used by every chart.
var stageColors = [sim.NumStages]color.RGBA{
	sim.Latent:     BluishGreen,
	sim.Escalating: Orange,
	sim.War:        Vermillion,
}

// StageColor returns the colour of stage st in every chart: latent is
// bluish green, escalating orange and war vermillion. An unknown stage is
// grey.
func StageColor(st sim.Stage) color.Color {
	if int(st) < sim.NumStages {
		return stageColors[st]
	}
	return color.RGBA{R: 0x99, G: 0x99, B: 0x99, A: 0xff}
}

// StageLabel returns the name of stage st as shown in charts ("Latent",
// "Escalating", "War").
func StageLabel(st sim.Stage) string {
	switch st {
	case sim.Latent:
		return "Latent"
	case sim.Escalating:
		return "Escalating"
	case sim.War:
		return "War"
	}
	return st.String()
}

// seriesColors is the order in which series (countries, strategies) take
// their colours: the Okabe–Ito colours that are not a stage's, so that a
// country's line is never read as a stage beside a stage chart. Yellow is
// left out: it is hard to see as a thin line on white.
var seriesColors = []color.RGBA{Blue, ReddishPurple, Black, SkyBlue, seriesGrey}

// seriesGrey is the fifth series colour, outside the Okabe–Ito palette.
var seriesGrey = color.RGBA{R: 0x8c, G: 0x8c, B: 0x8c, A: 0xff}

// seriesDashes are the dash patterns of series beyond the first
// len(seriesColors), so that up to 20 series stay distinct.
var seriesDashes = [][]vg.Length{
	nil,
	{vg.Points(6), vg.Points(3)},
	{vg.Points(2), vg.Points(2)},
	{vg.Points(8), vg.Points(3), vg.Points(2), vg.Points(3)},
}

// SeriesColor returns the colour of the i'th series (country or strategy)
// of a chart with several; colours repeat after five series, which
// SeriesDashes then tells apart.
func SeriesColor(i int) color.Color {
	if i < 0 {
		i = -i
	}
	return seriesColors[i%len(seriesColors)]
}

// SeriesDashes returns the dash pattern of the i'th series: solid for the
// first five, then dashed, dotted and dash-dotted.
func SeriesDashes(i int) []vg.Length {
	if i < 0 {
		i = -i
	}
	return seriesDashes[(i/len(seriesColors))%len(seriesDashes)]
}

// withAlpha returns c with opacity a in [0, 1] (premultiplied, as
// image/color requires).
func withAlpha(c color.Color, a float64) color.Color {
	r, g, b, _ := c.RGBA()
	return color.NRGBA64{R: uint16(r), G: uint16(g), B: uint16(b), A: uint16(a*0xffff + 0.5)}
}

// tint returns the opaque colour of c laid with opacity a over white.
func tint(c color.Color, a float64) color.Color {
	r, g, b, _ := c.RGBA()
	mix := func(v uint32) uint8 { return uint8(math.Round((a*float64(v) + (1-a)*0xffff) / 0x101)) }
	return color.RGBA{R: mix(r), G: mix(g), B: mix(b), A: 0xff}
}

// darker returns c with each channel scaled by f in [0, 1], for text drawn
// in a stage's colour.
func darker(c color.Color, f float64) color.Color {
	r, g, b, a := c.RGBA()
	return color.RGBA64{R: uint16(float64(r) * f), G: uint16(float64(g) * f), B: uint16(float64(b) * f), A: uint16(a)}
}
