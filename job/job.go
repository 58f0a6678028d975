package job

import (
	"context"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/escalate-sim/escalate/job/resultfile"
	"github.com/escalate-sim/escalate/sim"
)

// Version is escalate's version, recorded in every result so that it can
// be traced to the code that made it. 0.2.0 is the first whose results
// record their job as a value (Provenance.Job).
const Version = "0.2.0"

// Tool returns "escalate VERSION", with the module version when the binary
// was built from a tagged module.
func Tool() string {
	v := "escalate " + Version
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		v += " (" + bi.Main.Version + ")"
	}
	return v
}

// Kinds of job.
const (
	Run     = "run"     // one scenario (or a strategy of it), or a shard of it
	Compare = "compare" // strategies, values of one key, or two files, paired
	Sweep   = "sweep"   // every point of a grid over one or two key paths
)

// Spec is the part of a job that results record: its kind, scenarios,
// strategies, overrides, varied paths, headline country, runs, seed and
// shard. Runs 0 means the scenario's runs; the seed is the scenario's
// unless SeedSet.
type Spec = resultfile.Recipe

// Job is a job to execute: a Spec and how to run it.
type Job struct {
	Spec
	// SeedSet says that Spec.Seed was chosen; otherwise the scenario's
	// seed is used.
	SeedSet bool
	// Data holds the scenarios' contents, in the order of Sources; a
	// missing or nil entry is read by name (a shipped scenario or a file).
	Data [][]byte
	// Horizon overrides the scenarios' horizon_months when not 0
	// (recorded as the override horizon_months=N).
	Horizon int
	// Baseline is the strategy a comparison of strategies is against
	// (default: the first of Strategies).
	Baseline string
	// CIWidth adds runs until the 95% interval of the headline P(war) is
	// narrower (for a comparison, of every difference from the baseline;
	// for a sweep, of every point), up to MaxRuns (DefaultMaxRuns if 0).
	CIWidth float64
	MaxRuns int64
	// Batch, when positive, runs the job in batches of at most this many
	// runs, and the progress callback receives the result so far after
	// each (a narrowing interval for a live page). Results do not depend
	// on it.
	Batch int64
	// Workers is the number of parallel workers (0: one per CPU); results
	// do not depend on it.
	Workers int
	// Records, for a run, receives every run's per-country records in run
	// order (for runs.csv).
	Records func([]sim.CountryRecord) error
}

// Progress reports a running job.
type Progress struct {
	// Done and Total count runs over every strategy or point; Total is
	// what the job will run at most.
	Done, Total int64
	// Partial is the result so far, after each batch of a job with a
	// Batch size; nil otherwise.
	Partial *Result
}

// Result is what a job produced: one of Summary (a run), Comparison or
// Sweep, ready to write with resultfile.
type Result struct {
	Kind       string
	Summary    *resultfile.Summary
	Aggregates *resultfile.Aggregates // a run's raw counts, which merge
	Comparison *resultfile.Comparison
	Sweep      *resultfile.Sweep
	// First and Runs are the run indices executed: for a shard, its part
	// of the job's runs.
	First, Runs int64
	// Precision says what CIWidth did.
	Precision Precision
}

// Execute runs j, calling progress (if not nil) as runs complete. Calls
// that count runs come from sim's worker goroutines, possibly at once, and
// may arrive out of order (keep the largest Done); calls with a Partial
// result come from the goroutine that called Execute, between batches.
// When ctx is cancelled it stops within a batch of runs and returns ctx's
// error.
func Execute(ctx context.Context, j Job, progress func(Progress)) (*Result, error) {
	p, err := Prepare(j)
	if err != nil {
		return nil, err
	}
	return p.Execute(ctx, progress)
}

// Prepared is a job whose scenarios are loaded and checked: every mistake
// in the job is reported by Prepare, before anything runs.
type Prepared struct {
	Job      Job
	runs     int64
	seed     uint64
	streams  sim.Streams
	first    int64 // first run (a shard's)
	count    int64 // runs to execute before a precision target adds more
	scs      []*sim.Scenario
	headline sim.Headline
	engine   func() engine
	total    int64 // runs to report as the progress total
	// compare
	labels []sim.Variant
	// sweep
	base   *loaded
	dims   []sim.SweepDimension
	points []point
	// run
	run *loaded
}

type point struct {
	index  []int
	values []string
}

// Prepare loads and checks j's scenarios.
func Prepare(j Job) (*Prepared, error) {
	if j.MaxRuns == 0 {
		j.MaxRuns = DefaultMaxRuns
	}
	if err := checkPrecision(j.CIWidth, j.MaxRuns); err != nil {
		return nil, err
	}
	if j.Runs < 0 {
		return nil, invalidf("--runs must be positive, got %d", j.Runs)
	}
	streams := sim.StreamsV1
	if j.Streams != "" {
		var err error
		if streams, err = sim.ParseStreams(j.Streams); err != nil {
			return nil, invalidf("--streams: %v", err)
		}
		if streams == sim.StreamsV1 {
			j.Streams = "" // v1 is what results without the field mean
		}
	}
	p := &Prepared{Job: j, streams: streams}
	var err error
	switch j.Kind {
	case Run:
		err = p.prepareRun()
	case Compare:
		err = p.prepareCompare()
	case Sweep:
		err = p.prepareSweep()
	default:
		err = invalidf("unknown kind of job %q (want run, compare or sweep)", j.Kind)
	}
	if err != nil {
		return nil, err
	}
	base := p.scs[0]
	p.runs, p.seed = base.Runs, base.Seed
	if j.Runs > 0 {
		p.runs = j.Runs
	}
	if j.SeedSet {
		p.seed = j.Seed
	}
	p.count = p.runs
	if j.Shard != nil {
		p.first, p.count = j.Shard.Span(p.runs)
	}
	switch p.total = p.runs; {
	case j.Kind == Run && j.CIWidth > 0:
		p.total = p.Job.MaxRuns
	case j.Kind == Run:
		p.total = p.count
	case j.Kind == Sweep:
		p.total = p.runs * int64(len(p.points))
	}
	return p, nil
}

