package study

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync"

	"github.com/escalate-sim/escalate/explore"
	"github.com/escalate-sim/escalate/scenarios"
	"github.com/escalate-sim/escalate/sim"
)

// Designs are the designs a study can draw.
var Designs = []string{"lhs", "sobol", "morris"}

// Config describes a study.
type Config struct {
	File      *scenarios.File
	Uncertain []scenarios.Uncertain
	// Design is "lhs", "sobol" or "morris". Samples is the number of
	// points (lhs), of base samples (sobol: Samples x (k+2) points) or of
	// trajectories (morris: Samples x (k+1) points).
	Design  string
	Samples int
	Runs    int64
	Seed    uint64
	// Country picks the headline country ("" or "any": as sim.NewHeadline).
	Country string
	// Satisfice is the P(war) threshold of the satisficing share; NaN for none.
	Satisfice float64
	// Find is the condition of scenario discovery, e.g. "p_war > 0.3"
	// ("" for none); see ParseCondition.
	Find string
	// Levels of a Morris grid (default 4); Resamples of the bootstraps
	// (default 1000); Workers run points in parallel (default NumCPU).
	Levels, Resamples, Workers int
}

// Strategy names one variant run at every point.
type Strategy struct {
	ID, Name string
}

// Point is one future: its coordinates in the unit cube and the values of
// the uncertain keys there.
type Point struct {
	Index  int
	U      []float64
	Values []any
}

// Outcome is one strategy's outcome at one point, over cfg.Runs runs.
type Outcome struct {
	Wars      int64      `json:"wars"`       // runs at war at some month (headline outcome)
	PWar      float64    `json:"p_war"`      // Wars / runs
	PWarCI    [2]float64 `json:"p_war_ci95"` // Wilson 95% interval
	WarMonths float64    `json:"war_months"` // mean months at war
	// WarMonthsVar is the variance over runs of months at war.
	WarMonthsVar float64 `json:"war_months_var"`
	Cost         float64 `json:"cost"` // mean cost of all missions per run
	// Paired statistics against the baseline (the first strategy).
	Paired sim.Paired `json:"paired"`
}

// PointResult is every strategy's outcome at one point.
type PointResult struct {
	Point
	Outcomes []Outcome
}

// Study is a prepared exploration: its design drawn, its strategies known.
type Study struct {
	cfg        Config
	Strategies []Strategy
	Points     []Point
	Headline   sim.Headline
	horizon    int
	notes      []string // warnings known before any run
}

