package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/escalate-sim/escalate/sim"
)

// summaryFile is summary.json and the --format json output: the summary
// with the provenance that reproduces it.
type summaryFile struct {
	*sim.Summary
	// Shard is set in the summary of one shard of a job.
	Shard      *shardInfo `json:"shard,omitempty"`
	Provenance provenance `json:"provenance"`
}

// provenance records what produced a result. It holds nothing that varies
// between equivalent runs (no worker count, no time), so the same inputs
// always give the same bytes.
type provenance struct {
	Tool           string   `json:"tool"`
	Source         string   `json:"source"` // the scenario as named on the command line
	ScenarioSHA256 string   `json:"scenario_sha256"`
	Strategy       string   `json:"strategy,omitempty"`
	Overrides      []string `json:"overrides,omitempty"`
	// Events, Shocks and Disable are the --event, --shock and --disable
	// values (see additions.go).
	Events  []string `json:"events,omitempty"`
	Shocks  []string `json:"shocks,omitempty"`
	Disable []string `json:"disable,omitempty"`
	// Runs and Seed are those of the whole job (a shard's summary has
	// fewer runs at its top level).
	Runs    int64  `json:"runs"`
	Seed    uint64 `json:"seed"`
	Command string `json:"command"`
}

// newSummaryFile summarises res. runs is the run count of the whole job
// (which a shard's provenance names, so that every shard records the
// command of the whole).
func newSummaryFile(l *loaded, res *sim.Result, seed uint64, runs int64) *summaryFile {
	s := sim.Summarize(l.sc, res, seed)
	return &summaryFile{Summary: s, Provenance: newProvenance(l, runs, seed)}
}

func newProvenance(l *loaded, runs int64, seed uint64) provenance {
	p := provenance{
		Tool:           toolVersion(),
		Source:         l.file.Path,
		ScenarioSHA256: fingerprint(l.sc),
		Strategy:       l.strategy,
		Overrides:      l.overrides,
		Runs:           runs,
		Seed:           seed,
	}
	cmd := fmt.Sprintf("escalate run %s --runs %d --seed %d", shellQuote(l.file.Path), runs, seed)
	if l.strategy != "" {
		cmd += " --strategy " + shellQuote(l.strategy)
	}
	for _, o := range l.overrides {
		cmd += " --set " + shellQuote(o)
	}
	p.Command = cmd
	l.additions.record(&p)
	return p
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	safe := s != ""
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.' || r == '/' || r == '=' || r == ',' || r == ':') {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	return "'" + bytesReplace(s, "'", `'\''`) + "'"
}

func bytesReplace(s, old, new string) string {
	return string(bytes.ReplaceAll([]byte(s), []byte(old), []byte(new)))
}

func marshalJSON(v any) ([]byte, error) {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}

func writeJSON(w io.Writer, v any) error {
	data, err := marshalJSON(v)
	if err != nil {
		return err
	}
	_, err = w.Write(data)
	return err
}

// writeRunOutputs writes summary.json, months.csv and aggregates.json.
func writeRunOutputs(out *outDir, sc *sim.Scenario, sum *summaryFile, res *sim.Result, sh *shard) error {
	data, err := marshalJSON(sum)
	if err != nil {
		return err
	}
	if err := out.writeFile("summary.json", data); err != nil {
		return err
	}
	if err := writeCSVFile(out, "months.csv", sum.Provenance, func(w io.Writer) error {
		writeMonthsCSV(w, sum)
		return nil
	}); err != nil {
		return err
	}
	af := aggregatesFile{Format: aggregatesFormat, Provenance: sum.Provenance, Seed: sum.Seed, Scenario: sc, Result: res}
	if sh != nil {
		af.Shard = &shardInfo{Index: sh.index, Count: sh.count}
	}
	agg, err := marshalJSON(af)
	if err != nil {
		return err
	}
	return out.writeFile("aggregates.json", agg)
}

// aggregatesFormat names the layout of aggregates.json; merge refuses
// other layouts.
const aggregatesFormat = "escalate-aggregates/1"

// aggregatesFile holds the raw counts of a run or a shard, which merge
// exactly. The provenance is that of the whole job.
type aggregatesFile struct {
	Format     string     `json:"format"`
	Provenance provenance `json:"provenance"`
	Seed       uint64     `json:"seed"`
	Shard      *shardInfo `json:"shard,omitempty"`
	// Scenario is the resolved scenario (after strategy and overrides), so
	// that shards merge without the original files.
	Scenario *sim.Scenario `json:"scenario"`
	Result   *sim.Result   `json:"result"`
}

type shardInfo struct {
	Index int64 `json:"index"`
	Count int64 `json:"count"`
}

// writeMonthsCSV writes one row per country and month: stage shares and,
// under tension dynamics, tension quantiles.
func writeMonthsCSV(w io.Writer, sum *summaryFile) {
	fmt.Fprintln(w, "country,month,latent,escalating,war,tension_p05,tension_p25,tension_p50,tension_p75,tension_p95")
	for _, c := range sum.Countries {
		for m := range c.Occupancy.Latent {
			fmt.Fprintf(w, "%s,%d,%s,%s,%s", c.ID, m, ff(c.Occupancy.Latent[m]), ff(c.Occupancy.Escalating[m]), ff(c.Occupancy.War[m]))
			if q := c.TensionQuantiles; q != nil {
				fmt.Fprintf(w, ",%s,%s,%s,%s,%s\n", ff(q.P05[m]), ff(q.P25[m]), ff(q.P50[m]), ff(q.P75[m]), ff(q.P95[m]))
			} else {
				fmt.Fprint(w, ",,,,,\n")
			}
		}
	}
}

// ff formats a float for CSV: the shortest digits that read back exactly,
// without an exponent (costs of millions read 4959609.6, not
// 4.9596096e+06, in every spreadsheet).
func ff(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// writeSummaryCSV writes one row per country (and one for "any country").
func writeSummaryCSV(w io.Writer, sum *summaryFile) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "scenario,country,runs,seed,p_war,p_war_lo,p_war_hi,median_time_to_war,war_months_mean,war_months_p50,war_months_p90,war_onsets_mean,final_latent,final_escalating,final_war,cost_mean")
	row := func(id string, o *sim.OutcomeSummary, final *sim.StageShares, cost float64) {
		med := ""
		if o.TimeToWar.MedianMonths != nil {
			med = strconv.Itoa(*o.TimeToWar.MedianMonths)
		}
		fl, fe, fw := "", "", ""
		if final != nil {
			fl, fe, fw = ff(final.Latent), ff(final.Escalating), ff(final.War)
		}
		fmt.Fprintf(bw, "%s,%s,%d,%d,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n",
			csvField(sum.Scenario), csvField(id), sum.Runs, sum.Seed, ff(o.PWar), ff(o.PWarCI95[0]), ff(o.PWarCI95[1]), med,
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
	for _, r := range s {
		if r == ',' || r == '"' || r == '\n' || r == '\r' {
			return `"` + bytesReplace(s, `"`, `""`) + `"`
		}
	}
	return s
}

