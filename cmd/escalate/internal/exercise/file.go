package exercise

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/escalate-sim/escalate/internal/atomicfs"
	"github.com/escalate-sim/escalate/sim"
)

// The exercise file's format and the version this package reads and
// writes.
const (
	FileFormat  = "escalate-exercise"
	FileVersion = 1
	// MaxFileSize bounds an exercise file: a scenario (at most 1 MiB) and
	// twenty teams' decisions.
	MaxFileSize = 4 << 20
)

func marshalState(st *State) []byte {
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		panic(err) // a State has no values JSON cannot encode
	}
	return append(data, '\n')
}

// Marshal returns the exercise file of the current state.
func (e *Exercise) Marshal() []byte {
	e.mu.Lock()
	defer e.mu.Unlock()
	return marshalState(&e.st)
}

// Dir is a Store that keeps each exercise as DIR/exercise-ID.json.
type Dir string

// Path is the file exercise id is saved in.
func (d Dir) Path(id string) string { return filepath.Join(string(d), "exercise-"+id+".json") }

// Save writes the file atomically (a temporary file renamed over it).
func (d Dir) Save(id string, data []byte) error {
	if err := os.MkdirAll(string(d), 0o755); err != nil {
		return fmt.Errorf("saving exercise %s: %w", id, err)
	}
	return atomicfs.WriteFile(d.Path(id), func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// ReadFile reads and checks an exercise file.
func ReadFile(path string) (State, error) {
	f, err := os.Open(path)
	if err != nil {
		return State{}, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && !fi.Mode().IsRegular() {
		return State{}, fmt.Errorf("%s: not a regular file", path)
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return State{}, fmt.Errorf("%s: %w", path, err)
	}
	return Decode(path, data)
}

// Decode reads an exercise file named name (for messages) and checks
// every field: a file that a person or a program edited by hand resumes
// only if it is an exercise this package could have written. Errors name
// the file, and the line and field at fault.
func Decode(name string, data []byte) (State, error) {
	var st State
	if len(data) > MaxFileSize {
		return st, fmt.Errorf("%s: file is larger than %d bytes: not an exercise file", name, MaxFileSize)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&st); err != nil {
		return st, fmt.Errorf("%s: %s", name, jsonMessage(data, err))
	}
	if dec.More() {
		return st, fmt.Errorf("%s: more than one JSON value", name)
	}
	if err := check(&st); err != nil {
		return State{}, fmt.Errorf("%s: %w", name, err)
	}
	return st, nil
}

// jsonMessage places a JSON decoding error at its line.
func jsonMessage(data []byte, err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("line %d: %v", lineOf(data, se.Offset), se)
	case errors.As(err, &te):
		return fmt.Sprintf("line %d: %s: want %s, got %s", lineOf(data, te.Offset), te.Field, te.Type, te.Value)
	case errors.Is(err, io.EOF):
		return "empty file: not an exercise file"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "the file ends in the middle of a value: it was cut short"
	}
	return err.Error()
}

func lineOf(data []byte, off int64) int {
	off = min(max(off, 0), int64(len(data)))
	return 1 + bytes.Count(data[:off], []byte("\n"))
}

var (
	hexToken = regexp.MustCompile(`^[0-9a-f]{32}$`)
	// A join code: 8 characters of joinAlphabet, or 32 hex digits as the
	// first exercise files had.
	joinText = regexp.MustCompile(`^([0-9abcdefghjkmnpqrstvwxyz]{8}|[0-9a-f]{32})$`)
	idText   = regexp.MustCompile(`^[0-9a-f]{8}$`)
	slugText = regexp.MustCompile(`^[a-z0-9]+(_[a-z0-9]+)*$`)
	keyText  = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)
)

// check checks a decoded state field by field.
func check(st *State) error {
	bad := func(field, format string, args ...any) error {
		return fmt.Errorf("%s: %s", field, fmt.Sprintf(format, args...))
	}
	if st.Format != FileFormat {
		return bad("format", "want %q, got %q: not an exercise file", FileFormat, st.Format)
	}
	if st.Version != FileVersion {
		return bad("version", "this escalate reads version %d of the exercise file, got %d", FileVersion, st.Version)
	}
	if !idText.MatchString(st.ID) {
		return bad("id", "want 8 lower-case hex digits, got %q", st.ID)
	}
	f, base, err := parseScenario(st.Scenario)
	if err != nil {
		return bad("scenario.source", "%v", err)
	}
	h := base.Horizon
	if st.DebriefRuns < 1 || st.DebriefRuns > MaxDebriefRuns {
		return bad("debrief_runs", "must be between 1 and %d, got %d", MaxDebriefRuns, st.DebriefRuns)
	}
	if st.World < 0 || st.World >= st.DebriefRuns {
		return bad("world", "must be a run index from 0 to %d (debrief_runs - 1), got %d", st.DebriefRuns-1, st.World)
	}
	if st.RoundMonths < 1 || st.RoundMonths > h {
		return bad("round_months", "must be between 1 and the scenario's horizon, %d, got %d", h, st.RoundMonths)
	}
	// The last round starts before the horizon; after it closes, the
	// round is one more.
	if maxRound := (h+st.RoundMonths-1)/st.RoundMonths + 1; st.Round < 1 || st.Round > maxRound {
		return bad("round", "must be between 1 and %d, got %d", maxRound, st.Round)
	}
	if want := st.roundMonth(st.Round, h); st.Month != want {
		return bad("month", "round %d of %d months starts at month %d, got %d", st.Round, st.RoundMonths, want, st.Month)
	}
	switch st.Status {
	case Deciding:
		if st.Month >= h {
			return bad("status", "the clock is at the horizon (month %d): the status must be %q", h, Ended)
		}
	case Ended:
	default:
		return bad("status", "want %q or %q, got %q", Deciding, Ended, st.Status)
	}
	if !hexToken.MatchString(st.FacilitatorToken) {
		return bad("facilitator_token", "want 32 lower-case hex digits")
	}
	if !joinText.MatchString(st.JoinCode) {
		return bad("join_code", "want 8 characters of 0-9 and a-z without i, l, o and u (or 32 lower-case hex digits)")
	}
	if st.Changes < 0 {
		return bad("changes", "must not be negative, got %d", st.Changes)
	}
	if len(st.Teams) > MaxTeams {
		return bad("teams", "at most %d teams, got %d", MaxTeams, len(st.Teams))
	}
	tokens := map[string]bool{st.FacilitatorToken: true}
	names, slugs := map[string]bool{}, map[string]bool{}
	for i := range st.Teams {
		t := &st.Teams[i]
		p := fmt.Sprintf("teams[%d]", i)
		if err := checkTeamName(t.Name); err != nil || strings.TrimSpace(t.Name) != t.Name {
			return bad(p+".name", "a team's name must be 1 to %d printable characters, without spaces around, got %q", MaxTeamName, t.Name)
		}
		if names[strings.ToLower(t.Name)] {
			return bad(p+".name", "two teams are named %q", t.Name)
		}
		names[strings.ToLower(t.Name)] = true
		if !slugText.MatchString(t.Slug) || slugs[t.Slug] {
			return bad(p+".slug", "want lower-case letters and digits joined by _, unique, got %q", t.Slug)
		}
		slugs[t.Slug] = true
		for _, fs := range f.Strategies {
			if fs.ID == t.Strategy() {
				return bad(p+".slug", "the scenario already has a strategy %s", fs.ID)
			}
		}
		if !hexToken.MatchString(t.Token) || tokens[t.Token] {
			return bad(p+".token", "want 32 lower-case hex digits, different from every other token")
		}
		tokens[t.Token] = true
		if t.JoinedRound < 1 || t.JoinedRound > st.Round {
			return bad(p+".joined_round", "must be between 1 and the round, %d, got %d", st.Round, t.JoinedRound)
		}
		if err := checkDecisions(st, t, base, h, p); err != nil {
			return err
		}
	}
	if len(st.Events) > MaxEvents {
		return bad("events", "at most %d injected events, got %d", MaxEvents, len(st.Events))
	}
	for i, ev := range st.Events {
		p := fmt.Sprintf("events[%d]", i)
		c := -1
		for k, cc := range base.Countries {
			if cc.ID == ev.Country {
				c = k
			}
		}
		if c < 0 {
			return bad(p+".country", "the scenario has no country %q", ev.Country)
		}
		if ev.Month < 1 || ev.Month > h {
			return bad(p+".month", "must be between 1 and %d, got %d", h, ev.Month)
		}
		if math.IsNaN(ev.Size) || ev.Size < -1 || ev.Size > 1 {
			return bad(p+".size", "must be between -1 and 1, got %g", ev.Size)
		}
		if !keyText.MatchString(ev.Name) || utf8.RuneCountInString(ev.Name) > MaxEventName {
			return bad(p+".name", "want ASCII letters, digits, - and _, at most %d, got %q", MaxEventName, ev.Name)
		}
		for _, o := range base.Countries[c].Events {
			if o.Name == ev.Name {
				return bad(p+".name", "the scenario already has an event %s in %s", ev.Name, ev.Country)
			}
		}
		for _, o := range st.Events[:i] {
			if o.Country == ev.Country && o.Name == ev.Name {
				return bad(p+".name", "two injected events are named %s in %s", ev.Name, ev.Country)
			}
		}
	}
	// The file the state exports must parse, as every state made here does.
	e := &Exercise{file: f, base: base}
	if _, err := e.derive(st); err != nil {
		return err
	}
	return nil
}

// checkDecisions checks a team's decisions: one per round at most, in
// round order, each at its round's month, and actions that make sense in
// order (a mission launched once, before it is resized or ended, and
// nothing after its end).
func checkDecisions(st *State, t *Team, base *sim.Scenario, h int, p string) error {
	bad := func(field, format string, args ...any) error {
		return fmt.Errorf("%s: %s", field, fmt.Sprintf(format, args...))
	}
	launched, ended := map[string]bool{}, map[string]bool{}
	last := 0
	for j, d := range t.Decisions {
		dp := fmt.Sprintf("%s.decisions[%d]", p, j)
		open := st.Round
		if st.Status == Ended {
			open-- // no decision is open
		}
		if d.Round <= last || d.Round < t.JoinedRound || d.Round > open {
			return bad(dp+".round", "want rounds in increasing order from the team's first, %d, to %d, got %d", t.JoinedRound, open, d.Round)
		}
		last = d.Round
		if want := st.roundMonth(d.Round, h); d.Month != want {
			return bad(dp+".month", "round %d is decided at month %d, got %d", d.Round, want, d.Month)
		}
		if len(d.Actions) > len(base.Interventions) {
			return bad(dp+".actions", "at most one action per mission (%d), got %d", len(base.Interventions), len(d.Actions))
		}
		seen := map[string]bool{}
		for k, a := range d.Actions {
			ap := fmt.Sprintf("%s.actions[%d]", dp, k)
			if missionIndex(base, a.Mission) < 0 {
				return bad(ap+".mission", "unknown mission %q; the missions are %s", a.Mission, missionIDs(base))
			}
			if seen[a.Mission] {
				return bad(ap+".mission", "a second action on mission %s in one decision", a.Mission)
			}
			seen[a.Mission] = true
			if a.Staff != nil && (math.IsNaN(*a.Staff) || *a.Staff < 0 || *a.Staff > sim.MaxStaff) {
				return bad(ap+".staff", "must be between 0 and %d, got %g", sim.MaxStaff, *a.Staff)
			}
			switch a.Action {
			case Launch:
				if launched[a.Mission] {
					return bad(ap+".action", "mission %s is launched a second time", a.Mission)
				}
				launched[a.Mission] = true
			case Resize, End:
				if !launched[a.Mission] || ended[a.Mission] {
					return bad(ap+".action", "%s of mission %s, which is not launched or has ended", a.Action, a.Mission)
				}
				if a.Action == Resize && a.Staff == nil {
					return bad(ap+".staff", "a resize needs a staff")
				}
				if a.Action == End {
					if a.Staff != nil {
						return bad(ap+".staff", "an end takes no staff")
					}
					ended[a.Mission] = true
				}
			default:
				return bad(ap+".action", "want launch, resize or end, got %q", a.Action)
			}
		}
	}
	return nil
}

// Resume starts an exercise from a state (see Decode), checked again,
// and saves it in store (nil: kept in memory only).
func Resume(st State, store Store) (*Exercise, error) {
	if err := check(&st); err != nil {
		return nil, err
	}
	f, base, err := parseScenario(st.Scenario)
	if err != nil {
		return nil, err
	}
	st = st.clone()
	if st.Teams == nil {
		st.Teams = []Team{}
	}
	if st.Events == nil {
		st.Events = []Event{}
	}
	return start(st, f, base, store)
}

// Fresh returns st for a new group: the same scenario, world, seed, rounds
// and injected events, with a new id and new tokens, no teams, and the
// clock at month 0.
func Fresh(st State) State {
	st = st.clone()
	st.ID, st.FacilitatorToken, st.JoinCode = randomHex(4), randomHex(16), randomJoinCode()
	st.Teams, st.Month, st.Round, st.Status, st.Deadline, st.Changes = []Team{}, 0, 1, Deciding, nil, 0
	return st
}