// New checks cfg and draws the design. The design depends only on the
// seed, the design kind, the number of samples and of uncertain keys.
func New(cfg Config) (*Study, error) {
	if cfg.File == nil {
		return nil, errors.New("explore: no scenario")
	}
	k := len(cfg.Uncertain)
	if k == 0 {
		return nil, fmt.Errorf("%s: no uncertain keys: add an [uncertain] table to the file or --uncertain PATH=DIST, e.g. --uncertain 'country.ID.volatility=uniform=[0.03, 0.09]'", cfg.File.Path)
	}
	if cfg.Samples < 1 {
		return nil, fmt.Errorf("explore: --samples must be at least 1, got %d", cfg.Samples)
	}
	if cfg.Runs < 1 {
		return nil, fmt.Errorf("explore: --runs must be at least 1, got %d", cfg.Runs)
	}
	if cfg.Levels == 0 {
		cfg.Levels = 4
	}
	if cfg.Resamples == 0 {
		cfg.Resamples = 1000
	}
	if cfg.Workers <= 0 {
		cfg.Workers = runtime.NumCPU()
	}
	if cfg.Find != "" {
		if _, err := ParseCondition(cfg.Find, nil); err != nil && !errors.Is(err, errUnknownStrategy) {
			return nil, err
		}
	}
	s := &Study{cfg: cfg}
	for _, st := range cfg.File.Strategies {
		s.Strategies = append(s.Strategies, Strategy{ID: st.ID, Name: st.Name})
		for _, ov := range st.Set {
			key := strings.Join(ov.Path, ".")
			for _, u := range cfg.Uncertain {
				if u.Key() == key {
					s.notes = append(s.notes, fmt.Sprintf("strategy %s sets %s, which is uncertain: at each point the drawn value replaces the strategy's %s, as --set after --strategy does; leave the key out of the uncertain ones to keep the strategy's value",
						st.ID, key, scenarios.FormatValue(ov.Value)))
				}
			}
		}
	}
	if len(s.Strategies) == 0 {
		s.Strategies = []Strategy{{ID: "scenario", Name: "The scenario as written"}}
	}
	if cfg.Find != "" {
		if _, err := ParseCondition(cfg.Find, s.ids()); err != nil {
			return nil, err
		}
	}
	// The design's own stream: a fixed derivation of the seed, apart from
	// the engine's streams (which use the seed itself).
	src := rand.NewPCG(cfg.Seed, 0x6578706c6f7265) // "explore"
	var us [][]float64
	var err error
	switch cfg.Design {
	case "lhs":
		us, err = explore.LatinHypercube(cfg.Samples, k, src)
	case "sobol":
		us, err = explore.SaltelliPoints(cfg.Samples, k, src)
	case "morris":
		us, err = explore.MorrisPoints(cfg.Samples, k, cfg.Levels, src)
	default:
		return nil, fmt.Errorf("explore: unknown design %q (want %s)", cfg.Design, strings.Join(Designs, ", "))
	}
	if err != nil {
		return nil, fmt.Errorf("explore: %w", err)
	}
	for i, u := range us {
		p := Point{Index: i, U: u, Values: make([]any, k)}
		for j, un := range cfg.Uncertain {
			p.Values[j] = un.Dist.Value(u[j])
		}
		s.Points = append(s.Points, p)
	}
	base, err := s.Scenarios(s.Points[0])
	if err != nil {
		return nil, err
	}
	s.horizon = base[0].Horizon
	if s.Headline, err = sim.NewHeadline(base[0], cfg.Country); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Study) ids() []string {
	ids := make([]string, len(s.Strategies))
	for i, st := range s.Strategies {
		ids[i] = st.ID
	}
	return ids
}

// Config returns the study's configuration with defaults filled in.
func (s *Study) Config() Config { return s.cfg }

// Overrides returns the overrides that set the point's values: the same
// overrides as `--set PATH=VALUE` for each uncertain key.
func (s *Study) Overrides(p Point) []scenarios.Override {
	ovs := make([]scenarios.Override, len(p.Values))
	for j, v := range p.Values {
		ovs[j] = s.cfg.Uncertain[j].Override(v)
	}
	return ovs
}

// Scenarios returns each strategy's scenario at the point: the file's
// strategy with the point's values applied after the strategy's own
// overrides, as `escalate run --strategy ID --set ...` builds it.
func (s *Study) Scenarios(p Point) ([]*sim.Scenario, error) {
	ovs := s.Overrides(p)
	out := make([]*sim.Scenario, len(s.Strategies))
	for i, st := range s.Strategies {
		var sc *sim.Scenario
		var err error
		if len(s.cfg.File.Strategies) == 0 {
			sc, err = s.cfg.File.Scenario(ovs...)
		} else {
			sc, err = s.cfg.File.Strategy(st.ID, ovs...)
		}
		if err != nil {
			return nil, fmt.Errorf("point %d (%s), strategy %s: %w", p.Index+1, s.describe(p), st.ID, err)
		}
		out[i] = sc
	}
	return out, nil
}

func (s *Study) describe(p Point) string {
	parts := make([]string, len(p.Values))
	for j, v := range p.Values {
		parts[j] = s.cfg.Uncertain[j].Key() + "=" + scenarios.FormatValue(v)
	}
	return strings.Join(parts, " ")
}

// run simulates every strategy at one point on the study's seed.
func (s *Study) run(ctx context.Context, p Point) (PointResult, error) {
	variants, err := s.Scenarios(p)
	if err != nil {
		return PointResult{}, err
	}
	cmp, err := sim.Compare(ctx, variants, sim.Options{Seed: s.cfg.Seed, Runs: s.cfg.Runs, Workers: 1})
	if err != nil {
		return PointResult{}, fmt.Errorf("point %d: %w", p.Index+1, err)
	}
	pr := PointResult{Point: p, Outcomes: make([]Outcome, len(variants))}
	for v, sc := range variants {
		pr.Outcomes[v] = outcome(sc, cmp.Results[v], cmp.Paired[v], s.Headline)
	}
	return pr, nil
}

