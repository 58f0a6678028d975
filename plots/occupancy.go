package plots

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/escalate-sim/escalate/sim"
)

// Line styles of mission markers.
var (
	launchStyle = draw.LineStyle{Color: Black, Width: vg.Points(1.5), Dashes: []vg.Length{vg.Points(5), vg.Points(3)}}
	actStyle    = draw.LineStyle{Color: Black, Width: vg.Points(2)}
)

// Occupancy returns a stacked area chart of the share of runs in each stage
// by month: war at the bottom, then escalating, then latent, adding up to
// all runs. The missions acting in the country are marked by a dashed line
// at their launch month (for missions with a fixed start) and a solid line
// at the month they first act (the median over the runs in which they
// act), so that the start-up delay shows as the gap between the two.
func Occupancy(s *sim.Summary, country int) (*plot.Plot, error) {
	return occupancy(s, country, standard)
}

func occupancy(s *sim.Summary, c int, th theme) (*plot.Plot, error) {
	cs, err := country(s, c)
	if err != nil {
		return nil, err
	}
	name := countryName(cs)
	n := s.HorizonMonths + 1
	for st := range sim.Stage(sim.NumStages) {
		if err := checkSeries(fmt.Sprintf("share of runs %s in %s", st, name), cs.Occupancy.At(st), n); err != nil {
			return nil, err
		}
	}

	p := newPlot(th, name+": stage by month", "Month", "Share of runs")
	p.X.Min, p.X.Max = 0, float64(max(s.HorizonMonths, 1))
	p.Y.Min, p.Y.Max = 0, 1
	p.X.Tick.Marker = monthTicks(th)
	p.Y.Tick.Marker = shareTicks
	p.X.Padding, p.Y.Padding = 0, 0

	// Cumulative shares from the bottom: war, war+escalating, all three.
	order := []sim.Stage{sim.War, sim.Escalating, sim.Latent}
	cum := make([]float64, n)
	areas := make([]*plotter.Line, len(order))
	for i, st := range order {
		xys := make(plotter.XYs, n)
		for m, v := range cs.Occupancy.At(st) {
			cum[m] += v
			xys[m] = plotter.XY{X: float64(m), Y: cum[m]}
		}
		l, err := plotter.NewLine(xys)
		if err != nil {
			return nil, fmt.Errorf("plots: stage by month in %s: %w", name, err)
		}
		l.FillColor = StageColor(st)
		l.LineStyle = draw.LineStyle{Color: white, Width: vg.Points(0.75)}
		areas[i] = l
	}
	// Tallest first, so that each area is drawn over the one above it.
	for i := len(areas) - 1; i >= 0; i-- {
		p.Add(areas[i])
	}
	g := plotter.NewGrid()
	g.Vertical.Width = 0
	g.Horizontal.Color = withAlpha(white, 0.5)
	g.Horizontal.Width = vg.Points(0.75)
	p.Add(g)

	leg := newSideLegend(th)
	for _, st := range []sim.Stage{sim.Latent, sim.Escalating, sim.War} {
		leg.add(StageLabel(st), swatch{fill: StageColor(st)})
	}
	mm := missionMarksOf(s, cs, th)
	if len(mm.items) > 0 {
		leg.space()
		// Only the kinds of line the chart draws: missions sent on a
		// trigger have no launch line.
		if slices.ContainsFunc(mm.items, func(m missionMark) bool { return m.launch != nil }) {
			leg.add("Mission launched", vlineThumb{style: launchStyle})
		}
		if slices.ContainsFunc(mm.items, func(m missionMark) bool { return m.act != nil }) {
			leg.add("Mission first acts\n(median over runs)", vlineThumb{style: actStyle})
		}
		mm.right = leg.gap + leg.width()
		p.Add(mm)
	}
	p.Add(leg)
	return p, nil
}

// missionMark marks one mission on an occupancy chart.
type missionMark struct {
	launch, act *int // months, nil if not shown
	text        string
	// name and shortWhat say the same in fewer words (name: shortWhat),
	// for a label that does not fit in full; kept apart so that a label
	// still too long can name the mission by its id (id: shortWhat), the
	// key of --set and --vary, rather than by a cut name that several
	// missions may share ("Political…").
	name, id, shortWhat string
}

