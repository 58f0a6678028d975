package serve

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/escalate-sim/escalate/job"
	"github.com/escalate-sim/escalate/job/resultfile"
	"github.com/escalate-sim/escalate/plots"
	"github.com/escalate-sim/escalate/scenarios"
)

// handleDownload serves the files a facilitator takes home:
//
//	chart.png|svg|pdf              the what-if's dashboard
//	comparison-chart.png|svg|pdf   P(war) of baseline and what-if
//	summary.json                   as escalate run --format json
//	comparison.json                as escalate compare --format json on comparison.toml
//	comparison.toml                the file with baseline and what-if as two strategies
//	history.csv                    every what-if tried
//	scenario.toml                  the file with the changes as [strategy.workshop]
//
// ?entry=N picks the what-if (default: the newest).
func (s *Server) handleDownload(w http.ResponseWriter, r *http.Request) (any, error) {
	what := r.PathValue("what")
	if what == "history.csv" {
		s.mu.Lock()
		entries := slices.Clone(s.hist.entries)
		base := 0
		if s.hist.baseline != nil {
			base = s.hist.baseline.ID
		}
		s.mu.Unlock()
		var buf bytes.Buffer
		if err := writeHistoryCSV(&buf, entries, base); err != nil {
			return nil, err
		}
		return nil, attach(w, "history.csv", "text/csv; charset=utf-8", buf.Bytes())
	}
	e, err := s.entryFor(r)
	if err != nil {
		return nil, err
	}
	res := e.result
	name := func(ext string) string { return fmt.Sprintf("whatif-%d-%s", e.ID, ext) }
	var buf bytes.Buffer
	switch {
	case strings.HasPrefix(what, "chart."):
		format := strings.TrimPrefix(what, "chart.")
		if err := checkFormat(format); err != nil {
			return nil, err
		}
		fig, err := plots.Dashboard(res.summary, e.Command)
		if err != nil {
			return nil, err
		}
		if err := fig.Encode(&buf, format); err != nil {
			return nil, err
		}
		return nil, attach(w, name("dashboard."+format), contentType(format), buf.Bytes())
	case strings.HasPrefix(what, "comparison-chart."):
		format := strings.TrimPrefix(what, "comparison-chart.")
		if err := checkFormat(format); err != nil {
			return nil, err
		}
		if res.cmp == nil {
			return nil, badRequest("what-if %d was run without a pinned baseline: pin one and run it again to compare", e.ID)
		}
		p, err := plots.ComparePWar(res.cmp)
		if err != nil {
			return nil, err
		}
		if err := plots.Encode(&buf, p, format, plots.Options{Caption: e.Command}); err != nil {
			return nil, err
		}
		return nil, attach(w, name("comparison."+format), contentType(format), buf.Bytes())
	case what == "summary.json":
		data, err := s.runJob(r.Context(), res.built.Job())
		if err != nil {
			return nil, err
		}
		return nil, attach(w, name("summary.json"), "application/json", data)
	case what == "comparison.json" || what == "comparison.toml":
		if res.cmp == nil {
			return nil, badRequest("what-if %d was run without a pinned baseline: pin one and run it again to compare", e.ID)
		}
		data, err := exportComparisonTOML(res.base, res.built)
		if err != nil {
			return nil, err
		}
		fname := comparisonFileName(res.built)
		if what == "comparison.toml" {
			return nil, attach(w, fname, "application/toml", data)
		}
		out, err := s.runJob(r.Context(), comparisonJob(fname, data, res.built))
		if err != nil {
			return nil, err
		}
		return nil, attach(w, name("comparison.json"), "application/json", out)
	case what == "scenario.toml":
		data, err := exportTOML(res.built)
		if err != nil {
			return nil, err
		}
		return nil, attach(w, name(res.built.File.Name+".toml"), "application/toml", data)
	}
	return nil, &httpError{http.StatusNotFound, fmt.Sprintf("no download %q", what)}
}

// runJob runs j as the command line does, in one of the server's job
// slots, and returns its result file's bytes: what escalate run or compare
// --format json prints, so that escalate replay repeats them.
func (s *Server) runJob(ctx context.Context, j job.Job) ([]byte, error) {
	select {
	case s.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-s.slots }()
	res, err := job.Execute(ctx, j, nil)
	if err != nil {
		return nil, err
	}
	file, _ := res.File()
	return resultfile.Marshal(file)
}

func checkFormat(f string) error {
	switch f {
	case "png", "svg", "pdf":
		return nil
	}
	return badRequest("chart format must be png, svg or pdf, got %q", f)
}

func contentType(format string) string {
	return map[string]string{"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}[format]
}

func attach(w http.ResponseWriter, name, ctype string, data []byte) error {
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name))
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	_, err := w.Write(data)
	return err
}