// outcome reads the headline outcome of one strategy's aggregates.
func outcome(sc *sim.Scenario, r *sim.Result, paired []sim.Paired, h sim.Headline) Outcome {
	unit := len(sc.Countries)
	o := &r.AnyWar
	for i, c := range sc.Countries {
		if c.ID == h.Country {
			unit, o = i, &r.Countries[i].Outcome
		}
	}
	out := Outcome{Wars: o.EverWar, Paired: paired[unit]}
	n := r.Runs
	out.PWar = float64(o.EverWar) / float64(n)
	out.PWarCI[0], out.PWarCI[1] = sim.Wilson(o.EverWar, n)
	var sum, sumSq float64
	for k, c := range o.WarMonths {
		sum += float64(k) * float64(c)
		sumSq += float64(k) * float64(k) * float64(c)
	}
	out.WarMonths = sum / float64(n)
	if n > 1 {
		out.WarMonthsVar = max(0, (sumSq-sum*sum/float64(n))/float64(n-1))
	}
	for i, iv := range sc.Interventions {
		if iv.StaffVaries() {
			// Its staff changes: cost from its staff share-months.
			out.Cost += iv.MeanCost(&r.Interventions[i], n)
			continue
		}
		var months float64
		for k, c := range r.Interventions[i].ActiveMonths {
			months += float64(k) * float64(c)
		}
		out.Cost += iv.Staff * iv.CostPerStaffMonth * months / float64(n)
	}
	return out
}

// Run runs every point, calling sink with the results in point order (the
// sink may write them out; the slice it gets is not kept), and returns the
// summaries. progress, if set, is called with the points done.
func (s *Study) Run(ctx context.Context, sink func(PointResult) error, progress func(done int)) (*Report, error) {
	sum := s.NewSummary()
	err := s.RunPoints(ctx, 0, len(s.Points), func(pr PointResult) error {
		if err := sum.Add(pr); err != nil {
			return err
		}
		if sink != nil {
			return sink(pr)
		}
		return nil
	}, progress)
	if err != nil {
		return nil, err
	}
	return sum.Report()
}

// RunPoints runs the points with indices lo to hi-1 (a shard's part of the
// design), calling sink with each result in point order; progress, if
// set, is called with the number of those points done. A point's result
// does not depend on which other points run with it.
func (s *Study) RunPoints(ctx context.Context, lo, hi int, sink func(PointResult) error, progress func(done int)) error {
	if lo < 0 || hi > len(s.Points) || lo > hi {
		return fmt.Errorf("explore: points %d to %d are not within the design's %d", lo, hi, len(s.Points))
	}
	batch := 16 * s.cfg.Workers
	results := make([]PointResult, batch)
	errs := make([]error, batch)
	for first := lo; first < hi; first += batch {
		last := min(first+batch, hi)
		var wg sync.WaitGroup
		next := make(chan int)
		for range min(s.cfg.Workers, last-first) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range next {
					results[i-first], errs[i-first] = s.run(ctx, s.Points[i])
				}
			}()
		}
		for i := first; i < last; i++ {
			next <- i
		}
		close(next)
		wg.Wait()
		for i := first; i < last; i++ {
			if err := errs[i-first]; err != nil {
				return err
			}
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := sink(results[i-first]); err != nil {
				return err
			}
		}
		if progress != nil {
			progress(last - lo)
		}
	}
	return nil
}

// Summary gathers the points' results, in point order, into the report:
// from one process's run or from the shards of a design read back.
type Summary struct {
	acc  *accumulator
	next int
}

// NewSummary returns an empty summary of the study.
func (s *Study) NewSummary() *Summary { return &Summary{acc: newAccumulator(s)} }

// Add adds the next point's result; it must be point Next().
func (m *Summary) Add(pr PointResult) error {
	s := m.acc.s
	if pr.Index != m.next {
		return fmt.Errorf("explore: point %d where point %d was due", pr.Index+1, m.next+1)
	}
	if len(pr.Outcomes) != len(s.Strategies) {
		return fmt.Errorf("explore: point %d has %d outcomes for %d strategies", pr.Index+1, len(pr.Outcomes), len(s.Strategies))
	}
	m.acc.add(pr)
	m.next++
	return nil
}

// Next is the index of the point Add wants next.
func (m *Summary) Next() int { return m.next }

