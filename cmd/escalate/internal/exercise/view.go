package exercise

import (
	"net/url"
	"strings"
	"time"

	"github.com/escalate-sim/escalate/sim"
)

// View is what every role sees of the exercise.
type View struct {
	Version     int64         `json:"version"`
	ID          string        `json:"id"`
	Role        string        `json:"role"`
	Scenario    string        `json:"scenario"`
	Title       string        `json:"title"`
	Description string        `json:"description"`
	Dynamics    string        `json:"dynamics"`
	Horizon     int           `json:"horizon"`
	Thresholds  *Thresholds   `json:"thresholds"` // nil under Markov dynamics
	Month       int           `json:"month"`
	Round       int           `json:"round"`
	RoundMonths int           `json:"round_months"`
	Status      string        `json:"status"`
	Deadline    *time.Time    `json:"deadline,omitempty"`
	Seed        uint64        `json:"seed"`
	DebriefRuns int64         `json:"debrief_runs"`
	Countries   []CountryName `json:"countries"`
	Events      []Event       `json:"events"` // injected
	Teams       []TeamView    `json:"teams"`
	Missions    []MissionView `json:"missions"`
}

// Thresholds are the tension thresholds of the stages.
type Thresholds struct {
	Escalation float64 `json:"escalation"`
	War        float64 `json:"war"`
}

// CountryName names a country.
type CountryName struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// TeamView is a team as others see it; the facilitator also sees its
// decisions.
type TeamView struct {
	Name        string     `json:"name"`
	Slug        string     `json:"slug"`
	Strategy    string     `json:"strategy"`
	Decided     bool       `json:"decided"`
	JoinedRound int        `json:"joined_round,omitempty"`
	Decisions   []Decision `json:"decisions,omitempty"`
}

// MissionView is a mission on the menu; a team's view adds where its own
// stands.
type MissionView struct {
	ID                string   `json:"id"`
	Name              string   `json:"name"`
	Kind              string   `json:"kind"`
	Countries         []string `json:"countries"`
	StartupDelay      int      `json:"startup_delay_months"`
	Duration          int      `json:"duration_months"` // 0: to the horizon
	Staff             float64  `json:"staff"`
	StaffMin          float64  `json:"staff_min"`
	StaffMax          float64  `json:"staff_max"`
	CostPerStaffMonth float64  `json:"cost_per_staff_month"`

	State       string   `json:"state,omitempty"`
	StaffNow    *float64 `json:"staff_now,omitempty"`
	LaunchMonth *int     `json:"launch_month,omitempty"`
	FirstMonth  *int     `json:"first_month,omitempty"`
}

// TeamState is a team's view: its decisions and its world's story.
type TeamState struct {
	View
	Team        string     `json:"team"`
	Strategy    string     `json:"strategy"`
	Decided     bool       `json:"decided"`
	MyDecisions []Decision `json:"my_decisions"`
	Story       *Story     `json:"story"`
}

// FacilitatorState is the facilitator's view: every world's story.
type FacilitatorState struct {
	View
	JoinCode       string       `json:"join_code"`
	JoinURL        string       `json:"join_url"`
	FacilitatorURL string       `json:"facilitator_url"`
	Stories        []WorldStory `json:"stories"`
}

// WorldStory is the played world under one strategy.
type WorldStory struct {
	Key   string `json:"key"` // the strategy
	Label string `json:"label"`
	Story *Story `json:"story"`
}

// Paths of the exercise's pages, to be prefixed with the server's origin.
func FacilitatorPath(id, token string) string {
	return "/exercise/" + id + "/facilitator?token=" + url.QueryEscape(token)
}

// JoinPath is the page where a team joins with the join code.
func JoinPath(id, code string) string {
	return "/exercise/" + id + "/join?code=" + url.QueryEscape(code)
}

// TeamPath is a team's page.
func TeamPath(id, token string) string {
	return "/exercise/" + id + "/team?token=" + url.QueryEscape(token)
}

