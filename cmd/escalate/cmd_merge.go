package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/escalate-sim/escalate/sim"
)

const mergeDoc = `
Combine the outputs of "escalate run --shard I/N --out DIR" into the result a
single run would have given, byte for byte: summary.json, months.csv,
aggregates.json and runs.csv (the shards' rows in run order), and the charts
in DIR/plots.

  escalate run guinea-2009 --runs 1000000 --shard 0/2 --out part0
  escalate run guinea-2009 --runs 1000000 --shard 1/2 --out part1
  escalate merge part0 part1 --out merged

It refuses shards of different scenarios, seeds, overrides or tool versions,
and reports missing or duplicate shards.
`

// maxAggregatesSize bounds aggregates.json: a 1,200-month scenario with 64
// countries holds about 8 million counts.
const maxAggregatesSize = 512 << 20

func cmdMerge(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("merge", "DIR... [flags]", mergeDoc)
	outArg := fs.String("out", "", "write the merged outputs to `DIR`")
	force := fs.Bool("force", false, "replace an existing --out directory")
	format := fs.String("format", "table", "summary printed to stdout: table, json or csv")
	var cf chartFlags
	fs.BoolVar(&cf.noPlots, "no-plots", false, "skip the charts in DIR/plots")
	cf.register(fs, false)
	pos, err := fs.parse(args, stdout)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usagef("merge: name the shard output directories (see escalate help merge)")
	}
	if err := checkFormat(*format); err != nil {
		return err
	}
	if err := cf.check(""); err != nil {
		return err
	}
	parts := make([]*aggregatesFile, len(pos))
	for i, dir := range pos {
		if parts[i], err = readAggregates(filepath.Join(dir, "aggregates.json")); err != nil {
			return err
		}
	}
	order, err := checkShards(pos, parts)
	if err != nil {
		return err
	}
	first := parts[order[0]]
	sc := first.Scenario
	res := sim.NewResult(sc)
	for _, i := range order {
		if err := res.Merge(parts[i].Result); err != nil {
			return fmt.Errorf("%s: %w", pos[i], err)
		}
	}
	sum := &summaryFile{Summary: sim.Summarize(sc, res, first.Seed), Provenance: first.Provenance}

	if *outArg != "" {
		out, err := createOutDir(ctx, "--out", *outArg, *force, pos...)
		if err != nil {
			return err
		}
		defer out.abort()
		if err := writeRunOutputs(out, sc, sum, res, nil); err != nil {
			return err
		}
		dirs := make([]string, len(order))
		for k, i := range order {
			dirs[k] = pos[i]
		}
		ordered := make([]*aggregatesFile, len(order))
		for k, i := range order {
			ordered[k] = parts[i]
		}
		without, err := concatRuns(out, dirs, ordered, sum.Provenance)
		if err != nil {
			return err
		}
		if len(without) > 0 && len(without) < len(dirs) {
			fmt.Fprintf(stderr, "escalate: note: no runs.csv in %s, so the merged directory has none\n", strings.Join(without, ", "))
		}
		if !cf.noPlots {
			if err := out.write("plots", func(dir string) error { return writeSummaryChartsInto(dir, sum, &cf) }); err != nil {
				return err
			}
		}
		if err := out.commit(); err != nil {
			return err
		}
	}
	switch *format {
	case "json":
		return writeJSON(stdout, sum)
	case "csv":
		return writeSummaryCSV(stdout, sum)
	}
	writeTable(stdout, sum, 0)
	fmt.Fprintf(stdout, "Merged %d shards.\n", len(order))
	if *outArg != "" {
		fmt.Fprintf(stdout, "Wrote %s\n", filepath.Clean(*outArg))
	}
	return nil
}

// readAggregates reads and checks one aggregates.json.
func readAggregates(path string) (*aggregatesFile, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%s: not found; merge reads the --out directories of escalate run", path)
		}
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxAggregatesSize+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return parseAggregates(path, data)
}

