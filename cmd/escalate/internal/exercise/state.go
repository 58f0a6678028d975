package exercise

import (
	"fmt"
	"slices"
	"time"
)

// Limits of an exercise.
const (
	MaxTeams           = 20     // teams in one exercise
	MaxTeamName        = 24     // characters of a team's name
	MaxEventName       = 40     // characters of an injected event's name
	DefaultDebriefRuns = 10000  // runs of the debrief's comparison
	MaxDebriefRuns     = 200000 // a debrief of 22 strategies stays within a minute
	MaxEvents          = 100    // injected events
)

// Statuses of an exercise.
const (
	Deciding = "deciding" // teams decide the round's actions
	Ended    = "ended"    // the clock reached the horizon, or the facilitator ended it
)

// Actions a decision may take on a mission.
const (
	Launch = "launch" // start it now with a staff (default: the file's)
	Resize = "resize" // change its staff from the next month
	End    = "end"    // stop it from the next month
)

// State is an exercise as saved: everything needed to resume it, and
// nothing computed. Its JSON is the exercise file.
type State struct {
	// Format and Version identify the file: "escalate-exercise", 1.
	Format  string `json:"format"`
	Version int    `json:"version"`
	ID      string `json:"id"`
	// Scenario is the scenario played, with its full text, so that the
	// file replays even if a shipped scenario changes later.
	Scenario ScenarioSource `json:"scenario"`
	// RoundMonths is the length of a round; World the run index played;
	// Seed and DebriefRuns those of the debrief's comparison.
	RoundMonths int    `json:"round_months"`
	World       int64  `json:"world"`
	Seed        uint64 `json:"seed"`
	DebriefRuns int64  `json:"debrief_runs"`
	// Month is the clock (months 0..Month are played), Round the round
	// being decided (1-based), Status Deciding or Ended.
	Month    int        `json:"month"`
	Round    int        `json:"round"`
	Status   string     `json:"status"`
	Deadline *time.Time `json:"deadline,omitempty"`
	// The facilitator's token and the code teams join with.
	FacilitatorToken string `json:"facilitator_token"`
	JoinCode         string `json:"join_code"`
	Teams            []Team `json:"teams"`
	// Events are the injected events, in the order injected.
	Events []Event `json:"events"`
	// Changes counts the changes made: the version a long poll waits on.
	Changes int64 `json:"changes"`
}

// ScenarioSource is a scenario: a shipped name, or "" for a pasted file,
// and its text.
type ScenarioSource struct {
	Name   string `json:"name,omitempty"`
	Source string `json:"source"`
}

// Team is one team: its name, the slug its strategy is named after
// (team_SLUG), its token and its decisions, one per round it decided, in
// round order; the current round's, while it is open, is the last.
type Team struct {
	Name        string     `json:"name"`
	Slug        string     `json:"slug"`
	Token       string     `json:"token"`
	JoinedRound int        `json:"joined_round"`
	Decisions   []Decision `json:"decisions"`
}

// Strategy is the name of the team's strategy in the exported file.
func (t *Team) Strategy() string { return "team_" + t.Slug }

// decision returns the team's decision for round r, or nil.
func (t *Team) decision(r int) *Decision {
	for i := range t.Decisions {
		if t.Decisions[i].Round == r {
			return &t.Decisions[i]
		}
	}
	return nil
}

// Decision is what a team decided in one round, taken at month Month (the
// clock of that round): its actions apply from that month.
type Decision struct {
	Round   int      `json:"round"`
	Month   int      `json:"month"`
	Actions []Action `json:"actions"`
}

// Action is one decision about one mission. Staff is the staff of a
// launch (nil: the file's) or of a resize; an end has none.
type Action struct {
	Mission string   `json:"mission"`
	Action  string   `json:"action"`
	Staff   *float64 `json:"staff,omitempty"`
}

// Event is an injected event: a change of tension in one country in one
// month, for every team and for the debrief.
type Event struct {
	Country string  `json:"country"`
	Month   int     `json:"month"`
	Size    float64 `json:"size"`
	Name    string  `json:"name"`
}

// clone returns a deep copy of s, which a change edits before it is
// saved and made visible.
func (s *State) clone() State {
	c := *s
	if s.Deadline != nil {
		d := *s.Deadline
		c.Deadline = &d
	}
	c.Events = slices.Clone(s.Events)
	c.Teams = make([]Team, len(s.Teams))
	for i, t := range s.Teams {
		t.Decisions = slices.Clone(t.Decisions)
		for j, d := range t.Decisions {
			t.Decisions[j].Actions = cloneActions(d.Actions)
		}
		c.Teams[i] = t
	}
	return c
}

func cloneActions(as []Action) []Action {
	out := make([]Action, len(as))
	for i, a := range as {
		if a.Staff != nil {
			s := *a.Staff
			a.Staff = &s
		}
		out[i] = a
	}
	return out
}

// roundMonth is the clock at the start of round r: months before it are
// played when round r is decided.
func (s *State) roundMonth(r, horizon int) int {
	return min((r-1)*s.RoundMonths, horizon)
}

// Kind classifies an Error: what the caller did wrong.
type Kind uint8

const (
	// Invalid input: a malformed or out-of-range value.
	Invalid Kind = iota + 1
	// Conflict with the exercise's state: a closed round, an ended
	// exercise, a name taken.
	Conflict
	// Forbidden: a wrong token or join code.
	Forbidden
)

// Error is a refused request, with a message for the person who made it.
// A refused request changes nothing.
type Error struct {
	Kind Kind
	Msg  string
}

func (e *Error) Error() string { return e.Msg }

func invalidf(format string, args ...any) error {
	return &Error{Invalid, fmt.Sprintf(format, args...)}
}

func conflictf(format string, args ...any) error {
	return &Error{Conflict, fmt.Sprintf(format, args...)}
}
