package resultfile

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/escalate-sim/escalate/sim"
)

// CheckSummary rejects summaries whose arrays do not fit their horizon, so
// that readers (charts, replay) can index them safely.
func CheckSummary(s *sim.Summary) error {
	if s == nil {
		return fmt.Errorf("no summary")
	}
	h := s.HorizonMonths
	if h < 0 || h > sim.MaxHorizon || s.Runs < 0 || len(s.Countries) == 0 || len(s.Countries) > sim.MaxCountries {
		return fmt.Errorf("summary has an impossible horizon (%d), run count or number of countries", h)
	}
	okOutcome := func(o *sim.OutcomeSummary) bool {
		return len(o.TimeToWar.Survival) == h+1 && len(o.WarMonths.Histogram) == h+1
	}
	for i := range s.Countries {
		c := &s.Countries[i]
		if !okOutcome(&c.OutcomeSummary) || len(c.Occupancy.Latent) != h+1 || len(c.Occupancy.Escalating) != h+1 || len(c.Occupancy.War) != h+1 {
			return fmt.Errorf("country %q: series do not have horizon_months+1 points", c.ID)
		}
		if q := c.TensionQuantiles; q != nil {
			for _, series := range [][]float64{q.P05, q.P25, q.P50, q.P75, q.P95} {
				if len(series) != h+1 {
					return fmt.Errorf("country %q: tension quantiles do not have horizon_months+1 points", c.ID)
				}
			}
		}
	}
	if s.AnyWar != nil && !okOutcome(s.AnyWar) {
		return fmt.Errorf("any_war: series do not have horizon_months+1 points")
	}
	return nil
}

// WriteMonthsCSV writes months.csv's rows: one per country and month,
// stage shares and, under tension dynamics, tension quantiles.
func WriteMonthsCSV(w io.Writer, sum *sim.Summary) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "country,month,latent,escalating,war,tension_p05,tension_p25,tension_p50,tension_p75,tension_p95")
	for _, c := range sum.Countries {
		for m := range c.Occupancy.Latent {
			fmt.Fprintf(bw, "%s,%d,%s,%s,%s", c.ID, m, FormatFloat(c.Occupancy.Latent[m]), FormatFloat(c.Occupancy.Escalating[m]), FormatFloat(c.Occupancy.War[m]))
			if q := c.TensionQuantiles; q != nil {
				fmt.Fprintf(bw, ",%s,%s,%s,%s,%s\n", FormatFloat(q.P05[m]), FormatFloat(q.P25[m]), FormatFloat(q.P50[m]), FormatFloat(q.P75[m]), FormatFloat(q.P95[m]))
			} else {
				fmt.Fprint(bw, ",,,,,\n")
			}
		}
	}
	return bw.Flush()
}

// FormatFloat formats a float for CSV: the shortest digits that read back
// exactly, without an exponent (costs of millions read 4959609.6, not
// 4.9596096e+06, in every spreadsheet).
func FormatFloat(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// WriteSummaryCSV writes the CSV form of a summary: one row per country
// (and one for "any country").
func WriteSummaryCSV(w io.Writer, sum *sim.Summary) error {
	ff := FormatFloat
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "scenario,country,runs,seed,p_war,p_war_lo,p_war_hi,median_time_to_war,war_months_mean,war_months_p50,war_months_p90,war_onsets_mean,final_latent,final_escalating,final_war,cost_mean")
	row := func(id string, o *sim.OutcomeSummary, final *sim.StageShares, cost float64) {
		fl, fe, fw := "", "", ""
		if final != nil {
			fl, fe, fw = ff(final.Latent), ff(final.Escalating), ff(final.War)
		}
		fmt.Fprintf(bw, "%s,%s,%d,%d,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n",
			csvField(sum.Scenario), csvField(id), sum.Runs, sum.Seed, ff(o.PWar), ff(o.PWarCI95[0]), ff(o.PWarCI95[1]), optInt(o.TimeToWar.MedianMonths),
			ff(o.WarMonths.Mean), ff(o.WarMonths.P50), ff(o.WarMonths.P90), ff(o.WarOnsets.Mean), fl, fe, fw, ff(cost))
	}
	for i := range sum.Countries {
		c := &sum.Countries[i]
		row(c.ID, &c.OutcomeSummary, &c.FinalStage, c.Cost.Mean)
	}
	if sum.AnyWar != nil {
		row("any", sum.AnyWar, nil, sum.Cost.Mean)
	}
	return bw.Flush()
}

func csvField(s string) string {
	if strings.ContainsAny(s, ",\"\n\r") {
		return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
	}
	return s
}

func optInt(p *int) string {
	if p == nil {
		return ""
	}
	return strconv.Itoa(*p)
}

func optFloat(p *float64) string {
	if p == nil {
		return ""
	}
	return FormatFloat(*p)
}