// parseAggregates decodes aggregates.json strictly and checks that its
// counts fit its scenario, so that a damaged or edited file gives an error
// rather than a wrong result or a crash.
func parseAggregates(path string, data []byte) (*aggregatesFile, error) {
	if len(data) > maxAggregatesSize {
		return nil, fmt.Errorf("%s: larger than %d bytes", path, maxAggregatesSize)
	}
	var af aggregatesFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&af); err != nil {
		return nil, fmt.Errorf("%s: not a valid aggregates file: %w", path, err)
	}
	if af.Format != aggregatesFormat {
		return nil, fmt.Errorf("%s: format %q, want %q (written by another version of escalate?)", path, af.Format, aggregatesFormat)
	}
	if af.Scenario == nil || af.Result == nil {
		return nil, fmt.Errorf("%s: missing scenario or result", path)
	}
	if err := af.Scenario.Validate(); err != nil {
		return nil, fmt.Errorf("%s: invalid scenario: %w", path, err)
	}
	if got := fingerprint(af.Scenario); got != af.Provenance.ScenarioSHA256 {
		return nil, fmt.Errorf("%s: the scenario does not match its recorded SHA-256 (file edited?)", path)
	}
	// Merging into empty aggregates checks every length against the
	// scenario's shape.
	if err := sim.NewResult(af.Scenario).Merge(af.Result); err != nil {
		return nil, fmt.Errorf("%s: counts do not fit the scenario: %w", path, err)
	}
	if err := checkCounts(af.Result); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if af.Shard == nil {
		af.Shard = &shardInfo{Index: 0, Count: 1}
	}
	if af.Shard.Count < 1 || af.Shard.Index < 0 || af.Shard.Index >= af.Shard.Count {
		return nil, fmt.Errorf("%s: shard %d/%d is out of range", path, af.Shard.Index, af.Shard.Count)
	}
	return &af, nil
}

// checkCounts rejects negative counts and histograms that do not add up to
// the number of runs.
func checkCounts(r *sim.Result) error {
	if r.Runs < 0 {
		return fmt.Errorf("negative run count %d", r.Runs)
	}
	if r.Runs > math.MaxInt64/int64(r.Horizon+1)/sim.ShareUnit {
		// Staff shares, counted per run and month, would overflow.
		return fmt.Errorf("run count %d is beyond what the counts can hold", r.Runs)
	}
	// sum adds counts that must lie in [0, limit] and add up to at most
	// limit; checking as it goes, no edited count can wrap the sum around.
	sum := func(h []int64, limit int64) (int64, bool) {
		t := int64(0)
		for _, v := range h {
			if v < 0 || v > limit-t {
				return 0, false
			}
			t += v
		}
		return t, true
	}
	hists := [][]int64{r.AnyWar.WarMonths, r.AnyWar.Onsets}
	for i := range r.Countries {
		c := &r.Countries[i]
		hists = append(hists, c.WarMonths, c.Onsets, c.FinalStage[:])
		for m := range c.Occupancy {
			hists = append(hists, c.Occupancy[m][:])
		}
		hists = append(hists, c.Tension...)
		if len(c.PeakTension) > 0 {
			hists = append(hists, c.PeakTension)
		}
	}
	for i := range r.Interventions {
		hists = append(hists, r.Interventions[i].ActiveMonths)
	}
	for _, h := range hists {
		if t, ok := sum(h, r.Runs); !ok || t != r.Runs {
			return fmt.Errorf("counts are negative or do not add up to %d runs", r.Runs)
		}
	}
	// The counts of runs with a war must agree with each other: first
	// months at war add up to the runs ever at war, and those are exactly
	// the runs with at least one war episode; a country's last month is
	// its final stage; war in any country is at least as common as in the
	// most warlike country and at most as common as in all together.
	var mostWar, allWar int64
	for i := range r.Countries {
		c := &r.Countries[i]
		if last := c.Occupancy[len(c.Occupancy)-1]; last != c.FinalStage {
			return fmt.Errorf("country %d: final stages %v differ from the stages of the last month %v", i+1, c.FinalStage, last)
		}
		for m := range c.TensionMin {
			lo, hi := c.TensionMin[m], c.TensionMax[m]
			// Without runs the range is empty: lowest 1, highest 0.
			if !(lo >= 0 && lo <= 1 && hi >= 0 && hi <= 1 && (lo <= hi || r.Runs == 0)) {
				return fmt.Errorf("country %d: month %d: tension range [%v, %v] is not within [0, 1]", i+1, m, lo, hi)
			}
		}
		if pr := c.PeakTensionRange; len(pr) == 2 && !(pr[0] >= 0 && pr[0] <= 1 && pr[1] >= 0 && pr[1] <= 1 && (pr[0] <= pr[1] || r.Runs == 0)) {
			return fmt.Errorf("country %d: peak tension range [%v, %v] is not within [0, 1]", i+1, pr[0], pr[1])
		}
		mostWar, allWar = max(mostWar, c.EverWar), allWar+min(max(c.EverWar, 0), r.Runs)
	}
	outcomes := []*sim.Outcome{&r.AnyWar}
	for i := range r.Countries {
		outcomes = append(outcomes, &r.Countries[i].Outcome)
	}
	for i, o := range outcomes {
		first, ok := sum(o.FirstWar, r.Runs)
		if !ok || o.EverWar < 0 || o.EverWar > r.Runs || first != o.EverWar || r.Runs-o.Onsets[0] != o.EverWar {
			what := "any country"
			if i > 0 {
				what = fmt.Sprintf("country %d", i)
			}
			return fmt.Errorf("%s: counts of runs at war disagree (ever at war %d, by first month %d, with a war episode %d, of %d runs)",
				what, o.EverWar, first, r.Runs-o.Onsets[0], r.Runs)
		}
	}
	if len(r.Countries) > 1 && (r.AnyWar.EverWar < mostWar || r.AnyWar.EverWar > allWar) {
		return fmt.Errorf("any country: %d runs at war, but a single country has %d and all together %d", r.AnyWar.EverWar, mostWar, allWar)
	}
	for i := range r.Interventions {
		iv := &r.Interventions[i]
		active, ok := sum(iv.FirstActive, r.Runs)
		var months int64 // acting months over all runs: at most runs × horizon
		for m, k := range iv.ActiveMonths {
			months += int64(m) * k
		}
		shareLimit := int64(math.MaxInt64)
		if months < math.MaxInt64/sim.ShareUnit {
			shareLimit = months * sim.ShareUnit
		}
		shares, okShares := sum(iv.StaffShare, shareLimit)
		// Every acting month places the whole staff somewhere.
		if !ok || !okShares || iv.Consented < 0 || iv.Consented > r.Runs || iv.Launched < 0 || iv.Launched > r.Runs ||
			active != r.Runs-iv.ActiveMonths[0] || shares != shareLimit {
			return fmt.Errorf("intervention %d: counts are negative, above %d runs or disagree", i+1, r.Runs)
		}
	}
	return nil
}

