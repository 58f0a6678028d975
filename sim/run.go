package sim

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"sync"
	"sync/atomic"
)

// Options controls a simulation.
type Options struct {
	// Seed of the random streams.
	Seed uint64
	// Runs is the number of runs; they have indices FirstRun,
	// FirstRun+1, ..., FirstRun+Runs-1. A run's randomness depends only on
	// the seed and its index, so a shard of the index range gives exactly
	// the runs a whole run would.
	Runs     int64
	FirstRun int64
	// Workers is the number of goroutines (default runtime.NumCPU()). It
	// never changes the results.
	Workers int
	// Progress, if set, is called from worker goroutines with the number
	// of runs done so far. It must be safe for concurrent use.
	Progress func(done int64)
	// Streams is the version of the random streams (0 means StreamsV1).
	Streams Streams
	// Records, if set, receives every run's per-country outcomes, in run
	// order, one chunk at a time; the slice is reused after the call.
	Records func(records []CountryRecord) error
}

// CountryRecord is one country's outcome in one run.
type CountryRecord struct {
	Variant     int // index of the variant in Compare; 0 in Run
	Run         int64
	Country     int
	FinalStage  Stage
	EverWar     bool
	FirstWar    int // first month at war, -1 if none
	WarMonths   int
	Onsets      int
	PeakTension float64
	Cost        float64
	// The run's missions (the same in every country's record): bit i of
	// Consented is whether the host accepted mission i in this run, bit i
	// of Launched whether it was launched (its start month, or its trigger
	// reached and detected), and LaunchMonth[i] that month.
	Consented, Launched uint64
	LaunchMonth         [MaxInterventions]int16
}

// chunkRuns is the number of consecutive runs a worker takes at once: large
// enough that scheduling costs nothing, small enough to balance the load and
// to keep the ordered record stream's buffers small.
const chunkRuns = 512

// Run simulates opt.Runs runs of sc and returns their aggregates.
func Run(ctx context.Context, sc *Scenario, opt Options) (*Result, error) {
	cmp, err := Compare(ctx, []*Scenario{sc}, opt)
	if err != nil {
		return nil, err
	}
	return cmp.Results[0], nil
}

// Comparison holds the aggregates of several variants of a scenario run
// with common random numbers, and their paired statistics against the
// first variant (the baseline).
type Comparison struct {
	Results []*Result
	// Paired[v][u] compares variant v with variant 0 on unit u: u indexes
	// the countries, and u = len(countries) is "any country". Paired[0]
	// compares the baseline with itself.
	Paired [][]Paired
}

// Paired holds the joint counts of two variants' outcomes over the same
// runs, from which paired differences and their intervals follow.
type Paired struct {
	Runs int64 `json:"runs"`
	// Runs by (baseline ever at war, variant ever at war).
	Both        int64 `json:"both"`
	BaseOnly    int64 `json:"base_only"`
	VariantOnly int64 `json:"variant_only"`
	// Sums over runs of d = variant's months at war - baseline's, and d².
	SumDiff   int64 `json:"sum_diff"`
	SumSqDiff int64 `json:"sum_sq_diff"`
	// Identical says that the variant has the baseline's dynamics and
	// random streams exactly (names and costs aside), so that their
	// difference in war is 0 by construction.
	Identical bool `json:"identical"`
}

func (a *Paired) add(b *Paired) {
	a.Identical = a.Identical && b.Identical
	a.Runs += b.Runs
	a.Both += b.Both
	a.BaseOnly += b.BaseOnly
	a.VariantOnly += b.VariantOnly
	a.SumDiff += b.SumDiff
	a.SumSqDiff += b.SumSqDiff
}

// Merge adds o's aggregates to c.
func (c *Comparison) Merge(o *Comparison) error {
	if len(c.Results) != len(o.Results) {
		return fmt.Errorf("merge: %d vs %d variants", len(c.Results), len(o.Results))
	}
	for v := range c.Results {
		if err := c.Results[v].Merge(o.Results[v]); err != nil {
			return err
		}
		if len(c.Paired[v]) != len(o.Paired[v]) {
			return fmt.Errorf("merge: %w (paired statistics)", errShape)
		}
		for u := range c.Paired[v] {
			c.Paired[v][u].add(&o.Paired[v][u])
		}
	}
	return nil
}

