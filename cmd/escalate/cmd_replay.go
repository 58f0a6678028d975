package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/escalate-sim/escalate/sim"
)

const replayDoc = `
Re-run the job that wrote a summary.json, comparison.json or sweep.json,
from the provenance it records (scenario, strategies, overrides, runs,
seed), and confirm that the new result is byte-identical, or say what
differs. The scenario must still be readable where the file says it was (a
shipped name, or a path from the directory the job ran in), or where
--scenario says it is now, and unchanged: its SHA-256 is checked.

  escalate run guinea-2009 --out results
  escalate replay results/summary.json
  escalate compare guinea-2009 --out cmp
  escalate replay cmp/comparison.json
  escalate replay --scenario ~/moved/my.toml results/summary.json
`

// maxSummarySize bounds the summary files that replay and plot read.
const maxSummarySize = 256 << 20

func cmdReplay(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("replay", "SUMMARY.json | comparison.json | sweep.json", replayDoc)
	workers := fs.Int("workers", runtime.NumCPU(), "parallel workers; results do not depend on it")
	yes := fs.Bool("yes", false, "replay a job estimated to take more than 10 minutes")
	moved := fs.String("scenario", "", "the scenario `FILE` where it is now, if it has moved since")
	pos, err := fs.parse(args, stdout)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("replay: want one summary.json, comparison.json or sweep.json (see escalate help replay)")
	}
	data, err := readLimitedFile(pos[0], maxSummarySize)
	if err != nil {
		return err
	}
	r := replayer{path: pos[0], data: data, moved: *moved, workers: *workers, yes: *yes, stdout: stdout, stderr: stderr}
	kind, err := resultKind(pos[0], data)
	if err != nil {
		return err
	}
	switch kind {
	case "comparison":
		return r.recorded(ctx, "compare", cmdCompare, func() recordedFile { return &comparisonFile{} })
	case "sweep":
		return r.recorded(ctx, "sweep", cmdSweep, func() recordedFile { return &sweepFile{} })
	}
	return r.summary(ctx)
}

// replayer re-runs one saved result.
type replayer struct {
	path    string
	data    []byte
	moved   string // --scenario
	workers int
	yes     bool
	stdout  io.Writer
	stderr  io.Writer
}

func (r *replayer) summary(ctx context.Context) error {
	old, err := parseSummary(r.path, r.data)
	if err != nil {
		return err
	}
	p := old.Provenance
	source := p.Source
	if r.moved != "" {
		if err := r.checkMovedName(); err != nil {
			return err
		}
		source = r.moved
	}
	sf := scenarioFlags{sets: slices.Clone(p.Overrides), additionFlags: additionsOf(p)}
	l, err := load(source, &sf, p.Strategy)
	if err != nil {
		return fmt.Errorf("replay: cannot load the scenario the summary names: %w%s", err, r.movedHint(err))
	}
	if got := fingerprint(l.sc); got != p.ScenarioSHA256 {
		return fmt.Errorf("replay: the scenario %s has changed since the summary was written (SHA-256 %.16s… now, %.16s… then); results would differ", source, got, p.ScenarioSHA256)
	}
	first, runs := int64(0), p.Runs
	var sh *shard
	if old.Shard != nil {
		// Checked as --shard is: a file edited by hand must not divide
		// by zero or replay runs outside the job.
		if c := old.Shard.Count; c < 1 || old.Shard.Index < 0 || old.Shard.Index >= c {
			return fmt.Errorf("%s: shard %d/%d is not one of the job's shards (0/N to N-1/N)", r.path, old.Shard.Index, old.Shard.Count)
		}
		sh = &shard{old.Shard.Index, old.Shard.Count}
		first, runs = sh.span(p.Runs)
	}
	if err := checkBudget(runs, []*sim.Scenario{l.sc}, r.workers, r.yes, "run it on the machine or cluster that first ran it"); err != nil {
		return err
	}
	prog := startProgress(r.stderr, runs, "runs")
	res, err := sim.Run(ctx, l.sc, sim.Options{Seed: p.Seed, FirstRun: first, Runs: runs, Workers: r.workers, Progress: prog.update})
	prog.finish()
	if err != nil {
		return failed(ctx, err)
	}
	// overrides recorded "horizon_months=N" for --horizon, which load
	// applies as a --set: the recorded list must come back unchanged.
	l.overrides = p.Overrides
	sum := newSummaryFile(l, res, p.Seed, p.Runs)
	// The same scenario (its SHA-256 says so) read from where it is now
	// is recorded as where it was.
	sum.Provenance.Source, sum.Provenance.Command = p.Source, p.Command
	if old.Shard != nil {
		sum.Shard = old.Shard
	}
	now, err := marshalJSON(sum)
	if err != nil {
		return err
	}
	return r.verdict(fmt.Sprintf("%d runs of %s (seed %d)", runs, p.Source, p.Seed), p.Tool, sum.Provenance.Tool, now)
}

