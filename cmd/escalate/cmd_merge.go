package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/escalate-sim/escalate/internal/atomicfs"
	"github.com/escalate-sim/escalate/job/resultfile"
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

The shards of "escalate explore --shard I/N --out DIR" merge the same way,
into the explore.json, experiments.csv and charts of one process:

  escalate explore guinea-2009 --samples 256 --shard 0/2 --out ex0
  escalate explore guinea-2009 --samples 256 --shard 1/2 --out ex1
  escalate merge ex0 ex1 --out explored
`

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
	if isExploreShard(pos[0]) {
		return mergeExplore(ctx, pos, *outArg, *force, cf.noPlots, *format, stdout)
	}
	parts := make([]*resultfile.Aggregates, len(pos))
	for i, dir := range pos {
		if parts[i], err = resultfile.ReadAggregates(filepath.Join(dir, "aggregates.json")); err != nil {
			return err
		}
	}
	sum, res, order, err := resultfile.Merge(pos, parts)
	if err != nil {
		return fmt.Errorf("merge: %w", err)
	}
	if *outArg != "" {
		out, err := atomicfs.CreateDir(ctx, "--out", *outArg, *force, pos...)
		if err != nil {
			return err
		}
		defer out.Abort()
		first := parts[order[0]]
		agg := &resultfile.Aggregates{Format: resultfile.AggregatesFormat, Provenance: sum.Provenance, Seed: first.Seed, Scenario: first.Scenario, Result: res}
		if err := writeRunOutputs(out, sum, agg); err != nil {
			return err
		}
		dirs := make([]string, len(order))
		ordered := make([]*resultfile.Aggregates, len(order))
		for k, i := range order {
			dirs[k], ordered[k] = pos[i], parts[i]
		}
		without, err := concatRuns(out, dirs, ordered, sum.Provenance)
		if err != nil {
			return err
		}
		if len(without) > 0 && len(without) < len(dirs) {
			fmt.Fprintf(stderr, "escalate: note: no runs.csv in %s, so the merged directory has none\n", strings.Join(without, ", "))
		}
		if !cf.noPlots {
			if err := out.Write("plots", func(dir string) error { return cf.writeInto(dir, sum) }); err != nil {
				return err
			}
		}
		if err := out.Commit(); err != nil {
			return err
		}
	}
	switch *format {
	case "json":
		return resultfile.Write(stdout, sum)
	case "csv":
		return resultfile.WriteSummaryCSV(stdout, sum.Summary)
	}
	writeTable(stdout, sum, 0)
	fmt.Fprintf(stdout, "Merged %d shards.\n", len(order))
	if *outArg != "" {
		fmt.Fprintf(stdout, "Wrote %s\n", filepath.Clean(*outArg))
	}
	return nil
}

// concatRuns writes runs.csv from the shards' runs.csv in shard order: one
// provenance comment (the whole job's, which every shard records), one
// header, then every shard's rows. It does nothing unless every shard has
// a runs.csv, and returns the shard directories without one.
func concatRuns(out *atomicfs.Dir, dirs []string, parts []*resultfile.Aggregates, p resultfile.Provenance) (without []string, err error) {
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "runs.csv")); err != nil {
			without = append(without, d)
		}
	}
	if len(without) > 0 {
		return without, nil
	}
	return nil, writeCSVFile(out, "runs.csv", p, func(w io.Writer) error {
		io.WriteString(w, resultfile.RunsHeader(parts[0].Scenario))
		for i, d := range dirs {
			if err := resultfile.CopyRuns(w, filepath.Join(d, "runs.csv"), parts[i]); err != nil {
				return err
			}
		}
		return nil
	})
}
