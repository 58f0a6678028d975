package serve

import (
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
)

// entry is one what-if in the history. Its numbers are kept for good; its
// aggregates (for charts and downloads) only for the newest few, so that
// memory stays flat however long a workshop runs.
type entry struct {
	ID       int           `json:"id"`
	Changes  string        `json:"changes"`
	Command  string        `json:"command"`
	State    State         `json:"state"`
	Scenario string        `json:"scenario"`
	Runs     int64         `json:"runs"`
	Seed     uint64        `json:"seed"`
	Headline string        `json:"headline"`
	Outcome  Numbers       `json:"outcome"`
	Baseline *BaselineView `json:"baseline,omitempty"`
	Detail   bool          `json:"detail"` // charts and files can still be downloaded

	result *result
	view   *View // the last picture, for showing it again
}

// history is the list of what-ifs, guarded by the server's mutex.
type history struct {
	entries  []*entry
	next     int
	baseline *entry
	max      int // entries kept
	keep     int // entries keeping their aggregates
}

// add records a finished what-if and returns its id.
func (h *history) add(mu *sync.Mutex, v *View, res *result, base *entry) int {
	mu.Lock()
	defer mu.Unlock()
	h.next++
	e := &entry{
		ID: h.next, Changes: v.Changes, Command: v.Command, State: res.built.State, Scenario: res.built.Scenario.Name,
		Runs: v.Runs, Seed: v.Seed, Headline: v.Headline, Outcome: v.Outcome, Baseline: v.Baseline, Detail: true, result: res, view: v,
	}
	h.entries = append(h.entries, e)
	if over := len(h.entries) - h.max; over > 0 {
		clear(h.entries[:over])
		h.entries = append(h.entries[:0:0], h.entries[over:]...)
	}
	for i := 0; i < len(h.entries)-h.keep; i++ {
		if old := h.entries[i]; old != h.baseline {
			old.result, old.view, old.Detail = nil, nil, false
		}
	}
	return e.ID
}

// find returns entry id, or nil.
func (h *history) find(id int) *entry {
	for _, e := range h.entries {
		if e.ID == id {
			return e
		}
	}
	return nil
}

// baselineFor returns the pinned baseline if b can be paired with it (the
// same scenario, horizon and countries), or a note saying why not.
func (s *Server) baselineFor(b *Built) (*entry, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	base := s.hist.baseline
	if base == nil || base.result == nil {
		return nil, ""
	}
	bs := base.result.built.Scenario
	note := fmt.Sprintf("not compared with baseline #%d: it is a what-if of %s", base.ID, bs.Name)
	if bs.Name != b.Scenario.Name || len(bs.Countries) != len(b.Scenario.Countries) {
		return nil, note
	}
	if bs.Horizon != b.Scenario.Horizon {
		return nil, fmt.Sprintf("not compared with baseline #%d: it simulates %d months, this what-if %d", base.ID, bs.Horizon, b.Scenario.Horizon)
	}
	for i := range bs.Countries {
		if bs.Countries[i].ID != b.Scenario.Countries[i].ID {
			return nil, note
		}
	}
	return base, ""
}

// listed is how many of the newest what-ifs the page's list shows; the
// history CSV has them all.
const listed = 200

// handleHistory lists the newest what-ifs, newest last.
func (s *Server) handleHistory(w http.ResponseWriter, r *http.Request) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := struct {
		Baseline int      `json:"baseline"`
		Total    int      `json:"total"`
		Entries  []*entry `json:"entries"`
	}{Total: len(s.hist.entries), Entries: append([]*entry{}, s.hist.entries[max(0, len(s.hist.entries)-listed):]...)}
	if s.hist.baseline != nil {
		out.Baseline = s.hist.baseline.ID
	}
	return out, nil
}

// handleEntry returns the picture of what-if {id}, to show it again.
func (s *Server) handleEntry(w http.ResponseWriter, r *http.Request) (any, error) {
	id, err := strconv.Atoi(r.PathValue("id"))
	if err != nil {
		return nil, badRequest("what-if number must be a whole number, got %q", r.PathValue("id"))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.hist.find(id)
	if e == nil {
		return nil, &httpError{http.StatusNotFound, fmt.Sprintf("no what-if %d in the history", id)}
	}
	if e.view == nil {
		return nil, &httpError{http.StatusNotFound, fmt.Sprintf("what-if %d is too old: its picture was dropped to save memory; run it again", id)}
	}
	return e.view, nil
}

// handleBaseline pins what-if {"entry": N} as the baseline; 0 unpins.
func (s *Server) handleBaseline(w http.ResponseWriter, r *http.Request) (any, error) {
	var req struct {
		Entry int `json:"entry"`
	}
	if err := decode(r, &req); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if req.Entry == 0 {
		s.hist.baseline = nil
		return map[string]int{"baseline": 0}, nil
	}
	e := s.hist.find(req.Entry)
	if e == nil {
		return nil, badRequest("no what-if %d in the history", req.Entry)
	}
	if e.result == nil {
		return nil, badRequest("what-if %d is too old to pin: its aggregates were dropped; run it again", req.Entry)
	}
	s.hist.baseline = e
	return map[string]int{"baseline": e.ID}, nil
}

// writeHistoryCSV writes the history, one row per what-if.
func writeHistoryCSV(w io.Writer, entries []*entry, baseline int) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"id", "scenario", "changes", "runs", "seed", "headline", "p_war", "p_war_lo", "p_war_hi", "war_months_mean", "cost_mean",
		"baseline", "p_war_diff", "p_war_diff_lo", "p_war_diff_hi", "war_months_diff", "cost_diff", "pinned", "command"})
	f := func(x float64) string { return strconv.FormatFloat(x, 'g', 6, 64) }
	for _, e := range entries {
		row := []string{strconv.Itoa(e.ID), e.Scenario, e.Changes, strconv.FormatInt(e.Runs, 10), strconv.FormatUint(e.Seed, 10), e.Headline,
			f(e.Outcome.PWar), f(e.Outcome.PWarCI95[0]), f(e.Outcome.PWarCI95[1]), f(e.Outcome.WarMonthsMean), f(e.Outcome.CostMean)}
		if b := e.Baseline; b != nil {
			row = append(row, strconv.Itoa(b.Entry), f(b.Vs.PWarDiff), f(b.Vs.PWarDiffCI95[0]), f(b.Vs.PWarDiffCI95[1]), f(b.Vs.WarMonthsDiff), f(b.Vs.CostDiff))
		} else {
			row = append(row, "", "", "", "", "", "")
		}
		row = append(row, fmt.Sprint(e.ID == baseline), e.Command)
		cw.Write(row)
	}
	cw.Flush()
	return cw.Error()
}
