package plots

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/escalate-sim/escalate/sim"
)

// Default size and resolution of a dashboard: 16 × 9 inches at 120 dots
// per inch is 1920 × 1080 pixels, the size of a projector or screen.
const (
	DashboardWidth  = 16 * vg.Inch
	DashboardHeight = 9 * vg.Inch
	DashboardDPI    = 120
)

// Figure is several charts in one image: a title, panels in rows and
// columns with aligned data areas, optional notes in the empty panels and
// a caption at the bottom.
type Figure struct {
	// Title and Subtitle are drawn at the top.
	Title, Subtitle string
	// Panels holds rows of charts. A nil chart leaves its place empty;
	// the Notes are drawn in the first empty place and those right of it.
	Panels [][]*plot.Plot
	// Notes are lines of text, such as key numbers. A line that starts
	// with "# " is a heading.
	Notes []string
	// Caption is a provenance line drawn small at the bottom.
	Caption string
	// Width and Height are the size of the image, and DPI the resolution
	// of PNG images.
	Width, Height vg.Length
	DPI           int
	// FontScale multiplies the size of every font and the width of every
	// line, as Options.FontSize does for a chart; zero means 1.
	FontScale float64
}

// Dashboard returns one image with the main charts of a summary, for
// projecting to a room or a report's first page: the stage outcomes, the
// time to war, and for the focus country (the one most often at war) the
// months at war, the tension fan (tension dynamics only) and the stage by
// month, with key numbers. It is titled with the scenario's title, runs
// and seed, and captioned with caption.
func Dashboard(s *sim.Summary, caption string) (*Figure, error) {
	if err := checkSummary(s); err != nil {
		return nil, err
	}
	th := compact
	focus := focusCountry(s)
	fname := countryName(&s.Countries[focus])

	out, err := stageOutcomes(s, th)
	if err != nil {
		return nil, err
	}
	survTitle := "Time to first war"
	if len(s.Countries) == 1 {
		survTitle = fname + ": time to first war"
	}
	surv, err := timeToWar(survTitle, s.HorizonMonths, SurvivalSeries(s), th)
	if err != nil {
		return nil, err
	}
	wm, err := warMonths(s, focus, th)
	if err != nil {
		return nil, err
	}
	occ, err := occupancy(s, focus, th)
	if err != nil {
		return nil, err
	}
	rows := [][]*plot.Plot{{out, surv, wm}, {occ, nil, nil}}
	if s.Countries[focus].TensionQuantiles != nil {
		fan, err := tensionFan(s, focus, th)
		if err != nil {
			return nil, err
		}
		rows[1] = []*plot.Plot{fan, occ, nil}
	}

	title := s.Title
	if title == "" {
		title = s.Scenario
	}
	sub := fmt.Sprintf("%s · seed %d · %s · %s dynamics", RunCount(s.Runs), s.Seed, months(s.HorizonMonths), s.Dynamics)
	if s.Scenario != "" {
		sub = "Scenario " + s.Scenario + " · " + sub
	}
	switch {
	case len(s.Countries) == 1:
	case s.Countries[focus].PWar > 0:
		sub += " · country charts: " + fname + " (most often at war)"
	default:
		sub += " · country charts: " + fname + " (no country at war in any run)"
	}
	return &Figure{
		Title: title, Subtitle: sub, Panels: rows, Notes: keyNumbers(s, focus),
		Caption: caption, Width: DashboardWidth, Height: DashboardHeight, DPI: DashboardDPI,
	}, nil
}

// focusCountry returns the country most often at war (the first of those
// tied).
func focusCountry(s *sim.Summary) int {
	best := 0
	for i := range s.Countries {
		if s.Countries[i].PWar > s.Countries[best].PWar {
			best = i
		}
	}
	return best
}

