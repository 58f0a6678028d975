package main

import (
	"context"
	"fmt"
	"io"

	"github.com/escalate-sim/escalate/internal/atomicfs"
	"github.com/escalate-sim/escalate/job/resultfile"
)

const plotDoc = `
Draw the charts of a saved result without running anything again:

  escalate run guinea-2009 --out results
  escalate plot results/summary.json --out charts
  escalate plot results/summary.json --out charts-svg --plot-format svg

FILE is a summary.json written by run or merge (every chart and a
dashboard), a comparison.json written by compare --out, or a sweep.json
written by sweep --out.
`

func cmdPlot(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("plot", "FILE.json --out DIR [flags]", plotDoc)
	outArg := fs.String("out", "", "write the charts to `DIR`")
	force := fs.Bool("force", false, "replace an existing --out directory")
	var cf chartFlags
	cf.register(fs, false)
	pos, err := fs.parse(args, stdout)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("plot: want one summary.json, comparison.json or sweep.json (see escalate help plot)")
	}
	if *outArg == "" {
		return usagef("plot: --out DIR is required")
	}
	if err := cf.check(""); err != nil {
		return err
	}
	data, err := resultfile.ReadLimited(pos[0], resultfile.MaxResultSize)
	if err != nil {
		return err
	}
	result, _, err := resultfile.Parse(pos[0], data)
	if err != nil {
		return err
	}
	out, err := atomicfs.CreateChartsDir(ctx, "--out", *outArg, *force, pos[0])
	if err != nil {
		return err
	}
	defer out.Abort()
	if err := out.Write("", func(dir string) error { return cf.writeInto(dir, result) }); err != nil {
		return err
	}
	if err := out.Commit(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Wrote charts to %s\n", out.Name())
	return nil
}
