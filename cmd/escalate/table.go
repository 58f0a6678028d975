package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/escalate-sim/escalate/internal/numfmt"
	"github.com/escalate-sim/escalate/job/resultfile"
	"github.com/escalate-sim/escalate/plots"
	"github.com/escalate-sim/escalate/sim"
)

// writeTable prints the summary a facilitator can show a room.
func writeTable(w io.Writer, sum *resultfile.Summary, elapsed time.Duration) {
	fmt.Fprintf(w, "%s (%s", sum.Title, sum.Scenario)
	if sum.Provenance.Strategy != "" {
		fmt.Fprintf(w, ", strategy %s", sum.Provenance.Strategy)
	}
	fmt.Fprintln(w, ")")
	fmt.Fprintf(w, "%s, seed %d, %s, %s dynamics", numfmt.RunCount(sum.Runs), sum.Seed, nMonths(sum.HorizonMonths), sum.Dynamics)
	if elapsed > 0 {
		fmt.Fprintf(w, ", %.2f s", elapsed.Seconds())
	}
	fmt.Fprintln(w)
	for _, o := range sum.Provenance.Overrides {
		fmt.Fprintf(w, "  with %s\n", o)
	}
	fmt.Fprintln(w)

	tw := newTable(w)
	fmt.Fprintln(tw, "Country\tP(war)\t95% interval\tMedian time to war\tMonths at war: mean\tp90\tFinal stage: latent\tescalating\twar")
	for i := range sum.Countries {
		c := &sum.Countries[i]
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%.1f\t%.0f\t%s\t%s\t%s\n", c.Name, pct(c.PWar), interval(c.PWarCI95),
			median(c.TimeToWar.MedianMonths, sum.HorizonMonths), c.WarMonths.Mean, c.WarMonths.P90,
			pct(c.FinalStage.Latent), pct(c.FinalStage.Escalating), pct(c.FinalStage.War))
	}
	if a := sum.AnyWar; a != nil {
		fmt.Fprintf(tw, "Any country\t%s\t%s\t%s\t%.1f\t%.0f\t\t\t\n", pct(a.PWar), interval(a.PWarCI95),
			median(a.TimeToWar.MedianMonths, sum.HorizonMonths), a.WarMonths.Mean, a.WarMonths.P90)
	}
	tw.Flush()

	if len(sum.Interventions) > 0 {
		fmt.Fprintln(w)
		tw = newTable(w)
		fmt.Fprintln(tw, "Mission\tKind\tWhere\tLaunch\tStaff\tConsent\tActive months\tMean cost")
		for _, iv := range sum.Interventions {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%.1f\t%s\n", iv.Name, strings.ReplaceAll(iv.Kind, "_", " "),
				strings.Join(iv.Countries, ", "), launch(iv, sum.HorizonMonths), staffSchedule(iv), pct(iv.PConsent), iv.ActiveMonthsMean, numfmt.Money(iv.Cost.Mean))
		}
		tw.Flush()
		fmt.Fprintf(w, "\nMean cost of all missions per run: %s\n", numfmt.Money(sum.Cost.Mean))
	} else {
		fmt.Fprintln(w, "\nNo missions.")
	}
	fmt.Fprintln(w, "\nP(war): share of runs at war in at least one month; the interval is a 95% Wilson interval.")
}

// writeSettings prints the strategy and overrides that every variant or
// point of a comparison or sweep shares, one a line.
func writeSettings(w io.Writer, strategy string, overrides []string) {
	if strategy != "" {
		fmt.Fprintf(w, "  starting from strategy %s\n", strategy)
	}
	for _, o := range overrides {
		fmt.Fprintf(w, "  with %s\n", o)
	}
}

func launch(iv sim.InterventionSummary, horizon int) string {
	s := ""
	switch {
	case iv.Trigger != "":
		s = "on " + iv.Trigger
	case iv.StartMonth > horizon:
		return fmt.Sprintf("month %d, after the horizon", iv.StartMonth)
	default:
		s = fmt.Sprintf("month %d", iv.StartMonth)
	}
	if iv.StartupDelay > 0 {
		s += fmt.Sprintf(" + %d mo start-up", iv.StartupDelay)
	}
	if iv.EndMonth > 0 {
		s += fmt.Sprintf(", ends month %d", iv.EndMonth)
	}
	return s
}