// runsWriter streams the rows of runs.csv while the simulation runs
// (records arrive in run order) into a scratch file; close writes runs.csv
// with its provenance comment, which is only known once the run count is.
type runsWriter struct {
	out     *outDir
	f       *os.File
	w       *bufio.Writer
	ids     []string
	buf     []byte
	tension bool
}

const runsHeader = "run,country,final_stage,ever_war,first_war_month,war_months,war_onsets,peak_tension,cost\n"

func newRunsWriter(out *outDir, sc *sim.Scenario) (*runsWriter, error) {
	f, err := os.Create(out.path(".runs.rows"))
	if err != nil {
		return nil, fmt.Errorf("writing runs.csv in %s: %w", out.name, err)
	}
	rw := &runsWriter{out: out, f: f, w: bufio.NewWriterSize(f, 1<<16), tension: sc.Model.Dynamics == sim.Tension}
	for _, c := range sc.Countries {
		rw.ids = append(rw.ids, c.ID)
	}
	return rw, nil
}

func (rw *runsWriter) write(recs []sim.CountryRecord) error {
	for _, r := range recs {
		b := rw.buf[:0]
		b = strconv.AppendInt(b, r.Run, 10)
		b = append(b, ',')
		b = append(b, rw.ids[r.Country]...)
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
		if rw.tension {
			b = strconv.AppendFloat(b, r.PeakTension, 'g', 6, 64)
		}
		b = append(b, ',')
		b = strconv.AppendFloat(b, r.Cost, 'f', 2, 64)
		b = append(b, '\n')
		rw.buf = b
		if _, err := rw.w.Write(b); err != nil {
			return fmt.Errorf("writing runs.csv: %w", err)
		}
	}
	return nil
}

// discard closes the scratch file after a failure; the directory goes
// with it.
func (rw *runsWriter) discard() { rw.f.Close() }

// close writes runs.csv: the provenance comment, the header, the rows.
func (rw *runsWriter) close(p provenance) error {
	if err := rw.w.Flush(); err != nil {
		return fmt.Errorf("writing runs.csv: %w", err)
	}
	if _, err := rw.f.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("writing runs.csv: %w", err)
	}
	defer os.Remove(rw.f.Name())
	defer rw.f.Close()
	return writeCSVFile(rw.out, "runs.csv", p, func(w io.Writer) error {
		if _, err := io.WriteString(w, runsHeader); err != nil {
			return err
		}
		_, err := io.Copy(w, rw.f)
		return err
	})
}

// writeCSVFile writes a CSV file in out whose first line is a comment with
// the provenance ("# ..."; read it with pandas' comment="#" or R's
// comment.char="#").
func writeCSVFile(out *outDir, name string, p provenance, body func(io.Writer) error) error {
	f, err := os.Create(out.path(name))
	if err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	w := bufio.NewWriterSize(f, 1<<16)
	io.WriteString(w, provenanceComment(p))
	if err := body(w); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", name, err)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", name, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	return nil
}

// provenanceComment is the first line of every CSV file escalate writes to
// a directory.
func provenanceComment(p provenance) string {
	s := fmt.Sprintf("# %s; scenario sha256 %s", p.Tool, p.ScenarioSHA256)
	if p.Strategy != "" {
		s += "; strategy " + p.Strategy
	}
	return s + "; reproduce with: " + p.Command + "\n"
}