// keyNumbers returns the notes of a dashboard: the chance of war of each
// country (the five most often at war), then details of the focus country
// (and of "any country"), then the missions.
func keyNumbers(s *sim.Summary, focus int) []string {
	h := s.HorizonMonths
	var out []string
	interval := func(o *sim.OutcomeSummary) string {
		p := percents(o.PWar, o.PWarCI95[0], o.PWarCI95[1])
		return fmt.Sprintf("%s (95%% interval %s to %s)", p[0], p[1], p[2])
	}
	details := func(name string, o *sim.OutcomeSummary, chance bool) {
		out = append(out, "# "+name)
		if chance {
			p := percents(o.PWar, o.PWarCI95[0], o.PWarCI95[1])
			out = append(out, fmt.Sprintf("War within %s: %s of runs (95%% interval %s to %s)", months(h), p[0], p[1], p[2]))
		}
		if m := o.TimeToWar.MedianMonths; m != nil {
			out = append(out, "Median time to war: "+months(*m))
		} else {
			out = append(out, "Median time to war: not reached")
		}
		out = append(out, "Mean months at war: "+strconv.FormatFloat(o.WarMonths.Mean, 'f', 1, 64),
			"Two wars or more: "+percent(o.WarOnsets.PRecurrence)+" of runs")
	}
	if len(s.Countries) == 1 {
		details(countryName(&s.Countries[0]), &s.Countries[0].OutcomeSummary, true)
	} else {
		out = append(out, "# Runs with war within "+months(h))
		order := make([]int, len(s.Countries))
		for i := range order {
			order[i] = i
		}
		slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(s.Countries[b].PWar, s.Countries[a].PWar) })
		const shown = 5
		for k, i := range order {
			if k == shown {
				out = append(out, fmt.Sprintf("(%d more countries)", len(order)-shown))
				break
			}
			out = append(out, countryName(&s.Countries[i])+": "+interval(&s.Countries[i].OutcomeSummary))
		}
		if s.AnyWar != nil {
			out = append(out, "Any country: "+interval(s.AnyWar))
		}
		details(countryName(&s.Countries[focus]), &s.Countries[focus].OutcomeSummary, false)
	}
	if len(s.Interventions) > 0 {
		out = append(out, "# Missions", "Mean cost per run: "+fmtCost(s.Cost.Mean))
		for _, iv := range s.Interventions {
			name := iv.Name
			if name == "" {
				name = iv.ID
			}
			out = append(out, fmt.Sprintf("%s: active %s months on average", name, strconv.FormatFloat(iv.ActiveMonthsMean, 'f', 1, 64)))
		}
	}
	return out
}

// fmtCost formats a cost in US dollars (the unit of the scenarios'
// cost_per_staff_month) with thousands separators, rounded to a dollar.
func fmtCost(x float64) string {
	if x != x || x > 1e18 || x < -1e18 {
		return "$" + strconv.FormatFloat(x, 'g', 4, 64)
	}
	return "$" + thousands(int64(x+0.5))
}

// Draw draws the figure on c.
func (f *Figure) Draw(c draw.Canvas) {
	drawFramed(c, f.Caption, captionSize*1.1, f.drawContent)
}

func (f *Figure) drawContent(c draw.Canvas) {
	// Header.
	if f.Title != "" {
		sty := textStyle(sansBold, 24, Black)
		fit(&sty, f.Title, c.Size().X)
		c.FillText(sty, vg.Point{X: c.Min.X, Y: c.Max.Y}, f.Title)
		c.Max.Y -= sty.Height(f.Title) + 4
	}
	if f.Subtitle != "" {
		sty := textStyle(sans, 14, grey)
		fit(&sty, f.Subtitle, c.Size().X)
		c.FillText(sty, vg.Point{X: c.Min.X, Y: c.Max.Y}, f.Subtitle)
		c.Max.Y -= sty.Height(f.Subtitle)
	}
	if f.Title != "" || f.Subtitle != "" {
		c.Max.Y -= 14
	}

	rows := len(f.Panels)
	cols := 0
	for _, r := range f.Panels {
		cols = max(cols, len(r))
	}
	if rows == 0 || cols == 0 {
		f.drawNotes(c)
		return
	}
	// Each row is aligned on its own: panels of different rows have
	// legends of different widths, and aligning columns across rows would
	// shrink every panel to the narrowest.
	rowTiles := draw.Tiles{Rows: rows, Cols: 1, PadY: 22}
	tiles := draw.Tiles{Rows: 1, Cols: cols, PadX: 28}
	notesDone := false
	for i, r := range f.Panels {
		row := make([]*plot.Plot, cols)
		copy(row, r)
		rc := rowTiles.At(c, 0, i)
		canvases := plot.Align([][]*plot.Plot{row}, tiles, rc)[0]
		for j, p := range row {
			if p != nil {
				p.Draw(canvases[j])
				continue
			}
			if notesDone {
				continue
			}
			// The notes take this place and the empty ones right of it.
			nc := canvases[j]
			for k := j + 1; k < cols && row[k] == nil; k++ {
				nc.Max.X = canvases[k].Max.X
			}
			f.drawNotes(nc)
			notesDone = true
		}
	}
}

