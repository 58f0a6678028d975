package study

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/escalate-sim/escalate/explore"
	"github.com/escalate-sim/escalate/scenarios"
)

// Report is a study's summaries; its JSON is explore.json.
type Report struct {
	Version string `json:"version,omitempty"`
	// Job is the job that made the report, as a value (escalate replay
	// runs it again); Command is it as a command line, for people.
	Job        *Job        `json:"job,omitempty"`
	Command    string      `json:"command,omitempty"`
	Scenario   string      `json:"scenario"`
	Design     string      `json:"design"`
	Samples    int         `json:"samples"`
	Points     int         `json:"points"`
	Runs       int64       `json:"runs"`
	Seed       uint64      `json:"seed"`
	Headline   string      `json:"headline"`
	Uncertain  []Param     `json:"uncertain"`
	Strategies []StratInfo `json:"strategies"`
	Baseline   string      `json:"baseline"`
	// Sensitivity per output and series (sobol and morris designs).
	Sensitivity []Sensitivity `json:"sensitivity,omitempty"`
	Robustness  []Robust      `json:"robustness"`
	Ranking     []RankStep    `json:"ranking"`
	Discovery   *Discovery    `json:"discovery,omitempty"`
	Warnings    []string      `json:"warnings,omitempty"`

	// Per point, for charts (not in the JSON: experiments.csv has them):
	// PWar[i][s] is strategy s's P(war) at point i, X[i] the point's
	// parameter values (a choice's by its position), Cases[i] whether the
	// --find condition holds there.
	PWar  [][]float64 `json:"-"`
	X     [][]float64 `json:"-"`
	Cases []bool      `json:"-"`
}

// Param is an uncertain key.
type Param struct {
	Path         string                 `json:"path"`
	Distribution scenarios.Distribution `json:"distribution"`
}

// StratInfo names a strategy.
type StratInfo struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Sensitivity is the indices of every parameter for one output of one
// series: a strategy ("historical") or its paired difference from the
// baseline ("historical - none").
type Sensitivity struct {
	Output   string `json:"output"`
	Strategy string `json:"strategy"`
	// NoiseShare is the share of the output's variance across points that
	// is Monte Carlo noise within a point (null where unknown: cost).
	NoiseShare *float64     `json:"noise_share"`
	Variance   float64      `json:"variance"`
	Parameters []ParamIndex `json:"parameters"`
	// Unresolved lists, in words, the indices the sample does not
	// resolve; NeedSamples is the base sample size that would.
	Unresolved  []string `json:"unresolved,omitempty"`
	NeedSamples int      `json:"need_samples,omitempty"`
}

// ParamIndex is one parameter's indices: Sobol (sobol design) or Morris
// (morris design).
type ParamIndex struct {
	Path       string      `json:"path"`
	FirstOrder *float64    `json:"first_order,omitempty"`
	FirstCI    *[2]float64 `json:"first_order_ci95,omitempty"`
	Total      *float64    `json:"total,omitempty"`
	TotalCI    *[2]float64 `json:"total_ci95,omitempty"`
	MuStar     *float64    `json:"mu_star,omitempty"`
	MuStarCI   *[2]float64 `json:"mu_star_ci95,omitempty"`
	Sigma      *float64    `json:"sigma,omitempty"`
}

// Robust is one strategy's P(war) across futures.
type Robust struct {
	Strategy     string     `json:"strategy"`
	PWarMean     float64    `json:"p_war_mean"`
	PWarMeanCI   [2]float64 `json:"p_war_mean_ci95"`
	PWarP10      float64    `json:"p_war_p10"`
	PWarP90      float64    `json:"p_war_p90"`
	RegretMean   float64    `json:"regret_mean"`
	RegretMeanCI [2]float64 `json:"regret_mean_ci95"`
	RegretMax    float64    `json:"regret_max"`
	Satisficing  *float64   `json:"satisficing_share"`
	Rank         int        `json:"rank"`
}

// RankStep says whether one strategy's lower mean P(war) than the next
// one's is resolved by the futures sampled.
type RankStep struct {
	Better   string     `json:"better"`
	Worse    string     `json:"worse"`
	Diff     float64    `json:"p_war_diff"`
	DiffCI   [2]float64 `json:"p_war_diff_ci95"`
	Resolved bool       `json:"resolved"`
}

// Discovery is the PRIM box for the condition.
type Discovery struct {
	Condition string  `json:"condition"`
	Cases     int     `json:"cases"` // points where it holds
	Share     float64 `json:"share"` // of all points
	Box       string  `json:"box"`   // in words
	Limits    []Limit `json:"limits"`
	Density   float64 `json:"density"`
	Coverage  float64 `json:"coverage"`
	Mass      float64 `json:"mass"`
	// Trajectory is the peeling trajectory: coverage and density per step.
	Trajectory []PeelPoint `json:"trajectory"`
	Chosen     int         `json:"chosen"`
	// Stability under bootstrap resampling of the points.
	Jaccard         float64   `json:"stability_jaccard"`
	RestrictedShare []float64 `json:"restricted_share"`
	Summary         string    `json:"summary"`
}

