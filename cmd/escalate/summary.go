package main

import (
	"bufio"
	"fmt"
	"io"
	"os"

	"github.com/escalate-sim/escalate/internal/atomicfs"
	"github.com/escalate-sim/escalate/job/resultfile"
	"github.com/escalate-sim/escalate/sim"
)

// writeRunOutputs writes summary.json, months.csv and aggregates.json.
func writeRunOutputs(out *atomicfs.Dir, sum *resultfile.Summary, agg *resultfile.Aggregates) error {
	data, err := resultfile.Marshal(sum)
	if err != nil {
		return err
	}
	if err := out.WriteFile("summary.json", data); err != nil {
		return err
	}
	if err := writeCSVFile(out, "months.csv", sum.Provenance, func(w io.Writer) error {
		return resultfile.WriteMonthsCSV(w, sum.Summary)
	}); err != nil {
		return err
	}
	if data, err = resultfile.Marshal(agg); err != nil {
		return err
	}
	return out.WriteFile("aggregates.json", data)
}

// runsWriter streams the rows of runs.csv while the simulation runs
// (records arrive in run order) into a scratch file; close writes runs.csv
// with its provenance comment, which is only known once the run count is.
type runsWriter struct {
	out     *atomicfs.Dir
	f       *os.File
	w       *bufio.Writer
	ids     []string
	buf     []byte
	sc      *sim.Scenario
	tension bool
}

func newRunsWriter(out *atomicfs.Dir, sc *sim.Scenario) (*runsWriter, error) {
	f, err := os.Create(out.Path(".runs.rows"))
	if err != nil {
		return nil, fmt.Errorf("writing runs.csv in %s: %w", out.Name(), err)
	}
	rw := &runsWriter{out: out, f: f, w: bufio.NewWriterSize(f, 1<<16), sc: sc, tension: sc.Model.Dynamics == sim.Tension}
	for _, c := range sc.Countries {
		rw.ids = append(rw.ids, c.ID)
	}
	return rw, nil
}

func (rw *runsWriter) write(recs []sim.CountryRecord) error {
	for i := range recs {
		rw.buf = resultfile.AppendRun(rw.buf[:0], &recs[i], rw.ids[recs[i].Country], rw.tension, len(rw.sc.Interventions))
		if _, err := rw.w.Write(rw.buf); err != nil {
			return fmt.Errorf("writing runs.csv: %w", err)
		}
	}
	return nil
}

// discard closes the scratch file after a failure; the directory goes
// with it.
func (rw *runsWriter) discard() { rw.f.Close() }

// close writes runs.csv: the provenance comment, the header, the rows.
func (rw *runsWriter) close(p resultfile.Provenance) error {
	if err := rw.w.Flush(); err != nil {
		return fmt.Errorf("writing runs.csv: %w", err)
	}
	if _, err := rw.f.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("writing runs.csv: %w", err)
	}
	defer os.Remove(rw.f.Name())
	defer rw.f.Close()
	return writeCSVFile(rw.out, "runs.csv", p, func(w io.Writer) error {
		if _, err := io.WriteString(w, resultfile.RunsHeader(rw.sc)); err != nil {
			return err
		}
		_, err := io.Copy(w, rw.f)
		return err
	})
}

// writeCSVFile writes a CSV file in out whose first line is the
// provenance comment.
func writeCSVFile(out *atomicfs.Dir, name string, p resultfile.Provenance, body func(io.Writer) error) error {
	f, err := os.Create(out.Path(name))
	if err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	w := bufio.NewWriterSize(f, 1<<16)
	io.WriteString(w, p.Comment())
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

// writeResult writes NAME.json and NAME.csv (its provenance comment,
// then the rows) of a comparison or sweep.
func writeResult(out *atomicfs.Dir, name string, v any, p resultfile.Provenance) error {
	data, err := resultfile.Marshal(v)
	if err != nil {
		return err
	}
	if err := out.WriteFile(name+".json", data); err != nil {
		return err
	}
	return writeCSVFile(out, name+".csv", p, func(w io.Writer) error { return writeCSV(w, v) })
}