// Scenarios returns the resolved scenarios the job runs: the scenario of
// a run, the variants of a comparison, the points of a sweep.
func (p *Prepared) Scenarios() []*sim.Scenario { return p.scs }

// Estimate is the job's size and expected time at most (a precision
// target counted at its cap).
func (p *Prepared) Estimate() Estimate {
	runs := p.count
	if p.Job.CIWidth > 0 {
		runs = max(runs, p.Job.MaxRuns)
	}
	workers := p.Job.Workers
	if workers <= 0 {
		workers = runtime.NumCPU() // as sim runs with Workers 0
	}
	return estimate(runs, p.scs, workers)
}

// engine is what a kind of job does with its runs.
type engine interface {
	// add runs the runs o names and adds them to the counts so far;
	// o.Progress takes the runs done in this batch, over every scenario.
	add(ctx context.Context, o sim.Options) error
	// width is the widest headline interval so far, for the precision
	// target.
	width() float64
	// result is the result of the counts so far, after runs runs.
	result(runs int64) *Result
}

// accumulate sets *dst to v, or merges v into it.
func accumulate[T interface {
	comparable
	Merge(T) error
}](dst *T, v T) error {
	var zero T
	if *dst == zero {
		*dst = v
		return nil
	}
	return (*dst).Merge(v)
}

// Execute runs the prepared job; see Execute.
func (p *Prepared) Execute(ctx context.Context, progress func(Progress)) (*Result, error) {
	if progress == nil {
		progress = func(Progress) {}
	}
	e := p.engine()
	var before int64
	batch := func(first, n int64) error {
		o := sim.Options{Seed: p.seed, Streams: p.streams, FirstRun: p.first + first, Runs: n, Workers: p.Job.Workers,
			Progress: func(d int64) { progress(Progress{Done: before + d, Total: p.total}) }}
		if err := e.add(ctx, o); err != nil {
			return err
		}
		before += n * int64(max(len(p.points), 1))
		return nil
	}
	partial := func(done int64) {
		progress(Progress{Done: before, Total: p.total, Partial: e.result(done)})
	}
	prec, err := p.loop(ctx, batch, e.width, partial)
	if err != nil {
		return nil, err
	}
	out := e.result(prec.Runs)
	out.Precision = prec
	return out, nil
}

// loop runs batch over the job's runs, in Batch-sized parts when the job
// asks for them (calling partial after each), until the precision target
// is met; width is the headline interval's width so far.
func (p *Prepared) loop(ctx context.Context, batch func(first, n int64) error, width func() float64, partial func(done int64)) (Precision, error) {
	chunked := batch
	if size := p.Job.Batch; size > 0 {
		var done int64
		chunked = func(first, n int64) error {
			for k := int64(0); k < n; k += size {
				if err := ctx.Err(); err != nil {
					return err
				}
				if err := batch(first+k, min(size, n-k)); err != nil {
					return err
				}
				done = first + k + min(size, n-k)
				partial(done)
			}
			return nil
		}
	}
	total, err := precision{p.Job.CIWidth, p.Job.MaxRuns}.run(ctx, p.count, chunked, width)
	if err != nil {
		return Precision{}, err
	}
	return Precision{Target: p.Job.CIWidth, Initial: p.count, Runs: total, Width: width()}, nil
}

// provenance records the job with runs total runs (and no precision
// target: the runs it used reproduce it).
func (p *Prepared) provenance(source, sha, strategy string, runs int64) resultfile.Provenance {
	rec := p.Job.Spec
	rec.Runs, rec.Seed, rec.Shard = runs, p.seed, nil
	rec.Sets = p.Job.overridesText()
	rec.Sources = append([]string(nil), rec.Sources...)
	rec.Events, rec.Shocks, rec.Disable = slices.Clone(rec.Events), slices.Clone(rec.Shocks), slices.Clone(rec.Disable)
	return resultfile.Provenance{
		Tool:           Tool(),
		Source:         source,
		ScenarioSHA256: sha,
		Strategy:       strategy,
		Overrides:      rec.Sets,
		Runs:           runs,
		Seed:           p.seed,
		Command:        rec.Command(),
		Job:            &rec,
	}
}

// FromRecipe returns the job a result records; SeedSet is true, since the
// recipe's seed is the one used.
func FromRecipe(r resultfile.Recipe) Job {
	return Job{Spec: r, SeedSet: true}
}

func joinIDs(vs []sim.Variant) string {
	ids := make([]string, len(vs))
	for i, v := range vs {
		ids[i] = v.ID
	}
	return strings.Join(ids, ",")
}

// Fingerprint is the scenario SHA-256 the job's results record: the
// resolved scenario's, or for a comparison the first 16 hex digits of each
// variant's, comma-separated. Replay compares it with the recorded one
// before running.
func (p *Prepared) Fingerprint() string {
	if p.Job.Kind != Compare {
		sc := p.scs[0]
		if p.base != nil {
			sc = p.base.sc
		}
		return resultfile.Fingerprint(sc)
	}
	var shas []string
	for _, sc := range p.scs {
		shas = append(shas, resultfile.Fingerprint(sc)[:16])
	}
	return strings.Join(shas, ",")
}