// Limit is the box's range of one parameter (nil: unrestricted).
type Limit struct {
	Path string   `json:"path"`
	Min  *float64 `json:"min"`
	Max  *float64 `json:"max"`
}

// PeelPoint is one box of the trajectory.
type PeelPoint struct {
	Coverage float64 `json:"coverage"`
	Density  float64 `json:"density"`
	Mass     float64 `json:"mass"`
	Dims     int     `json:"restricted"`
}

func ptr[T any](x T) *T { return &x }

func (a *accumulator) report() (*Report, error) {
	s := a.s
	cfg := s.cfg
	r := &Report{Scenario: cfg.File.Name, Design: cfg.Design, Samples: cfg.Samples, Points: len(s.Points),
		Runs: cfg.Runs, Seed: cfg.Seed, Headline: s.Headline.Label(), Baseline: s.Strategies[0].ID}
	names := make([]string, len(cfg.Uncertain))
	for j, u := range cfg.Uncertain {
		r.Uncertain = append(r.Uncertain, Param{Path: u.Key(), Distribution: u.Dist})
		names[j] = u.Key()
	}
	for _, st := range s.Strategies {
		r.Strategies = append(r.Strategies, StratInfo(st))
	}
	// A fixed stream for the bootstraps, apart from the design's.
	src := func(i uint64) rand.Source { return rand.NewPCG(cfg.Seed, 0xb0075+i) }
	k := len(cfg.Uncertain)
	for o, out := range outputs {
		for v := range a.vals[o] {
			sens := Sensitivity{Output: out, Strategy: a.seriesName(v)}
			if ns := noiseShare(a.vals[o][v], a.noise[o][v]); !math.IsNaN(ns) {
				sens.NoiseShare = ptr(ns)
			}
			switch cfg.Design {
			case "sobol":
				fA, fB, fAB, err := explore.SaltelliSplit(a.vals[o][v], k)
				if err != nil {
					return nil, err
				}
				res, err := explore.SobolIndices(fA, fB, fAB, cfg.Resamples, src(uint64(o*1000+v)))
				if err != nil {
					return nil, err
				}
				sens.Variance = res.Variance
				for j, ix := range res.Indices {
					sens.Parameters = append(sens.Parameters, ParamIndex{Path: names[j],
						FirstOrder: ptr(ix.First), FirstCI: ptr(ix.FirstCI), Total: ptr(ix.Total), TotalCI: ptr(ix.TotalCI)})
				}
				if res.Variance > 0 {
					sens.Unresolved, sens.NeedSamples = explore.Resolution{Width: 0.1}.Unresolved(res, names)
				}
			case "morris":
				us := make([][]float64, len(s.Points))
				for i, p := range s.Points {
					us[i] = p.U
				}
				m, err := explore.MorrisEffects(us, a.vals[o][v], k, cfg.Resamples, src(uint64(o*1000+v)))
				if err != nil {
					return nil, err
				}
				for j, ix := range m {
					sens.Parameters = append(sens.Parameters, ParamIndex{Path: names[j],
						MuStar: ptr(ix.MuStar), MuStarCI: ptr(ix.MuStarCI), Sigma: ptr(ix.Sigma)})
				}
			default:
				continue
			}
			r.Sensitivity = append(r.Sensitivity, sens)
		}
	}
	if err := a.robustness(r); err != nil {
		return nil, err
	}
	if cfg.Find != "" {
		d, err := a.discover(names, src(999999))
		if err != nil {
			return nil, err
		}
		r.Discovery = d
	}
	r.Warnings = a.warnings(r)
	r.PWar, r.X, r.Cases = a.pwar, a.xs(), a.cases
	return r, nil
}

func (a *accumulator) robustness(r *Report) error {
	rob, err := explore.Robust(a.pwar, a.s.cfg.Satisfice)
	if err != nil {
		return err
	}
	order, steps, err := explore.Rank(a.pwar)
	if err != nil {
		return err
	}
	rank := make([]int, len(order))
	for i, s := range order {
		rank[s] = i + 1
	}
	for _, s := range order {
		x := rob[s]
		rb := Robust{Strategy: a.s.Strategies[s].ID, PWarMean: x.Mean, PWarMeanCI: x.MeanCI, PWarP10: x.P10, PWarP90: x.P90,
			RegretMean: x.RegretMean, RegretMeanCI: x.RegretMeanCI, RegretMax: x.RegretMax, Rank: rank[s]}
		if !math.IsNaN(x.Satisficing) {
			rb.Satisficing = ptr(x.Satisficing)
		}
		r.Robustness = append(r.Robustness, rb)
	}
	for _, st := range steps {
		r.Ranking = append(r.Ranking, RankStep{Better: a.s.Strategies[st.Better].ID, Worse: a.s.Strategies[st.Worse].ID,
			Diff: st.Diff, DiffCI: st.CI, Resolved: st.Resolved})
	}
	return nil
}

// xs returns the points' values as numbers: a choice's values by their
// position in the list.
func (a *accumulator) xs() [][]float64 {
	out := make([][]float64, len(a.s.Points))
	for i, p := range a.s.Points {
		row := make([]float64, len(p.Values))
		for j, v := range p.Values {
			row[j] = numeric(v, a.s.cfg.Uncertain[j].Dist)
		}
		out[i] = row
	}
	return out
}