// Compare runs every variant on the same run indices and seed: run i of
// every variant sees the same noise and shocks (common random numbers). The
// variants must share horizon and countries (ids, in order).
func Compare(ctx context.Context, variants []*Scenario, opt Options) (*Comparison, error) {
	if len(variants) == 0 {
		return nil, errors.New("sim: no scenario to run")
	}
	for _, sc := range variants {
		if err := sc.Validate(); err != nil {
			return nil, fmt.Errorf("sim: invalid scenario %q: %w", sc.Name, err)
		}
	}
	for _, sc := range variants[1:] {
		if err := sameShape(variants[0], sc); err != nil {
			return nil, err
		}
	}
	return simulate(ctx, variants, opt, true)
}

// RunMany simulates each scenario as Run would alone and returns their
// results in order, byte for byte what separate calls of Run give. It is
// cheaper: scenarios with the same horizon and countries (the points of
// a sweep) run together, and each run's noise, shocks and Markov draws are
// made once for all of them that share their shock processes. Progress,
// if set, receives the runs done summed over the scenarios (Runs times
// len(scs) at the end). Records is not supported: use Compare, whose
// records name the variant.
func RunMany(ctx context.Context, scs []*Scenario, opt Options) ([]*Result, error) {
	if opt.Records != nil {
		return nil, errors.New("sim: RunMany does not stream records (use Compare)")
	}
	for _, sc := range scs {
		if err := sc.Validate(); err != nil {
			return nil, fmt.Errorf("sim: invalid scenario %q: %w", sc.Name, err)
		}
	}
	out := make([]*Result, len(scs))
	done := make([]bool, len(scs))
	var before int64
	for first := range scs {
		if done[first] {
			continue
		}
		// A family: the scenarios that can run as variants of scs[first].
		var idx []int
		var family []*Scenario
		for k := first; k < len(scs); k++ {
			if !done[k] && sameShape(scs[first], scs[k]) == nil {
				idx = append(idx, k)
				family = append(family, scs[k])
				done[k] = true
			}
		}
		o := opt
		if opt.Progress != nil {
			n, b := int64(len(family)), before
			o.Progress = func(d int64) { opt.Progress(b + d*n) }
		}
		cmp, err := simulate(ctx, family, o, false)
		if err != nil {
			return nil, err
		}
		for j, k := range idx {
			out[k] = cmp.Results[j]
		}
		before += opt.Runs * int64(len(family))
	}
	return out, nil
}

// sameShape reports why b cannot run as a variant of a: a different
// horizon or other countries.
func sameShape(a, b *Scenario) error {
	if b.Horizon != a.Horizon || len(b.Countries) != len(a.Countries) {
		return fmt.Errorf("sim: variant %q and %q differ in horizon or countries", b.Name, a.Name)
	}
	for i := range b.Countries {
		if b.Countries[i].ID != a.Countries[i].ID {
			return fmt.Errorf("sim: variant %q and %q differ in countries (%q vs %q)", b.Name, a.Name, b.Countries[i].ID, a.Countries[i].ID)
		}
	}
	return nil
}