// Report computes the summaries once every point has been added.
func (m *Summary) Report() (*Report, error) {
	if n := len(m.acc.s.Points); m.next != n {
		return nil, fmt.Errorf("explore: %d of the design's %d points summarised", m.next, n)
	}
	return m.acc.report()
}

// outputs are the outcomes whose sensitivity is reported.
var outputs = []string{"p_war", "war_months", "cost"}

func (o Outcome) value(out string) float64 {
	switch out {
	case "p_war":
		return o.PWar
	case "war_months":
		return o.WarMonths
	}
	return o.Cost
}

// noiseVar is the Monte Carlo variance of the outcome's estimate at one
// point over runs runs (NaN where it is not known: the cost).
func (o Outcome) noiseVar(out string, runs int64) float64 {
	n := float64(runs)
	switch out {
	case "p_war":
		return o.PWar * (1 - o.PWar) / n
	case "war_months":
		return o.WarMonthsVar / n
	}
	return math.NaN()
}

// diffNoiseVar is the Monte Carlo variance of the paired difference
// (strategy minus baseline) at one point.
func (o Outcome) diffNoiseVar(out string) float64 {
	p := o.Paired
	n := float64(p.Runs)
	if n < 2 {
		return math.NaN()
	}
	switch out {
	case "p_war":
		m := float64(p.VariantOnly-p.BaseOnly) / n
		return (float64(p.VariantOnly+p.BaseOnly)/n - m*m) / n
	case "war_months":
		m := float64(p.SumDiff) / n
		return (float64(p.SumSqDiff)/n - m*m) / n
	}
	return math.NaN()
}

// accumulator keeps each point's few numbers for the summaries.
type accumulator struct {
	s *Study
	// vals[o][v][i]: output o of series v at point i; series are the
	// strategies, then each strategy's difference from the baseline.
	vals  [][][]float64
	noise [][][]float64 // the same layout: Monte Carlo variance at the point
	pwar  [][]float64   // [point][strategy]
	cases []bool        // where the --find condition holds
}

func newAccumulator(s *Study) *accumulator {
	a := &accumulator{s: s, vals: make([][][]float64, len(outputs)), noise: make([][][]float64, len(outputs))}
	ns := len(s.Strategies)
	series := ns + ns - 1
	for o := range outputs {
		a.vals[o] = make([][]float64, series)
		a.noise[o] = make([][]float64, series)
	}
	return a
}

func (a *accumulator) add(pr PointResult) {
	ns := len(pr.Outcomes)
	row := make([]float64, ns)
	for o, out := range outputs {
		for v, oc := range pr.Outcomes {
			a.vals[o][v] = append(a.vals[o][v], oc.value(out))
			a.noise[o][v] = append(a.noise[o][v], oc.noiseVar(out, a.s.cfg.Runs))
			if v > 0 {
				d := ns + v - 1
				a.vals[o][d] = append(a.vals[o][d], oc.value(out)-pr.Outcomes[0].value(out))
				a.noise[o][d] = append(a.noise[o][d], oc.diffNoiseVar(out))
			}
		}
	}
	for v, oc := range pr.Outcomes {
		row[v] = oc.PWar
	}
	a.pwar = append(a.pwar, row)
}

// seriesName names series v: a strategy id, or "ID - BASELINE".
func (a *accumulator) seriesName(v int) string {
	ns := len(a.s.Strategies)
	if v < ns {
		return a.s.Strategies[v].ID
	}
	return a.s.Strategies[v-ns+1].ID + " - " + a.s.Strategies[0].ID
}

// noiseShare is the mean Monte Carlo variance within points over the
// variance of the outcome across points: the share of the spread that is
// simulation noise rather than the parameters.
func noiseShare(vals, noise []float64) float64 {
	var mean, v, nz float64
	for _, x := range vals {
		mean += x
	}
	mean /= float64(len(vals))
	for i, x := range vals {
		v += (x - mean) * (x - mean)
		nz += noise[i]
	}
	if len(vals) < 2 {
		return math.NaN()
	}
	v /= float64(len(vals) - 1)
	nz /= float64(len(vals))
	if math.IsNaN(nz) {
		return math.NaN()
	}
	if v == 0 {
		if nz == 0 {
			return 0
		}
		return 1
	}
	return min(nz/v, 1)
}