// staffSchedule is a mission's staff with its timed changes, as
// "6 → 12 (m4) → 3 (m7)": the staff from launch, then each change and
// the month from which it holds.
func staffSchedule(iv sim.InterventionSummary) string {
	s := strconv.FormatFloat(iv.Staff, 'g', -1, 64)
	for _, ch := range iv.StaffFrom {
		s += fmt.Sprintf(" → %s (m%d)", strconv.FormatFloat(ch.Staff, 'g', -1, 64), ch.Month)
	}
	return s
}

func pct(p float64) string {
	if p > 0 && p < 0.001 {
		return "<0.1%"
	}
	return fmt.Sprintf("%.1f%%", 100*p)
}

// interval formats a 95% interval of a share. A bound that rounds to 0% or
// 100% but is not reads "<0.1" or ">99.9", so that an interval never looks
// narrower than it is.
func interval(ci [2]float64) string {
	bound := func(x float64) string {
		switch s := fmt.Sprintf("%.1f", 100*x); {
		case s == "0.0" && x > 0:
			return "<0.1"
		case s == "100.0" && x < 1:
			return ">99.9"
		default:
			return s
		}
	}
	return bound(ci[0]) + "–" + bound(ci[1]) + "%"
}

func median(m *int, horizon int) string {
	if m == nil {
		return fmt.Sprintf("not within %d mo", horizon)
	}
	return fmt.Sprintf("%d mo", *m)
}

// tableWriter aligns columns like text/tabwriter and trims the padding
// tabwriter leaves after a row whose last cells are empty.
type tableWriter struct {
	*tabwriter.Writer
	out   io.Writer
	buf   strings.Builder
	raw   strings.Builder // the cells as written, tab-separated
	width int             // the --table-width to fit, or 0
}

func newTable(w io.Writer) *tableWriter {
	t := &tableWriter{out: w}
	t.Writer = tabwriter.NewWriter(&t.buf, 0, 0, 2, ' ', 0)
	return t
}

// newHeadedTable is newTable for a table whose first line is its header
// (compare's and sweep's), which --table-width may narrow.
func newHeadedTable(w io.Writer) *tableWriter {
	t := newTable(w)
	if n, ok := w.(*narrowWriter); ok {
		t.width = n.width
	}
	return t
}

// Write takes a line of tab-separated cells.
func (t *tableWriter) Write(p []byte) (int, error) {
	t.raw.Write(p)
	return t.Writer.Write(p)
}

// narrowWriter carries --table-width to the tables printed to it.
type narrowWriter struct {
	io.Writer
	width int
}

// narrowTo returns w, or with width > 0 a writer whose tables fit width
// columns.
func narrowTo(w io.Writer, width int) io.Writer {
	if width <= 0 {
		return w
	}
	return &narrowWriter{w, width}
}

func (t *tableWriter) Flush() error {
	if t.width > 0 {
		// The first line is the header; plots.TextTable chooses how to
		// fit the rest into the width.
		lines := strings.Split(strings.TrimSuffix(t.raw.String(), "\n"), "\n")
		rows := make([][]string, len(lines))
		for i, l := range lines {
			rows[i] = strings.Split(l, "\t")
			if i > 1 && rows[i][0] == "" {
				// A group's later rows leave its name to the first
				// (compare's country blocks); a block needs it.
				rows[i][0] = rows[i-1][0]
			}
		}
		t.raw.Reset()
		_, err := io.WriteString(t.out, plots.TextTable(rows[0], rows[1:], t.width))
		return err
	}
	if err := t.Writer.Flush(); err != nil {
		return err
	}
	var b strings.Builder
	for _, line := range strings.SplitAfter(t.buf.String(), "\n") {
		nl := strings.HasSuffix(line, "\n")
		b.WriteString(strings.TrimRight(line, " \n"))
		if nl {
			b.WriteByte('\n')
		}
	}
	t.buf.Reset()
	_, err := io.WriteString(t.out, b.String())
	return err
}

// nMonths says n months, "1 month" for one.
func nMonths(n int) string { return count(n, "month", "months") }