// shortText is the label in fewer words.
func (m missionMark) shortText() string { return m.name + ": " + m.shortWhat }

// missionMarks draws the missions' lines over the data area and their
// labels in rows above it, one row a mission.
type missionMarks struct {
	items []missionMark
	style text.Style
	rowH  vg.Length
	gap   vg.Length
	right vg.Length // room right of the data area (the legend's)
}

func missionMarksOf(s *sim.Summary, cs *sim.CountrySummary, th theme) *missionMarks {
	mm := &missionMarks{style: textStyle(sans, th.note, Black)}
	mm.style.YAlign = draw.YCenter
	mm.rowH = mm.style.Height("Mg") * 1.3
	mm.gap = th.note * 0.4
	h := s.HorizonMonths
	inHorizon := func(m int) *int {
		if m < 0 || m > h {
			return nil
		}
		return &m
	}
	for i := range s.Interventions {
		iv := &s.Interventions[i]
		if !slices.Contains(iv.Countries, cs.ID) {
			continue
		}
		name := iv.Name
		if name == "" {
			name = iv.ID
		}
		var mk missionMark
		var what, short string
		if iv.Trigger != "" {
			what = "sent on " + triggerName(iv.Trigger)
			if iv.PLaunched < 0.95 {
				what += " in " + percent(iv.PLaunched) + " of runs"
			}
			short = strings.TrimPrefix(what, "sent ")
		} else {
			mk.launch = inHorizon(iv.StartMonth)
			what = fmt.Sprintf("launched month %d", iv.StartMonth)
			short = fmt.Sprintf("month %d", iv.StartMonth)
			if iv.StartMonth > h {
				what += " (after the horizon)"
				short += " (after the horizon)"
			}
		}
		switch {
		case iv.FirstActiveMedian == nil:
			what += ", never acts"
			short += ", never acts"
		case *iv.FirstActiveMedian > h:
			what += ", acts after the horizon"
			short += ", acts after the horizon"
		default:
			mk.act = inHorizon(*iv.FirstActiveMedian)
			what += fmt.Sprintf(", acts from month %d", *iv.FirstActiveMedian)
			if iv.Trigger != "" {
				short += fmt.Sprintf(", from month %d", *iv.FirstActiveMedian)
			} else {
				short += fmt.Sprintf(" → %d", *iv.FirstActiveMedian)
			}
		}
		mk.text = name + ": " + what
		mk.name, mk.id, mk.shortWhat = name, iv.ID, short
		mm.items = append(mm.items, mk)
	}
	// By their last line, earliest first, so that a label, drawn right of
	// its mission's lines, is right of the lines of the rows above it too;
	// missions without lines last.
	key := func(m missionMark) int {
		switch {
		case m.act != nil:
			return *m.act
		case m.launch != nil:
			return *m.launch
		}
		return h + 1
	}
	slices.SortStableFunc(mm.items, func(a, b missionMark) int { return cmp.Compare(key(a), key(b)) })
	if n := len(mm.items); n > maxMissionRows {
		mm.items = append(mm.items[:maxMissionRows-1], missionMark{
			text: fmt.Sprintf("+ %d more missions, not marked", n-maxMissionRows+1),
		})
	}
	return mm
}

// maxMissionRows is the number of missions marked on an occupancy chart.
const maxMissionRows = 6

