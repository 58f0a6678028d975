package serve

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/escalate-sim/escalate/sim"
)

// runRequest is the body of POST /api/run.
type runRequest struct {
	State State `json:"state"`
	// Client identifies one browser tab: its new what-if cancels the one
	// it still has running, even if the old connection has not closed.
	Client string `json:"client,omitempty"`
}

// View is the picture of a what-if so far, sent after every batch.
type View struct {
	Done     int64   `json:"done"`
	Runs     int64   `json:"runs"`
	Seed     uint64  `json:"seed"`
	Headline string  `json:"headline"` // "war in Guinea"
	Outcome  Numbers `json:"outcome"`
	// WarByMonth is the share of runs at war by each month (0..horizon):
	// one minus the survival curve of the headline.
	WarByMonth []float64 `json:"war_by_month"`
	// Occupancy is the share of runs in each stage by month, for the
	// first country (the headline's when it is one country).
	Country   string          `json:"country"`
	Occupancy sim.StageSeries `json:"occupancy"`
	Baseline  *BaselineView   `json:"baseline,omitempty"`
	// BaselineNote says why a pinned baseline is not compared with.
	BaselineNote string `json:"baseline_note,omitempty"`
	Command      string `json:"command"`
	Changes      string `json:"changes"`
	Entry        int    `json:"entry,omitempty"` // the history entry, in the last view
}

// Numbers are a what-if's headline figures.
type Numbers struct {
	PWar            float64    `json:"p_war"`
	PWarCI95        [2]float64 `json:"p_war_ci95"`
	WarMonthsMean   float64    `json:"war_months_mean"`
	CostMean        float64    `json:"cost_mean"`
	MedianTimeToWar *int       `json:"median_time_to_war"`
}

// BaselineView is the pinned baseline in the same runs, and the paired
// difference of the what-if from it.
type BaselineView struct {
	Entry      int               `json:"entry"`
	Changes    string            `json:"changes"`
	Outcome    Numbers           `json:"outcome"`
	WarByMonth []float64         `json:"war_by_month"`
	Vs         sim.PairedSummary `json:"vs"`
}

func numbers(st *sim.StrategySummary) Numbers {
	return Numbers{PWar: st.PWar, PWarCI95: st.PWarCI95, WarMonthsMean: st.WarMonthsMean, CostMean: st.CostMean, MedianTimeToWar: st.TimeToWar.MedianMonths}
}

func warByMonth(st *sim.StrategySummary) []float64 {
	out := make([]float64, len(st.TimeToWar.Survival))
	for i, s := range st.TimeToWar.Survival {
		out[i] = 1 - s
	}
	return out
}

// result is a finished what-if's aggregates, kept for the downloads.
type result struct {
	built   *Built
	summary *sim.Summary
	res     *sim.Result
	cmp     *sim.ComparisonSummary // nil without a baseline
	base    *Built                 // the baseline's state, with cmp
}

// view summarises the aggregates so far with the statistics of escalate
// run and compare.
func view(b *Built, base *entry, variants []*sim.Scenario, c *sim.Comparison, done int64) (*View, *result, error) {
	hl, err := sim.NewHeadline(variants[0], "")
	if err != nil {
		return nil, nil, err
	}
	labels := []sim.Variant{{ID: "whatif", Name: "What-if"}}
	if base != nil {
		labels = []sim.Variant{{ID: "baseline", Name: "Baseline"}, {ID: "whatif", Name: "What-if"}}
	}
	cs := sim.SummarizeComparison(variants, labels, c, b.Seed, hl)
	me := &cs.Strategies[len(cs.Strategies)-1]
	res := c.Results[len(c.Results)-1]
	sum := sim.Summarize(b.Scenario, res, b.Seed)
	v := &View{
		Done: done, Runs: b.Runs, Seed: b.Seed, Headline: hl.Label(), Outcome: numbers(me),
		WarByMonth: warByMonth(me), Country: sum.Countries[0].Name, Occupancy: sum.Countries[0].Occupancy,
		Command: b.Command(), Changes: b.Changes(),
	}
	out := &result{built: b, summary: sum, res: res}
	if base != nil {
		bs := &cs.Strategies[0]
		v.Baseline = &BaselineView{Entry: base.ID, Changes: base.Changes, Outcome: numbers(bs), WarByMonth: warByMonth(bs), Vs: me.VsBaseline}
		out.cmp, out.base = cs, base.result.built
	}
	return v, out, nil
}

// flight is a running what-if that a newer one from its client cancels.
type flight struct{ stop context.CancelCauseFunc }

// handleRun runs a what-if and streams its picture as server-sent events:
// "queued" while it waits for a slot, "progress" after every batch, then
// "done" (with the history entry) or "problem". Bad input is answered
// before the stream starts, as JSON with status 422.
func (s *Server) handleRun(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, s.lim.MaxBodyBytes)
	var req runRequest
	if err := decode(r, &req); err != nil {
		writeErr(w, err)
		return
	}
	b, err := build(req.State, s.lim)
	if err != nil {
		writeErr(w, err)
		return
	}
	base, note := s.baselineFor(b)
	variants := []*sim.Scenario{b.Scenario}
	if base != nil {
		variants = []*sim.Scenario{base.result.built.Scenario, b.Scenario}
	}

	ctx, cancel := context.WithTimeoutCause(r.Context(), s.lim.RunTimeout, errors.New("the what-if took longer than this server allows; use fewer runs"))
	defer cancel()
	ctx, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	if req.Client != "" {
		mine := &flight{stop}
		s.mu.Lock()
		if old := s.inFlight[req.Client]; old != nil {
			old.stop(errors.New("replaced by a newer what-if"))
		}
		s.inFlight[req.Client] = mine
		s.mu.Unlock()
		defer func() {
			s.mu.Lock()
			if s.inFlight[req.Client] == mine { // not a newer what-if's
				delete(s.inFlight, req.Client)
			}
			s.mu.Unlock()
		}()
	}

	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	send := func(event string, v any) error {
		data, err := json.Marshal(v)
		if err != nil {
			return err
		}
		// A client that stops reading must not hold the what-if.
		rc.SetWriteDeadline(time.Now().Add(10 * time.Second))
		if _, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", event, data); err != nil {
			return err
		}
		return rc.Flush()
	}

	select {
	case s.slots <- struct{}{}:
	default:
		send("queued", map[string]any{"message": "waiting for another what-if to finish"})
		select {
		case s.slots <- struct{}{}:
		case <-ctx.Done():
			send("problem", map[string]string{"error": context.Cause(ctx).Error()})
			return
		}
	}
	defer func() { <-s.slots }()

	var last *result
	var lastView *View
	job := Job{Variants: variants, Seed: b.Seed, Runs: b.Runs}
	_, err = s.engine.Compare(ctx, job, func(done int64, c *sim.Comparison) error {
		v, res, err := view(b, base, variants, c, done)
		if err != nil {
			return err
		}
		v.BaselineNote = note
		last, lastView = res, v
		if done == b.Runs {
			return nil // sent as "done" with its entry
		}
		return send("progress", v)
	})
	if err != nil {
		if cause := context.Cause(ctx); cause != nil {
			err = cause
		}
		send("problem", map[string]string{"error": err.Error()})
		return
	}
	lastView.Entry = s.hist.add(&s.mu, lastView, last, base)
	send("done", lastView)
}
