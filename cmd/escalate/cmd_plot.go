package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"

	"github.com/escalate-sim/escalate/sim"
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
	data, err := readLimitedFile(pos[0], maxSummarySize)
	if err != nil {
		return err
	}
	kind, err := resultKind(pos[0], data)
	if err != nil {
		return err
	}
	out, err := createChartsDir(ctx, "--out", *outArg, *force, pos[0])
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
		if err := out.write("", func(dir string) error { return writeSummaryChartsInto(dir, sum, &cf) }); err != nil {
			return err
		}
	case "comparison":
		c, err := parseComparison(pos[0], data)
		if err != nil {
			return err
		}
		if err := out.write("", func(dir string) error { return writeComparisonChartsInto(dir, c, &cf) }); err != nil {
			return err
		}
	case "sweep":
		sw, err := parseSweep(pos[0], data)
		if err != nil {
			return err
		}
		if err := out.write("", func(dir string) error { return writeSweepChartsInto(dir, sw, &cf) }); err != nil {
			return err
		}
	}
	if err := out.commit(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Wrote charts to %s\n", out.name)
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

// decodeStrict decodes JSON that must hold only known fields.
func decodeStrict(path string, data []byte, v any, what string) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%s: not a %s written by escalate: %w", path, what, err)
	}
	return nil
}

// parseComparison decodes a comparison.json and checks that its series fit
// its horizon, so charts can index them safely.
func parseComparison(path string, data []byte) (*comparisonFile, error) {
	var c comparisonFile
	if err := decodeStrict(path, data, &c, "comparison.json"); err != nil {
		return nil, err
	}
	cs := c.ComparisonSummary
	if cs == nil || len(cs.Strategies) == 0 || len(cs.Strategies) > maxStrategies {
		return nil, fmt.Errorf("%s: not a comparison.json written by escalate compare (no strategies)", path)
	}
	if cs.HorizonMonths < 1 || cs.HorizonMonths > sim.MaxHorizon {
		return nil, fmt.Errorf("%s: impossible horizon %d", path, cs.HorizonMonths)
	}
	for _, s := range cs.Strategies {
		if len(s.TimeToWar.Survival) != cs.HorizonMonths+1 {
			return nil, fmt.Errorf("%s: strategy %q: survival does not have horizon_months+1 points", path, s.ID)
		}
	}
	return &c, nil
}

// maxStrategies bounds the strategies a comparison file may hold.
const maxStrategies = 1000

// parseSweep decodes a sweep.json and checks that its points fit its
// dimensions.
func parseSweep(path string, data []byte) (*sweepFile, error) {
	var s sweepFile
	if err := decodeStrict(path, data, &s, "sweep.json"); err != nil {
		return nil, err
	}
	sw := s.SweepSummary
	if sw == nil || len(sw.Dimensions) < 1 || len(sw.Dimensions) > 2 {
		return nil, fmt.Errorf("%s: not a sweep.json written by escalate sweep (one or two dimensions)", path)
	}
	want := 1
	for _, d := range sw.Dimensions {
		if len(d.Values) == 0 || len(d.Values) > maxSweepPoints {
			return nil, fmt.Errorf("%s: dimension %q has %d values", path, d.Path, len(d.Values))
		}
		want *= len(d.Values)
	}
	if want > maxSweepPoints || len(sw.Points) != want {
		return nil, fmt.Errorf("%s: %d points for a grid of %d", path, len(sw.Points), want)
	}
	for _, p := range sw.Points {
		if len(p.Index) != len(sw.Dimensions) || len(p.Values) != len(sw.Dimensions) {
			return nil, fmt.Errorf("%s: a point does not name every dimension", path)
		}
		for d, i := range p.Index {
			if i < 0 || i >= len(sw.Dimensions[d].Values) {
				return nil, fmt.Errorf("%s: a point's index is out of range", path)
			}
		}
	}
	return &s, nil
}
