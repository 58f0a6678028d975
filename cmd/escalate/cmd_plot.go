package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
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
	cf.register(fs)
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
	if err := cf.check(); err != nil {
		return err
	}
	data, err := readLimitedFile(pos[0], maxSummarySize)
	if err != nil {
		return err
	}
	kind, err := resultKind(pos[0], data)
	if err != nil {
		return err
	}
	out, err := createOutDir(*outArg, *force)
	if err != nil {
		return err
	}
	defer out.abort()
	switch kind {
	case "summary":
		sum, err := parseSummary(pos[0], data)
		if err != nil {
			return err
		}
		if err := writeSummaryChartsInto(out.tmp, sum, &cf); err != nil {
			return err
		}
	default:
		return fmt.Errorf("%s: charts of a %s are not available yet", pos[0], kind)
	}
	if err := out.commit(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Wrote charts to %s\n", out.final)
	return nil
}

// resultKind tells a summary, a comparison and a sweep apart by their
// distinctive top-level keys.
func resultKind(path string, data []byte) (string, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return "", fmt.Errorf("%s: not a JSON result of escalate: %w", path, err)
	}
	switch {
	case top["strategies"] != nil:
		return "comparison", nil
	case top["points"] != nil:
		return "sweep", nil
	case top["countries"] != nil:
		return "summary", nil
	}
	return "", fmt.Errorf("%s: not a summary.json, comparison.json or sweep.json of escalate", filepath.Base(path))
}