// view is the common part. The caller holds e.mu.
func (e *Exercise) view(role string, full bool) View {
	st, b := &e.st, e.base
	v := View{
		Version: st.Changes, ID: st.ID, Role: role, Scenario: e.file.Name, Title: b.Title,
		Description: strings.TrimSpace(b.Description), Dynamics: b.Model.Dynamics.String(), Horizon: b.Horizon,
		Month: st.Month, Round: st.Round, RoundMonths: st.RoundMonths, Status: st.Status, Deadline: st.Deadline,
		Seed: st.Seed, DebriefRuns: st.DebriefRuns, Events: append([]Event{}, st.Events...),
		Countries: []CountryName{}, Teams: []TeamView{}, Missions: []MissionView{},
	}
	if b.Model.Dynamics == sim.Tension {
		v.Thresholds = &Thresholds{b.Model.EscalationThreshold, b.Model.WarThreshold}
	}
	for _, c := range b.Countries {
		v.Countries = append(v.Countries, CountryName{c.ID, c.Name})
	}
	for _, t := range st.Teams {
		tv := TeamView{Name: t.Name, Slug: t.Slug, Strategy: t.Strategy(), Decided: t.decision(st.Round) != nil && st.Status == Deciding}
		if full {
			tv.JoinedRound, tv.Decisions = t.JoinedRound, cloneDecisions(t.Decisions)
		}
		v.Teams = append(v.Teams, tv)
	}
	for _, iv := range b.Interventions {
		mv := MissionView{ID: iv.ID, Name: iv.Name, Kind: iv.Kind.String(), StartupDelay: iv.StartupDelay, Duration: iv.Duration,
			Staff: iv.Staff, StaffMax: sim.MaxStaff, CostPerStaffMonth: iv.CostPerStaffMonth, Countries: []string{}}
		for _, c := range iv.Countries {
			mv.Countries = append(mv.Countries, b.Countries[c].Name)
		}
		v.Missions = append(v.Missions, mv)
	}
	return v
}

func cloneDecisions(ds []Decision) []Decision {
	out := make([]Decision, len(ds))
	for i, d := range ds {
		d.Actions = cloneActions(d.Actions)
		out[i] = d
	}
	return out
}

// TeamView returns team's view of the exercise.
func (e *Exercise) TeamView(team int) (*TeamState, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if team < 0 || team >= len(e.st.Teams) {
		return nil, &Error{Forbidden, "no such team"}
	}
	t := &e.st.Teams[team]
	ts := &TeamState{View: e.view("team", false), Team: t.Name, Strategy: t.Strategy(),
		Decided: t.decision(e.st.Round) != nil && e.st.Status == Deciding, MyDecisions: cloneDecisions(t.Decisions)}
	for i, ms := range e.missionStates(t) {
		mv := &ts.Missions[i]
		mv.State, mv.LaunchMonth, mv.FirstMonth = ms.State, ms.LaunchMonth, ms.FirstMonth
		s := ms.StaffNow
		mv.StaffNow = &s
	}
	var err error
	if ts.Story, err = e.story(t.Strategy()); err != nil {
		return nil, err
	}
	return ts, nil
}

// FacilitatorView returns the facilitator's view of the exercise.
func (e *Exercise) FacilitatorView() (*FacilitatorState, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	fs := &FacilitatorState{View: e.view("facilitator", true), JoinCode: e.st.JoinCode,
		JoinURL: JoinPath(e.st.ID, e.st.JoinCode), FacilitatorURL: FacilitatorPath(e.st.ID, e.st.FacilitatorToken)}
	for _, id := range Strategies(&e.st) {
		s, err := e.story(id)
		if err != nil {
			return nil, err
		}
		label := id
		for _, fs := range e.cur.file.Strategies {
			if fs.ID == id && fs.Name != "" {
				label = fs.Name
			}
		}
		fs.Stories = append(fs.Stories, WorldStory{Key: id, Label: label, Story: s})
	}
	return fs, nil
}