// simulate runs validated variants of the same shape together on shared
// draws; pair adds their paired statistics against the first.
func simulate(ctx context.Context, variants []*Scenario, opt Options, pair bool) (*Comparison, error) {
	if opt.Runs < 0 || opt.FirstRun < 0 {
		return nil, fmt.Errorf("sim: negative run range (first %d, runs %d)", opt.FirstRun, opt.Runs)
	}
	streams := opt.Streams
	if streams == 0 {
		streams = StreamsV1
	}
	if streams != StreamsV1 && streams != StreamsV2 {
		return nil, fmt.Errorf("sim: unknown stream version %d", opt.Streams)
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	programs := make([]*program, len(variants))
	for v, sc := range variants {
		programs[v] = compile(sc)
	}
	nChunks := (opt.Runs + chunkRuns - 1) / chunkRuns
	workers = int(min(int64(workers), max(nChunks, 1)))

	var (
		next  atomic.Int64
		done  atomic.Int64
		wg    sync.WaitGroup
		order *recordOrder
	)
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	if opt.Records != nil {
		order = newRecordOrder(opt.Records, 2*workers, cancel)
	}
	parts := make([]*Comparison, workers)
	for w := range workers {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			// Each worker allocates its own aggregates, on its own P:
			// allocated together by one goroutine, the small per-run
			// counters of two workers shared cache lines, and two
			// workers cost 23% more CPU than one (false sharing).
			out := newComparison(variants)
			parts[w] = out
			wk := newWorker(programs, streams)
			for ctx.Err() == nil {
				if order != nil && !order.acquire(ctx) {
					return
				}
				k := next.Add(1) - 1
				if k >= nChunks {
					if order != nil {
						order.release()
					}
					return
				}
				lo := opt.FirstRun + k*chunkRuns
				hi := min(lo+chunkRuns, opt.FirstRun+opt.Runs)
				if order != nil {
					wk.records = order.buffer()
				}
				wk.chunk(opt.Seed, lo, hi, out, pair)
				if order != nil {
					order.put(k, wk.records)
				}
				if opt.Progress != nil {
					opt.Progress(done.Add(hi - lo))
				}
			}
		}(w)
	}
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return nil, err
	}
	identical := make([]bool, len(variants))
	for v := range variants {
		identical[v] = sameProgram(programs[0], programs[v])
	}
	for _, p := range parts {
		p.pairSelf()
		for v := range variants {
			for u := range p.Paired[v] {
				p.Paired[v][u].Identical = identical[v]
			}
		}
	}
	// Merge in worker order. Every aggregate is an integer count, so the
	// order cannot change the sums; it is fixed anyway.
	total := parts[0]
	for _, p := range parts[1:] {
		if err := total.Merge(p); err != nil {
			return nil, err
		}
	}
	return total, nil
}

// sameProgram reports whether a and b simulate exactly the same model
// with the same random streams: their scenarios may differ only in names
// that no stream is keyed by.
func sameProgram(a, b *program) bool {
	ca, cb := *a, *b
	ca.sc, cb.sc = nil, nil
	return reflect.DeepEqual(ca, cb)
}

func newComparison(variants []*Scenario) *Comparison {
	c := &Comparison{Results: make([]*Result, len(variants)), Paired: make([][]Paired, len(variants))}
	for v, sc := range variants {
		c.Results[v] = NewResult(sc)
		c.Paired[v] = make([]Paired, len(sc.Countries)+1)
	}
	return c
}

// worker holds one goroutine's run states, one per variant, and the draws
// of its variants' draw groups.
type worker struct {
	states  []*runState
	groups  []drawGroup
	records []CountryRecord // the current chunk's records, when recording
}

// drawGroup is a set of variants that make the same random draws
// (sameDraws): each run's draws are made once and every member steps on
// them.
type drawGroup struct {
	spec    *drawSpec
	d       *draws
	members []int
}

func newWorker(programs []*program, streams Streams) *worker {
	w := &worker{}
	for v, p := range programs {
		w.states = append(w.states, newRunState(p))
		found := false
		for g := range w.groups {
			if sameDraws(w.groups[g].spec.p, p) {
				w.groups[g].spec.add(p)
				w.groups[g].members = append(w.groups[g].members, v)
				found = true
				break
			}
		}
		if !found {
			spec := newDrawSpec(p)
			spec.streams = streams
			w.groups = append(w.groups, drawGroup{spec: spec, d: newDraws(p), members: []int{v}})
		}
	}
	return w
}