// entryFor returns the what-if named by ?entry= (the newest if absent),
// which must still have its aggregates.
func (s *Server) entryFor(r *http.Request) (*entry, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var e *entry
	if q := r.URL.Query().Get("entry"); q != "" {
		id, err := strconv.Atoi(q)
		if err != nil {
			return nil, badRequest("entry must be a what-if number, got %q", q)
		}
		if e = s.hist.find(id); e == nil {
			return nil, badRequest("no what-if %d in the history", id)
		}
	} else if n := len(s.hist.entries); n > 0 {
		e = s.hist.entries[n-1]
	} else {
		return nil, badRequest("no what-if has run yet")
	}
	if e.result == nil {
		return nil, badRequest("what-if %d is too old: its aggregates were dropped to save memory; run it again to download", e.ID)
	}
	return e, nil
}

// exportTOML writes b's scenario file with b's changes: events and shocks
// as tables of the file (a strategy cannot add them), the strategy chosen
// and the --set and --disable values as one [strategy.workshop] table, so
// that escalate run FILE --strategy workshop repeats the what-if.
func exportTOML(b *Built) ([]byte, error) {
	var buf bytes.Buffer
	buf.Write(bytes.TrimRight(b.File.Data, "\n"))
	buf.WriteString("\n\n# Added by escalate serve: the what-if ")
	buf.WriteString(b.Command())
	buf.WriteString("\n")
	for _, s := range b.State.Events {
		e, err := scenarios.ParseEvent(s)
		if err != nil {
			return nil, err
		}
		ev, _ := scenarios.ParseEvent(e.String()) // with its default label
		fmt.Fprintf(&buf, "\n[country.%s.event.%s]\nmonth = %d\nsize = %s\n", ev.Country, ev.Label, ev.Month, strconv.FormatFloat(ev.Size, 'g', -1, 64))
	}
	for _, s := range b.State.Shocks {
		sh, err := scenarios.ParseShock(s)
		if err != nil {
			return nil, err
		}
		sh, _ = scenarios.ParseShock(sh.String())
		fmt.Fprintf(&buf, "\n[country.%s.shock.%s]\nrate_per_year = %s\nmean_size = %s\n", sh.Country, sh.Name,
			strconv.FormatFloat(sh.RatePerYear, 'g', -1, 64), strconv.FormatFloat(sh.MeanSize, 'g', -1, 64))
	}
	if err := writeStrategy(&buf, b, strategyName(b.File), "Workshop what-if", nil); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// writeStrategy writes b's strategy and changes as one [strategy.NAME]
// table, with extra overrides after them.
func writeStrategy(buf *bytes.Buffer, b *Built, name, title string, extra []scenarios.Override) error {
	fmt.Fprintf(buf, "\n[strategy.%s]\nname = %q\ndescription = %q\n", name, title, "Made in escalate serve: "+b.Changes())
	var disable []string
	var sets []scenarios.Override
	if b.State.Strategy != "" {
		for _, st := range b.File.Strategies {
			if st.ID == b.State.Strategy {
				disable = append(disable, st.Disable...)
				sets = append(sets, st.Set...)
			}
		}
	}
	disable = append(disable, b.State.Disable...)
	for _, s := range b.State.Sets {
		o, err := scenarios.ParseOverride(s)
		if err != nil {
			return err
		}
		sets = append(sets, o)
	}
	sets = append(sets, extra...)
	if len(disable) > 0 {
		q := make([]string, len(disable))
		for i, d := range disable {
			q[i] = strconv.Quote(d)
		}
		fmt.Fprintf(buf, "disable = [%s]\n", strings.Join(q, ", "))
	}
	if len(sets) > 0 {
		var parts []string
		for _, o := range sets {
			v, err := tomlValue(o.Value)
			if err != nil {
				return err
			}
			parts = append(parts, fmt.Sprintf("%q = %s", strings.Join(o.Path, "."), v))
		}
		fmt.Fprintf(buf, "set = { %s }\n", strings.Join(parts, ", "))
	}
	return nil
}

// strategyName is "workshop", or "workshop-2"... when the file has one.
func strategyName(f *scenarios.File) string {
	for i := 1; ; i++ {
		name := "workshop"
		if i > 1 {
			name += "-" + strconv.Itoa(i)
		}
		if !slices.ContainsFunc(f.Strategies, func(s scenarios.Strategy) bool { return s.ID == name }) {
			return name
		}
	}
}

// tomlValue writes one TOML value.
func tomlValue(v any) (string, error) {
	var buf bytes.Buffer
	if err := toml.NewEncoder(&buf).Encode(map[string]any{"v": v}); err != nil {
		return "", err
	}
	return strings.TrimSpace(strings.TrimPrefix(buf.String(), "v = ")), nil
}
