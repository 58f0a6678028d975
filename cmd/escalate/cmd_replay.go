package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"reflect"
	"runtime"
	"slices"
	"sort"
	"strings"

	"github.com/escalate-sim/escalate/sim"
)

const replayDoc = `
Re-run the job that wrote a summary.json, from the provenance it records
(scenario, strategy, overrides, runs, seed), and confirm that the new summary
is byte-identical, or say what differs. The scenario must still be readable
where the summary says it was (a shipped name or a path) and unchanged; its
SHA-256 is checked first.

  escalate run guinea-2009 --out results
  escalate replay results/summary.json
`

// maxSummarySize bounds the summary files that replay and plot read.
const maxSummarySize = 256 << 20

func cmdReplay(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("replay", "SUMMARY.json", replayDoc)
	workers := fs.Int("workers", runtime.NumCPU(), "parallel workers; results do not depend on it")
	yes := fs.Bool("yes", false, "replay a job estimated to take more than 10 minutes")
	pos, err := fs.parse(args, stdout)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("replay: want one summary.json (see escalate help replay)")
	}
	data, err := readLimitedFile(pos[0], maxSummarySize)
	if err != nil {
		return err
	}
	old, err := parseSummary(pos[0], data)
	if err != nil {
		return err
	}
	p := old.Provenance
	sf := scenarioFlags{sets: slices.Clone(p.Overrides)}
	l, err := load(p.Source, &sf, p.Strategy)
	if err != nil {
		return fmt.Errorf("replay: cannot load the scenario the summary names: %w", err)
	}
	if got := fingerprint(l.sc); got != p.ScenarioSHA256 {
		return fmt.Errorf("replay: the scenario %s has changed since the summary was written (SHA-256 %.16s… now, %.16s… then); results would differ", p.Source, got, p.ScenarioSHA256)
	}
	first, runs := int64(0), p.Runs
	var sh *shard
	if old.Shard != nil {
		sh = &shard{old.Shard.Index, old.Shard.Count}
		first, runs = sh.span(p.Runs)
	}
	if err := checkBudget(runs, []*sim.Scenario{l.sc}, *workers, *yes, "run it on the machine or cluster that first ran it"); err != nil {
		return err
	}
	prog := startProgress(stderr, runs, "runs")
	res, err := sim.Run(ctx, l.sc, sim.Options{Seed: p.Seed, FirstRun: first, Runs: runs, Workers: *workers, Progress: prog.update})
	prog.finish()
	if err != nil {
		return failed(ctx, err)
	}
	// overrides recorded "horizon_months=N" for --horizon, which load
	// applies as a --set: the recorded list must come back unchanged.
	l.overrides = p.Overrides
	sum := newSummaryFile(l, res, p.Seed, p.Runs)
	if old.Shard != nil {
		sum.Shard = old.Shard
	}
	now, err := marshalJSON(sum)
	if err != nil {
		return err
	}
	if bytes.Equal(now, data) {
		fmt.Fprintf(stdout, "%s: replayed %d runs of %s (seed %d): byte-identical.\n", pos[0], runs, p.Source, p.Seed)
		return nil
	}
	diffs := jsonDiff(data, now)
	fmt.Fprintf(stdout, "%s: replayed %d runs of %s (seed %d): the summary DIFFERS.\n", pos[0], runs, p.Source, p.Seed)
	if sum.Provenance.Tool != p.Tool {
		fmt.Fprintf(stdout, "It was written by %s; this is %s.\n", p.Tool, sum.Provenance.Tool)
	}
	for _, d := range diffs {
		fmt.Fprintln(stdout, "  "+d)
	}
	return errSilent
}

func readLimitedFile(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s: larger than %d bytes", path, limit)
	}
	return data, nil
}

// parseSummary decodes a summary.json written by escalate run (or merge).
func parseSummary(path string, data []byte) (*summaryFile, error) {
	var sf summaryFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&sf); err != nil {
		return nil, fmt.Errorf("%s: not a summary.json written by escalate run: %w", path, err)
	}
	if sf.Summary == nil || sf.Provenance.Source == "" || sf.Provenance.ScenarioSHA256 == "" {
		return nil, fmt.Errorf("%s: not a summary.json written by escalate run (no provenance)", path)
	}
	if err := checkSummary(sf.Summary); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &sf, nil
}

// checkSummary rejects summaries whose arrays do not fit their horizon, so
// that readers (plot) can index them safely.
func checkSummary(s *sim.Summary) error {
	h := s.HorizonMonths
	if h < 1 || h > sim.MaxHorizon || s.Runs < 0 || len(s.Countries) == 0 || len(s.Countries) > sim.MaxCountries {
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

// jsonDiff lists the paths at which two JSON documents differ (at most 12).
func jsonDiff(a, b []byte) []string {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return []string{"(not comparable as JSON)"}
	}
	var out []string
	var walk func(path string, x, y any)
	walk = func(path string, x, y any) {
		if len(out) >= 12 {
			return
		}
		switch xv := x.(type) {
		case map[string]any:
			yv, ok := y.(map[string]any)
			if !ok {
				out = append(out, path+": type differs")
				return
			}
			keys := map[string]bool{}
			for k := range xv {
				keys[k] = true
			}
			for k := range yv {
				keys[k] = true
			}
			ks := make([]string, 0, len(keys))
			for k := range keys {
				ks = append(ks, k)
			}
			sort.Strings(ks)
			for _, k := range ks {
				walk(strings.TrimPrefix(path+"."+k, "."), xv[k], yv[k])
			}
		case []any:
			yv, ok := y.([]any)
			if !ok || len(yv) != len(xv) {
				out = append(out, fmt.Sprintf("%s: length or type differs", path))
				return
			}
			for i := range xv {
				walk(fmt.Sprintf("%s[%d]", path, i), xv[i], yv[i])
			}
		default:
			if !reflect.DeepEqual(x, y) {
				out = append(out, fmt.Sprintf("%s: was %v, now %v", path, x, y))
			}
		}
	}
	walk("", x, y)
	if len(out) == 0 {
		out = append(out, "(same values, different formatting)")
	}
	return slices.Clip(out)
}