// chunk runs indices lo..hi-1 of every variant and adds them to out.
func (w *worker) chunk(seed uint64, lo, hi int64, out *Comparison, pair bool) {
	for run := lo; run < hi; run++ {
		for g := range w.groups {
			gr := &w.groups[g]
			gr.d.fill(gr.spec, seed, run)
			for _, v := range gr.members {
				w.states[v].simulate(seed, run, out.Results[v], gr.d)
			}
		}
		if w.records != nil {
			for v, s := range w.states {
				w.records = s.appendRecords(w.records, v, run)
			}
		}
		if pair && len(w.states) > 1 {
			w.pair(out)
		}
	}
	for v, s := range w.states {
		s.flush(out.Results[v])
	}
}

// pair adds the latest run's outcomes to the paired statistics.
// The baseline against itself (Paired[0]) follows from its own counts and
// is filled in by pairSelf.
func (w *worker) pair(out *Comparison) {
	base := w.states[0]
	for v := 1; v < len(w.states); v++ {
		s := w.states[v]
		ps := out.Paired[v]
		nc := len(s.p.countries)
		for u := 0; u <= nc; u++ {
			var bw, vw bool
			var bm, vm int
			if u < nc {
				bw, vw = base.everWar[u], s.everWar[u]
				bm, vm = base.warMonths[u], s.warMonths[u]
			} else {
				bw, vw = base.anyEver, s.anyEver
				bm, vm = base.anyMonths, s.anyMonths
			}
			p := &ps[u]
			p.Runs++
			switch {
			case bw && vw:
				p.Both++
			case bw:
				p.BaseOnly++
			case vw:
				p.VariantOnly++
			}
			d := int64(vm - bm)
			p.SumDiff += d
			p.SumSqDiff += d * d
		}
	}
}

// pairSelf fills the baseline's comparison with itself: every run agrees
// with itself, so its counts are the baseline's own.
func (c *Comparison) pairSelf() {
	r := c.Results[0]
	for u := range c.Paired[0] {
		o := &r.AnyWar
		if u < len(r.Countries) {
			o = &r.Countries[u].Outcome
		}
		c.Paired[0][u] = Paired{Runs: r.Runs, Both: o.EverWar}
	}
}

// recordOrder hands chunks of records to the sink in run order. A worker
// takes a token before it takes a chunk and the token comes back when the
// chunk has been written, so at most a window of chunks waits in memory. The
// lowest unwritten chunk always belongs to a token holder that is running,
// so the window never deadlocks.
type recordOrder struct {
	sink    func([]CountryRecord) error
	cancel  context.CancelCauseFunc
	tokens  chan struct{}
	mu      sync.Mutex
	next    int64
	pending map[int64][]CountryRecord
	free    [][]CountryRecord
	failed  bool
}

func newRecordOrder(sink func([]CountryRecord) error, window int, cancel context.CancelCauseFunc) *recordOrder {
	return &recordOrder{
		sink:    sink,
		cancel:  cancel,
		tokens:  make(chan struct{}, window),
		pending: make(map[int64][]CountryRecord),
	}
}

func (o *recordOrder) acquire(ctx context.Context) bool {
	select {
	case o.tokens <- struct{}{}:
		return true
	case <-ctx.Done():
		return false
	}
}

func (o *recordOrder) release() { <-o.tokens }

func (o *recordOrder) buffer() []CountryRecord {
	o.mu.Lock()
	defer o.mu.Unlock()
	if n := len(o.free); n > 0 {
		b := o.free[n-1]
		o.free = o.free[:n-1]
		return b[:0]
	}
	return make([]CountryRecord, 0, chunkRuns)
}

func (o *recordOrder) put(k int64, recs []CountryRecord) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.pending[k] = recs
	for {
		b, ok := o.pending[o.next]
		if !ok {
			return
		}
		delete(o.pending, o.next)
		o.next++
		if !o.failed {
			if err := o.sink(b); err != nil {
				o.failed = true
				o.cancel(err)
			}
		}
		o.free = append(o.free, b)
		o.release()
	}
}