// recorded replays a comparison or a sweep: it runs the command its
// provenance records (as name, through run) with JSON output and compares
// that with the file, which is the same JSON. newFile returns an empty
// comparisonFile or sweepFile.
func (r *replayer) recorded(ctx context.Context, name string, run runFunc, newFile func() recordedFile) error {
	old := newFile()
	if err := decodeStrict(r.path, r.data, old, resultFileName(name)+".json"); err != nil {
		return err
	}
	p := old.provenance()
	args, err := splitCommand(p.Command)
	if err != nil || len(args) < 3 || args[0] != "escalate" || args[1] != name {
		return fmt.Errorf("%s: its provenance records no escalate %s command to replay (%q)", r.path, name, p.Command)
	}
	files, err := checkRecorded(name, args[2:], p)
	if err != nil {
		return fmt.Errorf("%s: %w", r.path, err)
	}
	args = args[2:]
	source := p.Source
	if r.moved != "" {
		if files != 1 {
			return usagef("replay: --scenario names one file; this %s is of %d (%s): run them from where they are now with escalate %s", resultFileName(name), files, p.Source, name)
		}
		if err := r.checkMovedName(); err != nil {
			return err
		}
		args[0], source = r.moved, r.moved
	}
	args = append(args, "--format", "json", "--workers", strconv.Itoa(r.workers))
	// First one run: the scenario's SHA-256 does not depend on the runs,
	// and a changed scenario is better found before hours of running.
	if err := r.runRecorded(ctx, run, withRuns(args, 1), p, source, name, newFile); err != nil {
		return err
	}
	if r.yes {
		args = append(args, "--yes")
	}
	now, fresh, err := r.output(ctx, run, args, newFile)
	if err != nil {
		return err
	}
	np := fresh.provenance()
	if r.moved != "" {
		np.Source, np.Command = p.Source, p.Command
		if now, err = marshalJSON(fresh); err != nil {
			return err
		}
	}
	return r.verdict(fmt.Sprintf("%d runs of %s (seed %d)", p.Runs, p.Source, p.Seed), p.Tool, np.Tool, now)
}

// output runs a recorded command with JSON output and decodes it.
func (r *replayer) output(ctx context.Context, run runFunc, args []string, newFile func() recordedFile) ([]byte, recordedFile, error) {
	var out bytes.Buffer
	if err := run(ctx, args, &out, r.stderr); err != nil {
		if errors.Is(err, errInterrupted) {
			return nil, nil, err
		}
		return nil, nil, fmt.Errorf("replay: %w%s", err, r.movedHint(err))
	}
	fresh := newFile()
	if err := json.Unmarshal(out.Bytes(), fresh); err != nil {
		return nil, nil, err
	}
	return out.Bytes(), fresh, nil
}

// runRecorded runs args (one run) and checks that the scenario, read from
// source, is the one recorded in p.
func (r *replayer) runRecorded(ctx context.Context, run runFunc, args []string, p *provenance, source, name string, newFile func() recordedFile) error {
	_, fresh, err := r.output(ctx, run, args, newFile)
	if err != nil {
		return err
	}
	if np := fresh.provenance(); np.ScenarioSHA256 != p.ScenarioSHA256 {
		return fmt.Errorf("replay: the scenario %s has changed since the %s was written (SHA-256 %s now, %s then); results would differ", source, resultFileName(name), np.ScenarioSHA256, p.ScenarioSHA256)
	}
	return nil
}

// withRuns returns args with the value of --runs replaced by n.
func withRuns(args []string, n int64) []string {
	out := slices.Clone(args)
	for i := range len(out) - 1 {
		if out[i] == "--runs" {
			out[i+1] = strconv.FormatInt(n, 10)
		}
	}
	return out
}

// recordedFlags are the flags a comparison's or sweep's provenance records
// (each with a value), which replay runs again; a file edited to hold
// others (--out, --force, --yes...) is refused rather than obeyed.
var recordedFlags = map[string][]string{
	"compare": {"--runs", "--seed", "--strategies", "--strategy", "--vary", "--country", "--set"},
	"sweep":   {"--runs", "--seed", "--strategy", "--vary", "--country", "--set"},
}

