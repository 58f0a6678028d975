package exercise

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"github.com/escalate-sim/escalate/job"
	"github.com/escalate-sim/escalate/job/resultfile"
	"github.com/escalate-sim/escalate/sim"
)

// Debrief is the comparison of every team's decisions with the plan as
// written and with no mission, across all runs, and where the played
// world lies among them.
type Debrief struct {
	// Comparison is what Command prints on the exported file, parsed;
	// ComparisonJSON its exact bytes.
	Comparison     json.RawMessage `json:"comparison"`
	ComparisonJSON []byte          `json:"-"`
	Command        string          `json:"command"`
	ExportName     string          `json:"export_name"`
	Strategies     []StrategyName  `json:"strategies"`
	World          WorldRanks      `json:"world"`
	// Costs compares every strategy's cost with the baseline's, with the
	// intervals escalate compare does not give (the baseline's own entry
	// is zero).
	Costs []CostInterval `json:"costs"`
}

// StrategyName is a strategy's id and display name.
type StrategyName struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// WorldRanks is the played world (run index Run) under every strategy:
// its outcome and its rank among the debrief's runs of that strategy, by
// the headline outcome (war in the headline country, or in any country).
type WorldRanks struct {
	Run      int64  `json:"run"`
	Headline string `json:"headline"`
	Rank     []Rank `json:"rank"`
}

// Rank is the played world under one strategy. RunsWorse, RunsAsBad and
// RunsBetter count the debrief's runs of that strategy with more, as many
// and fewer months at war than the played world.
type Rank struct {
	Strategy   string  `json:"strategy"`
	Name       string  `json:"name"`
	War        bool    `json:"war"`
	WarMonths  int     `json:"war_months"`
	FirstWar   int     `json:"first_war"` // -1: none
	Cost       float64 `json:"cost"`
	RunsWorse  int64   `json:"runs_worse"`
	RunsAsBad  int64   `json:"runs_as_bad"`
	RunsBetter int64   `json:"runs_better"`
	// ShareAtLeastAsBad is (RunsWorse + RunsAsBad) / runs: "among the 10%
	// worst" when it is 0.1 and the world saw war; ShareAtLeastAsGood the
	// other way round, for a world at peace.
	ShareAtLeastAsBad  float64 `json:"share_at_least_as_bad"`
	ShareAtLeastAsGood float64 `json:"share_at_least_as_good"`
}

type debriefCache struct {
	version int64
	d       *Debrief
}

// Job is the debrief's escalate compare job, as the command line makes it
// from Command with the exported file saved under its name.
func DebriefJob(st *State, export []byte) job.Job {
	return job.Job{Spec: job.Spec{
		Kind: job.Compare, Sources: []string{ExportName(st.ID)}, Runs: st.DebriefRuns, Seed: st.Seed,
		Strategies: Strategies(st),
	}, SeedSet: true, Data: [][]byte{export}}
}

// Debrief runs the debrief once the exercise has ended (and returns the
// same one after that: an ended exercise does not change).
func (e *Exercise) Debrief(ctx context.Context) (*Debrief, error) {
	e.debriefMu.Lock() // a second request waits for the first's result
	defer e.debriefMu.Unlock()
	e.mu.Lock()
	if e.st.Status != Ended {
		defer e.mu.Unlock()
		return nil, conflictf("the debrief opens when the exercise ends (it is at month %d of %d, round %d)", e.st.Month, e.base.Horizon, e.st.Round)
	}
	if c := e.debrief; c != nil && c.version == e.st.Changes {
		e.mu.Unlock()
		return c.d, nil
	}
	st, data := e.st.clone(), e.cur.export
	e.mu.Unlock()

	d, err := debrief(ctx, &st, data)
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	if e.st.Changes == st.Changes {
		e.debrief = &debriefCache{st.Changes, d}
	}
	e.mu.Unlock()
	return d, nil
}