// setList shows a shard's overrides as a reader would type them.
func setList(overrides []string) string {
	if len(overrides) == 0 {
		return "none"
	}
	return strings.Join(overrides, " ")
}

// checkShards verifies that the parts are the shards of one job, each
// exactly once, and returns their indices in shard order.
func checkShards(dirs []string, parts []*aggregatesFile) ([]int, error) {
	ref := parts[0]
	for i, p := range parts[1:] {
		var diff []string
		if p.Provenance.Tool != ref.Provenance.Tool {
			diff = append(diff, fmt.Sprintf("tool %q vs %q", p.Provenance.Tool, ref.Provenance.Tool))
		}
		pp, rp := &p.Provenance, &ref.Provenance
		// Name what differs in the user's terms first; the SHA-256 alone
		// catches an edited file with the same name and flags.
		if pp.Source != rp.Source {
			diff = append(diff, fmt.Sprintf("scenario %s vs %s", pp.Source, rp.Source))
		}
		if pp.Strategy != rp.Strategy {
			diff = append(diff, fmt.Sprintf("strategy %q vs %q", pp.Strategy, rp.Strategy))
		}
		if !slices.Equal(pp.Overrides, rp.Overrides) {
			diff = append(diff, fmt.Sprintf("--set %s vs %s", setList(pp.Overrides), setList(rp.Overrides)))
		}
		if pp.ScenarioSHA256 != rp.ScenarioSHA256 && len(diff) == 0 {
			diff = append(diff, "scenario content (SHA-256 differs: was the file edited between shards?)")
		}
		if pp.Runs != rp.Runs {
			diff = append(diff, fmt.Sprintf("runs %d vs %d", pp.Runs, rp.Runs))
		}
		if p.Seed != ref.Seed {
			diff = append(diff, fmt.Sprintf("seed %d vs %d", p.Seed, ref.Seed))
		}
		if !reflect.DeepEqual(p.Provenance, ref.Provenance) && len(diff) == 0 {
			diff = append(diff, fmt.Sprintf("command %q vs %q", p.Provenance.Command, ref.Provenance.Command))
		}
		if p.Shard.Count != ref.Shard.Count {
			diff = append(diff, fmt.Sprintf("split into %d vs %d shards", p.Shard.Count, ref.Shard.Count))
		}
		if len(diff) > 0 {
			return nil, fmt.Errorf("merge: %s and %s are not shards of the same run: %s", dirs[i+1], dirs[0], strings.Join(diff, "; "))
		}
	}
	n := ref.Shard.Count
	seen := map[int64]int{}
	var dups []string
	for i, p := range parts {
		if j, ok := seen[p.Shard.Index]; ok {
			dups = append(dups, fmt.Sprintf("shard %d/%d in both %s and %s", p.Shard.Index, n, dirs[j], dirs[i]))
			continue
		}
		seen[p.Shard.Index] = i
	}
	var missing []string
	for k := int64(0); k < n; k++ {
		if _, ok := seen[k]; !ok {
			missing = append(missing, fmt.Sprintf("%d/%d", k, n))
		}
	}
	var problems []string
	// A shard copied and relabelled by hand carries another shard's
	// counts: in a scenario with any randomness, two shards' counts are
	// never identical otherwise. (A deterministic scenario's shards of
	// one size are identical, and merging them is right.)
	if len(dups) == 0 && random(ref.Scenario) {
		byContent := map[string]int{}
		// A Markov path has few outcomes, so two small shards can match
		// by chance; from 100 runs on they cannot, in practice.
		least := int64(1)
		if ref.Scenario.Model.Dynamics == sim.Markov {
			least = 100
		}
		for i, p := range parts {
			if p.Result.Runs < least {
				continue
			}
			data, err := json.Marshal(p.Result)
			if err != nil {
				return nil, err
			}
			if j, ok := byContent[string(data)]; ok {
				dups = append(dups, fmt.Sprintf("%s and %s hold identical counts (one copied from the other and relabelled?)", dirs[j], dirs[i]))
				continue
			}
			byContent[string(data)] = i
		}
	}
	if len(dups) > 0 {
		problems = append(problems, "duplicate "+strings.Join(dups, ", "))
	}
	if len(missing) > 0 {
		problems = append(problems, "missing shards "+strings.Join(missing, ", "))
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("merge: %s", strings.Join(problems, "; "))
	}
	order := make([]int, 0, n)
	for _, i := range seen {
		order = append(order, i)
	}
	sort.Slice(order, func(a, b int) bool { return parts[order[a]].Shard.Index < parts[order[b]].Shard.Index })
	return order, nil
}