// drawNotes draws the notes in c, wrapped to its width, in the largest
// font up to 14 points that fits.
func (f *Figure) drawNotes(c draw.Canvas) {
	if len(f.Notes) == 0 {
		return
	}
	c = draw.Crop(c, 4, 0, 0, 0)
	var lines []noteLine
	for size := vg.Length(14); size >= 5; size *= 0.93 {
		lines = layoutNotes(f.Notes, size, c.Size().X)
		if lines[len(lines)-1].drop <= c.Size().Y {
			break
		}
	}
	for _, l := range lines {
		fillLines(c, l.style, c.Min.X+l.indent, c.Max.Y-l.drop+l.style.FontExtents().Descent, l.text)
	}
}

func isHeading(l string) bool { return strings.HasPrefix(l, "# ") }

// noteLine is a line of notes laid out: its style, indent and the distance
// from the top to the bottom of its line.
type noteLine struct {
	text   string
	style  text.Style
	indent vg.Length
	drop   vg.Length
}

// layoutNotes wraps notes at the given font size to width w.
func layoutNotes(notes []string, size, w vg.Length) []noteLine {
	var out []noteLine
	var y vg.Length
	for i, n := range notes {
		sty := textStyle(sans, size, Black)
		if isHeading(n) {
			n = n[2:]
			sty = textStyle(sansBold, size, Black)
			if i > 0 {
				y += size * 0.6
			}
		}
		indent := vg.Length(0)
		for _, l := range wrap(sty, n, w, size) {
			y += lineStep(sty)
			out = append(out, noteLine{text: l, style: sty, indent: indent, drop: y})
			indent = size
		}
	}
	return out
}

// wrap breaks txt at spaces into lines at most w wide, the lines after the
// first being indented by indent.
func wrap(sty text.Style, txt string, w, indent vg.Length) []string {
	return fill(sty, strings.Fields(txt), w, indent)
}

// fill lays units (words, or groups of words that stay together) into
// lines at most w wide, greedily, the lines after the first being
// indented by indent. A unit wider than a line has a line of its own.
func fill(sty text.Style, units []string, w, indent vg.Length) []string {
	if len(units) == 0 {
		return []string{""}
	}
	var lines []string
	cur := units[0]
	avail := w
	for _, u := range units[1:] {
		if sty.Width(cur+" "+u) <= avail {
			cur += " " + u
			continue
		}
		lines = append(lines, cur)
		cur = u
		avail = w - indent
	}
	return append(lines, cur)
}

// fit shrinks sty's font until txt is at most w wide.
func fit(sty *text.Style, txt string, w vg.Length) {
	for sty.Width(txt) > w && sty.Font.Size > 6 {
		sty.Font.Size *= 0.92
	}
}

// Encode writes the figure to w as an image in the given format ("png",
// "svg" or "pdf").
func (f *Figure) Encode(w io.Writer, format string) error {
	if f == nil {
		return errors.New("plots: nil figure")
	}
	wd, ht, dpi := f.Width, f.Height, f.DPI
	if wd == 0 {
		wd = DashboardWidth
	}
	if ht == 0 {
		ht = DashboardHeight
	}
	if dpi == 0 {
		dpi = DashboardDPI
	}
	if !knownFormat(format) {
		return fmt.Errorf("plots: unknown format %q (want png, svg or pdf)", format)
	}
	k := f.FontScale
	if k == 0 {
		k = 1
	}
	if !(k >= float64(minFontSize/DefaultFontSize) && k <= float64(maxFontSize/DefaultFontSize)) {
		return fmt.Errorf("plots: font scale %g out of range %.2g..%.2g", k, minFontSize/DefaultFontSize, maxFontSize/DefaultFontSize)
	}
	return render(w, format, wd, ht, dpi, func(c draw.Canvas) { f.Draw(scaled(c, k)) })
}

// Save writes the figure to path in the format given by its extension
// (.png, .svg or .pdf), atomically.
func (f *Figure) Save(path string) error {
	format, err := formatOf(path)
	if err != nil {
		return err
	}
	return writeFileAtomic(path, func(w io.Writer) error { return f.Encode(w, format) })
}