// runsColumns are the columns of runs.csv before the missions'.
const runsColumns = "run,country,final_stage,ever_war,first_war_month,war_months,war_onsets,peak_tension,cost"

// RunsHeader is the header of runs.csv for sc, whose rows AppendRun
// writes: the outcome columns, then two per mission, consent_ID (whether
// the host accepted it in that run) and launch_month_ID (the month it was
// launched, empty if it never was).
func RunsHeader(sc *sim.Scenario) string {
	var b strings.Builder
	b.WriteString(runsColumns)
	for _, iv := range sc.Interventions {
		b.WriteString(",consent_" + iv.ID + ",launch_month_" + iv.ID)
	}
	b.WriteByte('\n')
	return b.String()
}

// AppendRun appends the runs.csv row of r to b: country names the
// country, tension says whether the peak tension is recorded (tension
// dynamics), missions is the scenario's number of missions.
func AppendRun(b []byte, r *sim.CountryRecord, country string, tension bool, missions int) []byte {
	b = strconv.AppendInt(b, r.Run, 10)
	b = append(b, ',')
	b = append(b, country...)
	b = append(b, ',')
	b = append(b, r.FinalStage.String()...)
	b = append(b, ',')
	b = strconv.AppendBool(b, r.EverWar)
	b = append(b, ',')
	if r.FirstWar >= 0 {
		b = strconv.AppendInt(b, int64(r.FirstWar), 10)
	}
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(r.WarMonths), 10)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(r.Onsets), 10)
	b = append(b, ',')
	if tension {
		b = strconv.AppendFloat(b, r.PeakTension, 'g', 6, 64)
	}
	b = append(b, ',')
	b = strconv.AppendFloat(b, r.Cost, 'f', 2, 64)
	for i := range missions {
		b = append(b, ',')
		b = strconv.AppendBool(b, r.Consented&(1<<i) != 0)
		b = append(b, ',')
		if r.Launched&(1<<i) != 0 {
			b = strconv.AppendInt(b, int64(r.LaunchMonth[i]), 10)
		}
	}
	return append(b, '\n')
}

// CopyRuns copies a shard's runs.csv rows after its comment and header,
// checking as it goes that the file is the one its aggregates part
// describes: the same provenance line and header, one row per country of
// each of the shard's runs in order, and a final newline. A truncated,
// swapped, relabelled or foreign file is an error, not a merged file with
// missing rows or glued lines.
func CopyRuns(w io.Writer, path string, part *Aggregates) error {
	in, err := os.Open(path)
	if err != nil {
		return err
	}
	defer in.Close()
	first, count := part.Shard.Span(part.Provenance.Runs)
	countries := part.Scenario.Countries
	r := bufio.NewReaderSize(in, 1<<16)
	bad := func(line int64, format string, args ...any) error {
		return fmt.Errorf("%s:%d: %s; merge needs each shard's runs.csv as escalate run wrote it", path, line, fmt.Sprintf(format, args...))
	}
	header := RunsHeader(part.Scenario)
	want := []string{part.Provenance.Comment(), header}
	for i, what := range []string{"provenance line", "header"} {
		line, err := r.ReadString('\n')
		if err != nil && err != io.EOF {
			return fmt.Errorf("%s: %w", path, err)
		}
		if line != want[i] {
			return bad(int64(i+1), "the %s is not this shard's (%q)", what, strings.TrimRight(line, "\r\n"))
		}
	}
	var prefix []byte
	lineNo := int64(2)
	commas := strings.Count(header, ",")
	for run := first; run < first+count; run++ {
		for _, c := range countries {
			lineNo++
			line, err := r.ReadSlice('\n')
			if err == bufio.ErrBufferFull {
				return bad(lineNo, "line too long")
			}
			if err == io.EOF {
				if len(line) > 0 {
					return bad(lineNo, "the file ends without a newline (truncated?)")
				}
				return bad(lineNo, "the file ends at run %d of runs %d to %d (truncated?)", run, first, first+count-1)
			}
			if err != nil {
				return fmt.Errorf("%s: %w", path, err)
			}
			prefix = strconv.AppendInt(prefix[:0], run, 10)
			prefix = append(prefix, ',')
			prefix = append(prefix, c.ID...)
			prefix = append(prefix, ',')
			if !bytes.HasPrefix(line, prefix) || bytes.Count(line, []byte{','}) != commas {
				return bad(lineNo, "want run %d of country %s, got %q", run, c.ID, strings.TrimRight(string(line), "\r\n"))
			}
			if _, err := w.Write(line); err != nil {
				return err
			}
		}
	}
	if extra, _ := r.Peek(1); len(extra) > 0 {
		return bad(lineNo+1, "rows beyond the shard's runs %d to %d", first, first+count-1)
	}
	return nil
}