// concatRuns writes runs.csv from the shards' runs.csv in shard order: one
// provenance comment (the whole job's, which every shard records), one
// header, then every shard's rows. It does nothing unless every shard has
// a runs.csv, and returns the shard directories without one.
func concatRuns(out *outDir, dirs []string, parts []*aggregatesFile, p provenance) (without []string, err error) {
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "runs.csv")); err != nil {
			without = append(without, d)
		}
	}
	if len(without) > 0 {
		return without, nil
	}
	return nil, writeCSVFile(out, "runs.csv", p, func(w io.Writer) error {
		io.WriteString(w, runsHeader)
		for i, d := range dirs {
			if err := copyRows(w, filepath.Join(d, "runs.csv"), parts[i]); err != nil {
				return err
			}
		}
		return nil
	})
}

// copyRows copies a shard's runs.csv rows after its comment and header,
// checking as it goes that the file is the one its aggregates describe:
// the same provenance line and header, one row per country of each of
// the shard's runs in order, and a final newline. A truncated, swapped,
// relabelled or foreign file is an error, not a merged file with missing
// rows or glued lines.
func copyRows(w io.Writer, path string, part *aggregatesFile) error {
	in, err := os.Open(path)
	if err != nil {
		return err
	}
	defer in.Close()
	first, count := shard{part.Shard.Index, part.Shard.Count}.span(part.Provenance.Runs)
	countries := part.Scenario.Countries
	r := bufio.NewReaderSize(in, 1<<16)
	bad := func(line int64, format string, args ...any) error {
		return fmt.Errorf("%s:%d: %s; merge needs each shard's runs.csv as escalate run wrote it", path, line, fmt.Sprintf(format, args...))
	}
	want := []string{provenanceComment(part.Provenance), runsHeader}
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
			if !bytes.HasPrefix(line, prefix) || bytes.Count(line, []byte{','}) != strings.Count(runsHeader, ",") {
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

// random reports whether runs of sc can differ from one another.
func random(sc *sim.Scenario) bool {
	if sc.Model.Dynamics == sim.Markov {
		return true
	}
	for _, c := range sc.Countries {
		if c.Volatility > 0 || len(c.Shocks) > 0 {
			return true
		}
	}
	for _, iv := range sc.Interventions {
		if iv.Consent > 0 && iv.Consent < 1 {
			return true
		}
	}
	return false
}