func debrief(ctx context.Context, st *State, export []byte) (*Debrief, error) {
	p, err := job.Prepare(DebriefJob(st, export))
	if err != nil {
		return nil, fmt.Errorf("the debrief's comparison: %w", err)
	}
	res, err := p.Execute(ctx, nil)
	if err != nil {
		return nil, err
	}
	file, _ := res.File()
	var buf bytes.Buffer
	if err := resultfile.Write(&buf, file); err != nil {
		return nil, err
	}
	d := &Debrief{Comparison: json.RawMessage(buf.Bytes()), ComparisonJSON: buf.Bytes(), Command: Command(st), ExportName: ExportName(st.ID)}
	cs := res.Comparison.ComparisonSummary
	for _, s := range cs.Strategies {
		d.Strategies = append(d.Strategies, StrategyName{s.ID, s.Name})
	}
	var costs *pairedCosts
	if d.World, costs, err = ranks(ctx, st, p.Scenarios(), d.Strategies); err != nil {
		return nil, err
	}
	for v, s := range cs.Strategies {
		d.Costs = append(d.Costs, costs.interval(v, s.ID, s.VsBaseline.CostPerWarAverted))
	}
	return d, nil
}

// ranks places the played world among the runs of every strategy: the
// same runs as the comparison (same scenarios, seed and run indices), whose
// histograms of months at war the comparison file does not carry. The
// same runs' records give the paired cost statistics.
func ranks(ctx context.Context, st *State, scs []*sim.Scenario, names []StrategyName) (WorldRanks, *pairedCosts, error) {
	hl, err := sim.NewHeadline(scs[0], "")
	if err != nil {
		return WorldRanks{}, nil, err
	}
	w := WorldRanks{Run: st.World, Headline: hl.Label()}
	country := -1
	for k, cc := range scs[0].Countries {
		if cc.ID == hl.Country {
			country = k
		}
	}
	costs := newPairedCosts(len(scs), country)
	c, err := sim.Compare(ctx, scs, sim.Options{Seed: st.Seed, Runs: st.DebriefRuns, Records: costs.add})
	if err != nil {
		return w, nil, err
	}
	costs.finish()
	for i, sc := range scs {
		path, err := sim.Trace(sc, st.Seed, st.World, sim.StreamsV1)
		if err != nil {
			return w, nil, err
		}
		r := Rank{Strategy: names[i].ID, Name: names[i].Name, FirstWar: -1}
		for _, rec := range path.Records {
			r.Cost += rec.Cost
		}
		res := c.Results[i]
		var hist []int64
		if country >= 0 {
			rec := path.Records[country]
			r.War, r.WarMonths, r.FirstWar = rec.EverWar, rec.WarMonths, rec.FirstWar
			hist = res.Countries[country].WarMonths
		} else {
			r.War, r.WarMonths, r.FirstWar = anyWar(path)
			hist = res.AnyWar.WarMonths
		}
		for k, n := range hist {
			switch {
			case k > r.WarMonths:
				r.RunsWorse += n
			case k == r.WarMonths:
				r.RunsAsBad += n
			default:
				r.RunsBetter += n
			}
		}
		runs := float64(res.Runs)
		r.ShareAtLeastAsBad = float64(r.RunsWorse+r.RunsAsBad) / runs
		r.ShareAtLeastAsGood = float64(r.RunsBetter+r.RunsAsBad) / runs
		w.Rank = append(w.Rank, r)
	}
	return w, costs, nil
}

// anyWar is a run's "any country at war" outcome: whether some country was
// at war in a month 0..H, in how many months 1..H one was, and the first.
func anyWar(p *sim.Path) (war bool, months, first int) {
	first = -1
	for m := 0; m <= p.Horizon; m++ {
		at := false
		for _, c := range p.Countries {
			at = at || c.Stage[m] == sim.War
		}
		if !at {
			continue
		}
		if first < 0 {
			war, first = true, m
		}
		if m > 0 {
			months++
		}
	}
	return war, months, first
}