// checkRecorded checks the words after "escalate NAME" of a recorded
// command: scenario files, then only flags that command records, with
// --runs and --seed as the provenance says. It returns the number of
// files.
func checkRecorded(name string, args []string, p *provenance) (int, error) {
	files := 0
	for files < len(args) && !strings.HasPrefix(args[files], "-") {
		files++
	}
	if files < 1 || files > 2 || name == "sweep" && files != 1 {
		return 0, fmt.Errorf("the recorded command names %d scenarios", files)
	}
	var runs, seed string
	for i := files; i < len(args); i += 2 {
		flag := args[i]
		if !slices.Contains(recordedFlags[name], flag) || i+1 >= len(args) {
			return 0, fmt.Errorf("the recorded command has %s, which escalate %s does not record: the file was edited; replay runs only what escalate wrote", flag, name)
		}
		switch flag {
		case "--runs":
			runs = args[i+1]
		case "--seed":
			seed = args[i+1]
		}
	}
	if runs != strconv.FormatInt(p.Runs, 10) || seed != strconv.FormatUint(p.Seed, 10) {
		return 0, fmt.Errorf("the recorded command's --runs %s --seed %s are not the recorded runs %d and seed %d: the file was edited", runs, seed, p.Runs, p.Seed)
	}
	return files, nil
}

// verdict says whether the new result equals the file, byte for byte, and
// lists the differences if not (an error without a message, exit 1).
func (r *replayer) verdict(what, thenTool, nowTool string, now []byte) error {
	if bytes.Equal(now, r.data) {
		fmt.Fprintf(r.stdout, "%s: replayed %s: byte-identical.\n", r.path, what)
		return nil
	}
	fmt.Fprintf(r.stdout, "%s: replayed %s: the result DIFFERS.\n", r.path, what)
	if nowTool != thenTool {
		fmt.Fprintf(r.stdout, "It was written by %s; this is %s.\n", thenTool, nowTool)
	}
	for _, d := range jsonDiff(r.data, now) {
		fmt.Fprintln(r.stdout, "  "+d)
	}
	return errSilent
}

// checkMovedName refuses a --scenario file whose name differs from the
// scenario's recorded one: the name is the scenario's, in every result.
func (r *replayer) checkMovedName() error {
	var rec struct {
		Scenario string `json:"scenario"`
	}
	if json.Unmarshal(r.data, &rec) != nil || rec.Scenario == "" {
		return nil // the reader of the file reports what is wrong with it
	}
	if now := strings.TrimSuffix(filepath.Base(r.moved), ".toml"); now != rec.Scenario {
		return usagef("replay: --scenario %s: a scenario is named after its file, and this result's is %q: give the file back its name (%s.toml)", r.moved, rec.Scenario, rec.Scenario)
	}
	return nil
}

// movedHint suggests --scenario after err, when err says that a file was
// not found and no --scenario was given.
func (r *replayer) movedHint(err error) string {
	if r.moved != "" || !errors.Is(err, fs.ErrNotExist) {
		return ""
	}
	return "; if the scenario file has moved, give its place with --scenario FILE"
}

// recordedFile is a comparison.json or sweep.json, replayed from the
// command its provenance records.
type recordedFile interface{ provenance() *provenance }

func (f *comparisonFile) provenance() *provenance { return &f.Provenance }
func (f *sweepFile) provenance() *provenance      { return &f.Provenance }

func resultFileName(command string) string {
	if command == "compare" {
		return "comparison"
	}
	return command
}

// splitCommand splits a command line as shellQuote writes its words:
// separated by spaces, a word possibly in single quotes, a quote inside
// one written '\”.
func splitCommand(s string) ([]string, error) {
	var args []string
	var cur strings.Builder
	inWord, inQuote := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case inQuote && c == '\'':
			inQuote = false
		case inQuote:
			cur.WriteByte(c)
		case c == '\'':
			inQuote, inWord = true, true
		case c == '\\' && i+1 < len(s):
			i++
			cur.WriteByte(s[i])
			inWord = true
		case c == ' ':
			if inWord {
				args = append(args, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if inQuote {
		return nil, errors.New("unterminated quote")
	}
	if inWord {
		args = append(args, cur.String())
	}
	return args, nil
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