func numeric(v any, d scenarios.Distribution) float64 {
	switch t := v.(type) {
	case float64:
		return t
	case int64:
		if d.Kind == "choice" {
			break
		}
		return float64(t)
	}
	for i, c := range d.Values {
		if c == v {
			return float64(i)
		}
	}
	return math.NaN()
}

func (a *accumulator) discover(names []string, src rand.Source) (*Discovery, error) {
	cond, err := ParseCondition(a.s.cfg.Find, a.s.ids())
	if err != nil {
		return nil, err
	}
	// The condition needs every strategy's outcomes at each point: they
	// are rebuilt from the kept values.
	ns := len(a.s.Strategies)
	y := make([]bool, len(a.s.Points))
	cases := 0
	for i := range y {
		oc := make([]Outcome, ns)
		for v := range ns {
			oc[v] = Outcome{PWar: a.vals[0][v][i], WarMonths: a.vals[1][v][i], Cost: a.vals[2][v][i]}
		}
		y[i] = cond.Holds(oc)
		if y[i] {
			cases++
		}
	}
	d := &Discovery{Condition: cond.Text, Cases: cases, Share: float64(cases) / float64(len(y))}
	a.cases = y
	if cases == 0 || cases == len(y) {
		d.Box = "any values (no restriction)"
		d.Summary = fmt.Sprintf("the condition holds in %d of %d futures: there is no box to find", cases, len(y))
		return d, nil
	}
	res, err := explore.PRIM(a.xs(), y, explore.PRIMOptions{Resamples: 50, Src: src})
	if err != nil {
		return nil, err
	}
	b := res.Box()
	d.Box = b.Box.Describe(names)
	d.Density, d.Coverage, d.Mass = b.Density, b.Coverage, b.Mass
	d.Chosen, d.Jaccard, d.RestrictedShare = res.Chosen, res.Jaccard, res.RestrictedShare
	for j, n := range names {
		l := Limit{Path: n}
		if !math.IsInf(b.Box.Lo[j], -1) {
			l.Min = ptr(b.Box.Lo[j])
		}
		if !math.IsInf(b.Box.Hi[j], 1) {
			l.Max = ptr(b.Box.Hi[j])
		}
		d.Limits = append(d.Limits, l)
	}
	for _, st := range res.Trajectory {
		dims := 0
		for j := range names {
			if st.Box.Restricted(j) {
				dims++
			}
		}
		d.Trajectory = append(d.Trajectory, PeelPoint{Coverage: st.Coverage, Density: st.Density, Mass: st.Mass, Dims: dims})
	}
	d.Summary = fmt.Sprintf("%s: %.0f%% of the futures in the box meet the condition, covering %.0f%% of all such futures (the box holds %.0f%% of the futures; the condition holds in %.0f%% overall); stability under resampling: %.2f (1 = the same box every time)",
		d.Box, 100*d.Density, 100*d.Coverage, 100*d.Mass, 100*d.Share, d.Jaccard)
	return d, nil
}

// warnings says in words what the sample does not resolve.
func (a *accumulator) warnings(r *Report) []string {
	w := slices.Clone(a.s.notes)
	// One line per output, not per series: which series, and the largest
	// sample any of them needs.
	for _, out := range outputs {
		var noisy, unresolved []string
		need := 0
		worstNoise := 0.0
		for _, s := range r.Sensitivity {
			if s.Output != out {
				continue
			}
			if s.NoiseShare != nil && *s.NoiseShare > 0.2 {
				noisy = append(noisy, s.Strategy)
				worstNoise = max(worstNoise, *s.NoiseShare)
			}
			if len(s.Unresolved) > 0 {
				unresolved = append(unresolved, s.Strategy)
				need = max(need, s.NeedSamples)
			}
		}
		if len(noisy) > 0 {
			w = append(w, fmt.Sprintf("%s of %s: up to %.0f%% of the variance across futures is Monte Carlo noise within a future, which the indices then partly measure: raise --runs (noise falls as 1/runs)",
				out, strings.Join(noisy, ", "), 100*worstNoise))
		}
		if len(unresolved) > 0 {
			w = append(w, fmt.Sprintf("%s of %s: Sobol indices not resolved with %d base samples (95%% intervals wider than 0.1, or negative estimates; see \"unresolved\" in the JSON); about --samples %d would resolve them",
				out, strings.Join(unresolved, ", "), a.s.cfg.Samples, need))
		}
	}
	for _, st := range r.Ranking {
		if !st.Resolved {
			w = append(w, fmt.Sprintf("ranking not resolved: %s and %s differ by %+.4f in mean P(war), 95%% interval [%+.4f, %+.4f] includes 0",
				st.Better, st.Worse, st.Diff, st.DiffCI[0], st.DiffCI[1]))
		}
	}
	if a.s.cfg.Design == "lhs" {
		w = append(w, "a Latin hypercube gives robustness and discovery but no sensitivity indices: use --design sobol or morris for those")
	}
	return w
}
