package main

import (
	"context"
	"io"
	"strings"

	"github.com/escalate-sim/escalate/job"
	"github.com/escalate-sim/escalate/job/resultfile"
)

const runDoc = `
Simulate SCENARIO (a shipped scenario's name, or a TOML file) many times and
report the distribution of outcomes: the probability of war with its 95%
interval, the time to war, the months at war, the final stage, the cost.

Examples:
  escalate run guinea-2009
  escalate run guinea-2009 --strategy none
  escalate run guinea-2009 --set intervention.unowa.startup_delay_months=6
  escalate run my-scenario.toml --runs 100000 --format json
  escalate run guinea-2009 --ci-width 0.005
  escalate run guinea-2009 --out results/
  escalate run guinea-2009 --plots charts/

With --out DIR it writes summary.json, runs.csv (one row per run and
country), months.csv (stage shares and tension quantiles by month),
aggregates.json (counts that "escalate merge" combines exactly) and the
charts in DIR/plots. Files appear only when the run completes. With
--shard I/N it runs only the I-th of N equal parts of the runs (I from 0),
for clusters; merge the parts with "escalate merge".
`

func cmdRun(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var f jobFlags
	fs := newFlagSet("run", "SCENARIO [flags]", runDoc)
	f.register(fs, job.Run)
	shardArg := fs.String("shard", "", "run only part `I/N` of the runs (I = 0..N-1), for merging later")
	fs.BoolVar(&f.noRunsCSV, "no-runs-csv", false, "with --out, skip runs.csv (one row per run and country; about 40 bytes a row)")
	pos, err := f.parse(fs, job.Run, args, stdout)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("run: want one scenario (a shipped name or a .toml file), got %d arguments (see escalate help run)", len(pos))
	}
	if *shardArg != "" {
		if f.job.Shard, err = parseShard(*shardArg); err != nil {
			return err
		}
	}
	return f.execute(ctx, stdout, stderr)
}

func parseShard(s string) (*resultfile.Shard, error) {
	i, n, ok := strings.Cut(s, "/")
	a, err1 := parseDecimal(i)
	b, err2 := parseDecimal(n)
	if !ok || err1 != nil || err2 != nil || b < 1 || a < 0 || a >= b {
		return nil, usagef("--shard wants I/N with 0 <= I < N, e.g. --shard 0/4, got %q", s)
	}
	return &resultfile.Shard{Index: a, Count: b}, nil
}
