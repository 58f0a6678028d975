package exercise

import (
	"fmt"

	"github.com/escalate-sim/escalate/sim"
)

// Mission states, as of the month after the clock: the first month the
// open round's decisions change.
const (
	Available = "available" // not launched
	Launched  = "launched"  // launched; acts from FirstMonth
	Acting    = "acting"    // acts in the month after the clock
	Over      = "ended"     // ended by a decision or its duration, or acts no more
	Refused   = "refused"   // launched, but the host refused consent: it never acts
)

// MissionStatus is where one of a team's missions stands.
type MissionStatus struct {
	State       string
	StaffNow    float64 // staff in force (0 unless launched)
	LaunchMonth *int
	FirstMonth  *int // first month it acts, once launched with consent
}

// path returns the trace of strategy id in the current snapshot. The
// caller holds e.mu.
func (e *Exercise) path(id string) (*sim.Path, error) {
	if p := e.cur.paths[id]; p != nil {
		return p, nil
	}
	sc, err := e.cur.file.Strategy(id)
	if err != nil {
		return nil, fmt.Errorf("strategy %s of the exercise's file: %w", id, err)
	}
	p, err := sim.Trace(sc, e.st.Seed, e.st.World, sim.StreamsV1)
	if err != nil {
		return nil, err
	}
	e.cur.paths[id] = p
	return p, nil
}

// missionStates returns where t's missions stand at the clock, in the
// scenario's order. The caller holds e.mu.
func (e *Exercise) missionStates(t *Team) []MissionStatus {
	ps := plans(t, e.base, e.st.Round)
	out := make([]MissionStatus, len(ps))
	var path *sim.Path
	next := e.st.Month + 1
	for i, p := range ps {
		ms := &out[i]
		if !p.launched {
			ms.State = Available
			continue
		}
		if path == nil {
			var err error
			if path, err = e.path(t.Strategy()); err != nil {
				// The snapshot's file parsed with this strategy:
				// a failure here is a bug, reported as a state.
				ms.State = Over
				continue
			}
		}
		lm := p.launchMonth
		ms.LaunchMonth = &lm
		ms.StaffNow = p.staff
		for _, c := range p.changes {
			if c.Month <= next {
				ms.StaffNow = c.Staff
			}
		}
		ip := interventionPath(path, e.base.Interventions[i].ID)
		switch {
		case p.endMonth > 0:
			ms.State = Over
		case ip == nil || !ip.Consented:
			ms.State = Refused
		case ip.From > ip.To:
			// Launched too late to act before the horizon.
			ms.State = Launched
			f := lm + e.base.Interventions[i].StartupDelay + 1
			ms.FirstMonth = &f
		case next < ip.From:
			ms.State = Launched
			f := ip.From
			ms.FirstMonth = &f
		case next <= ip.To:
			ms.State = Acting
			f := ip.From
			ms.FirstMonth = &f
		default:
			ms.State = Over
			f := ip.From
			ms.FirstMonth = &f
		}
		if ms.State == Over || ms.State == Refused {
			ms.StaffNow = 0
		}
	}
	return out
}

func interventionPath(p *sim.Path, id string) *sim.InterventionPath {
	for i := range p.Interventions {
		if p.Interventions[i].ID == id {
			return &p.Interventions[i]
		}
	}
	return nil
}

// Story is one world's months 0..Month, as a page draws it: nothing of
// later months.
type Story struct {
	Month     int            `json:"month"`
	Countries []CountryStory `json:"countries"`
	Missions  []MissionStory `json:"missions"`
}

// CountryStory is one country's months 0..Month.
type CountryStory struct {
	ID      string       `json:"id"`
	Name    string       `json:"name"`
	Tension []float64    `json:"tension"` // nil under Markov dynamics
	Stage   []string     `json:"stage"`
	Shocks  []float64    `json:"shocks"`
	Events  []StoryEvent `json:"events"`
}

// StoryEvent is a scheduled or injected event that happened.
type StoryEvent struct {
	Month    int     `json:"month"`
	Name     string  `json:"name"`
	Size     float64 `json:"size"`
	Injected bool    `json:"injected"`
}

// MissionStory is one mission's months 0..Month in a world: the missions
// its strategy keeps.
type MissionStory struct {
	ID          string    `json:"id"`
	Name        string    `json:"name"`
	Launched    bool      `json:"launched"`
	LaunchMonth *int      `json:"launch_month"`
	Consented   *bool     `json:"consented"` // known once launched
	From        *int      `json:"from"`      // acting months so far
	To          *int      `json:"to"`
	Staff       []float64 `json:"staff"`
}

// story cuts strategy id's trace at the clock. The caller holds e.mu.
func (e *Exercise) story(id string) (*Story, error) {
	p, err := e.path(id)
	if err != nil {
		return nil, err
	}
	return cutStory(p, e.base, e.st.Events, e.st.Month), nil
}

// cutStory is path p's months 0..m.
func cutStory(p *sim.Path, base *sim.Scenario, injected []Event, m int) *Story {
	s := &Story{Month: m, Countries: []CountryStory{}, Missions: []MissionStory{}}
	for c, cp := range p.Countries {
		bc := &base.Countries[c]
		cs := CountryStory{ID: cp.ID, Name: bc.Name, Stage: make([]string, m+1), Shocks: cp.Shock[: m+1 : m+1], Events: []StoryEvent{}}
		if cp.Tension != nil {
			cs.Tension = cp.Tension[: m+1 : m+1]
		}
		for k := 0; k <= m; k++ {
			cs.Stage[k] = cp.Stage[k].String()
		}
		for _, ev := range bc.Events {
			if ev.Month <= m {
				cs.Events = append(cs.Events, StoryEvent{Month: ev.Month, Name: ev.Name, Size: ev.Size})
			}
		}
		for _, ev := range injected {
			if ev.Country == cp.ID && ev.Month <= m {
				cs.Events = append(cs.Events, StoryEvent{Month: ev.Month, Name: ev.Name, Size: ev.Size, Injected: true})
			}
		}
		s.Countries = append(s.Countries, cs)
	}
	for _, ip := range p.Interventions {
		i := missionIndex(base, ip.ID)
		ms := MissionStory{ID: ip.ID, Staff: ip.Staff[: m+1 : m+1]}
		if i >= 0 {
			ms.Name = base.Interventions[i].Name
		}
		if ip.Launched && ip.LaunchMonth <= m {
			lm, c := ip.LaunchMonth, ip.Consented
			ms.Launched, ms.LaunchMonth, ms.Consented = true, &lm, &c
		}
		if ip.From <= ip.To && ip.From <= m {
			f, t := ip.From, min(ip.To, m)
			ms.From, ms.To = &f, &t
		}
		s.Missions = append(s.Missions, ms)
	}
	return s
}