// Plot implements plot.Plotter. It draws every mission's lines first and
// then the labels, on an opaque background, so that no line crosses a
// label; all labels share one font size.
func (mm *missionMarks) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	pad := mm.style.Font.Size * 0.5
	lo, hi := c.Min.X, c.Max.X+mm.right
	rowY := func(j int) vg.Length { return c.Max.Y + mm.gap + (vg.Length(len(mm.items)-j)-0.5)*mm.rowH }
	lines := make([][]vg.Length, len(mm.items))
	sty := mm.style
	// Over the data the lines are thin, so that they mark a month without
	// hiding the areas (a war peak often falls in the month a mission
	// starts); above it, where they lead to their labels, full width.
	thin := func(ls draw.LineStyle) draw.LineStyle {
		ls.Width *= 0.5
		return ls
	}
	for j, it := range mm.items {
		y := rowY(j)
		if it.launch != nil {
			x := trX(float64(*it.launch))
			c.StrokeLine2(thin(launchStyle), x, c.Min.Y, x, c.Max.Y)
			c.StrokeLine2(launchStyle, x, c.Max.Y, x, y)
			lines[j] = append(lines[j], x)
		}
		if it.act != nil {
			x := trX(float64(*it.act))
			c.StrokeLine2(thin(actStyle), x, c.Min.Y, x, c.Max.Y)
			c.StrokeLine2(actStyle, x, c.Max.Y, x, y)
			lines[j] = append(lines[j], x)
		}
		// Shrink only as far as the shorter wording needs: a long label
		// is shown short rather than all of them small.
		need := it.text
		if it.shortWhat != "" {
			need = it.shortText()
		}
		for sty.Width(need) > hi-lo && sty.Font.Size > mm.style.Font.Size*0.75 {
			sty.Font.Size *= 0.95
		}
	}
	sty.XAlign = draw.XLeft
	ext := sty.FontExtents()
	for j, it := range mm.items {
		y := rowY(j)
		// The lines through this row are those of the rows above. A
		// label goes right of its own lines (where, the rows being in the
		// order of their last line, none passes) or else left of them
		// where none passes: in full, else in short, else in short with
		// the mission's id for its name; failing all, wherever it fits.
		xs := lines[j]
		var through []vg.Length
		for k := range j {
			through = append(through, lines[k]...)
		}
		clear := func(tx, w vg.Length) bool {
			if tx < lo || tx+w > hi {
				return false
			}
			for _, x := range through {
				if x >= tx-pad/3 && x <= tx+w+pad/3 {
					return false
				}
			}
			return true
		}
		place := func(txt string) (vg.Length, bool) {
			w := sty.Width(txt)
			if len(xs) == 0 {
				return lo, w <= hi-lo
			}
			if tx := slices.Max(xs) + pad; clear(tx, w) {
				return tx, true
			}
			if tx := slices.Min(xs) - pad - w; clear(tx, w) {
				return tx, true
			}
			return 0, false
		}
		candidates := []string{it.text}
		if it.shortWhat != "" {
			candidates = append(candidates, it.shortText())
			if it.id != "" && it.id != it.name {
				candidates = append(candidates, it.id+": "+it.shortWhat)
			}
		}
		txt := candidates[len(candidates)-1]
		tx, placed := vg.Length(0), false
		for _, c := range candidates {
			if tx, placed = place(c); placed {
				txt = c
				break
			}
		}
		if !placed {
			for sty.Width(txt) > hi-lo && len(txt) > 4 {
				r := []rune(strings.TrimSuffix(txt, "…"))
				txt = string(r[:len(r)-2]) + "…"
			}
			tx = max(lo, hi-sty.Width(txt))
		}
		w := sty.Width(txt)
		bg := vg.Rectangle{
			Min: vg.Point{X: tx - pad/3, Y: y - (ext.Ascent+ext.Descent)/2},
			Max: vg.Point{X: tx + w + pad/3, Y: y + (ext.Ascent+ext.Descent)/2},
		}
		fillRect(c, white, bg)
		c.FillText(sty, vg.Point{X: tx, Y: y}, txt)
	}
}

// triggerName describes a mission's trigger ("escalating", "war").
func triggerName(t string) string {
	switch t {
	case "escalating":
		return "escalation"
	case "war":
		return "war"
	}
	return t
}

// GlyphBoxes reserves the rows of labels above the data area.
func (mm *missionMarks) GlyphBoxes(*plot.Plot) []plot.GlyphBox {
	return []plot.GlyphBox{{X: 0, Y: 1, Rectangle: vg.Rectangle{
		Min: vg.Point{Y: mm.gap},
		Max: vg.Point{Y: mm.gap + vg.Length(len(mm.items))*mm.rowH},
	}}}
}
