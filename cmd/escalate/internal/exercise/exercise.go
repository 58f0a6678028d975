package exercise

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/escalate-sim/escalate/scenarios"
	"github.com/escalate-sim/escalate/sim"
)

// Config is what the facilitator chooses when creating an exercise.
type Config struct {
	// Scenario is a shipped scenario's name; Source, instead, a scenario
	// file's text.
	Scenario string
	Source   string
	// RoundMonths is the length of a round, 1..horizon.
	RoundMonths int
	// World is the run index played, in [0, DebriefRuns); -1 draws it at
	// random.
	World int64
	// Seed is the seed of every run (nil: the scenario's).
	Seed *uint64
	// DebriefRuns is the runs of the debrief (0: DefaultDebriefRuns).
	DebriefRuns int64
}

// Store keeps saved exercises. Save must replace the exercise's file
// atomically: a reader sees the old state or the new one, whole.
type Store interface {
	Save(id string, data []byte) error
}

// Exercise is a running exercise. Its methods are safe for concurrent use;
// a change is saved (when it has a Store) before anyone can see it, and a
// refused or unsaved change leaves the exercise as it was.
type Exercise struct {
	store Store

	mu      sync.Mutex
	st      State
	file    *scenarios.File // the scenario as played
	base    *sim.Scenario
	cur     *snapshot     // derived from st
	changed chan struct{} // closed on every change
	debrief *debriefCache

	debriefMu sync.Mutex // one debrief computed at a time
}

// snapshot is what one version of the state derives: the exported file,
// parsed, and the strategies' traces, made when first asked for.
type snapshot struct {
	export []byte
	file   *scenarios.File
	paths  map[string]*sim.Path
}

// New creates an exercise, saved in store (nil: kept in memory only).
func New(cfg Config, store Store) (*Exercise, error) {
	var src ScenarioSource
	switch {
	case cfg.Scenario != "" && cfg.Source != "":
		return nil, invalidf("give either a shipped scenario or a scenario file's text, not both")
	case cfg.Source != "":
		src.Source = cfg.Source
	case cfg.Scenario != "":
		data, err := scenarios.ShippedSource(cfg.Scenario)
		if err != nil {
			return nil, invalidf("%v", err)
		}
		src = ScenarioSource{Name: cfg.Scenario, Source: string(data)}
	default:
		return nil, invalidf("choose a shipped scenario or paste a scenario file")
	}
	f, base, err := parseScenario(src)
	if err != nil {
		return nil, invalidf("%v", err)
	}
	st := State{
		Format: FileFormat, Version: FileVersion, ID: randomHex(4),
		Scenario: src, RoundMonths: cfg.RoundMonths, World: cfg.World, Seed: base.Seed, DebriefRuns: cfg.DebriefRuns,
		Round: 1, Status: Deciding, FacilitatorToken: randomHex(16), JoinCode: randomJoinCode(),
		Teams: []Team{}, Events: []Event{},
	}
	if cfg.Seed != nil {
		st.Seed = *cfg.Seed
	}
	if st.DebriefRuns == 0 {
		st.DebriefRuns = DefaultDebriefRuns
	}
	if st.DebriefRuns < 1 || st.DebriefRuns > MaxDebriefRuns {
		return nil, invalidf("debrief_runs must be between 1 and %d, got %d", MaxDebriefRuns, st.DebriefRuns)
	}
	if st.RoundMonths < 1 || st.RoundMonths > base.Horizon {
		return nil, invalidf("round_months must be between 1 and the scenario's horizon, %d, got %d", base.Horizon, st.RoundMonths)
	}
	switch {
	case st.World == -1:
		st.World = randomBelow(st.DebriefRuns)
	case st.World < 0 || st.World >= st.DebriefRuns:
		return nil, invalidf("world must be a run index from 0 to %d (debrief_runs - 1), or -1 to draw one, got %d", st.DebriefRuns-1, st.World)
	}
	return start(st, f, base, store)
}

// start makes an exercise of a checked state and saves it.
func start(st State, f *scenarios.File, base *sim.Scenario, store Store) (*Exercise, error) {
	e := &Exercise{store: store, file: f, base: base, changed: make(chan struct{})}
	snap, err := e.derive(&st)
	if err != nil {
		return nil, err
	}
	if store != nil {
		if err := store.Save(st.ID, marshalState(&st)); err != nil {
			return nil, err
		}
	}
	e.st, e.cur = st, snap
	return e, nil
}

// parseScenario parses a scenario's text.
func parseScenario(src ScenarioSource) (*scenarios.File, *sim.Scenario, error) {
	name := src.Name
	if name == "" {
		name = "pasted.toml"
	}
	f, err := scenarios.Parse(name, []byte(src.Source))
	if err != nil {
		return nil, nil, err
	}
	base, err := f.Scenario()
	if err != nil {
		return nil, nil, err
	}
	if len(base.Interventions) == 0 {
		return nil, nil, fmt.Errorf("%s has no [intervention.ID] tables: an exercise needs missions to decide about", name)
	}
	return f, base, nil
}

// derive makes the snapshot of st: its exported file, which must parse
// (a state whose export does not is refused, whatever changed it).
func (e *Exercise) derive(st *State) (*snapshot, error) {
	data := export(st, e.file, e.base)
	f, err := scenarios.Parse(ExportName(st.ID), data)
	if err != nil {
		return nil, invalidf("the exercise's scenario file would not be valid: %v", err)
	}
	return &snapshot{export: data, file: f, paths: map[string]*sim.Path{}}, nil
}

// change applies fn to a copy of the state; if fn succeeds and the result
// saves, it becomes the state and every waiter wakes.
func (e *Exercise) change(fn func(st *State) error) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	next := e.st.clone()
	if err := fn(&next); err != nil {
		return err
	}
	next.Changes++
	snap, err := e.derive(&next)
	if err != nil {
		return err
	}
	if e.store != nil {
		if err := e.store.Save(next.ID, marshalState(&next)); err != nil {
			return fmt.Errorf("the change was not made: %w", err)
		}
	}
	e.st, e.cur = next, snap
	close(e.changed)
	e.changed = make(chan struct{})
	return nil
}

// State returns a copy of the state as saved.
func (e *Exercise) State() State {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.st.clone()
}

// ID returns the exercise's id.
func (e *Exercise) ID() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.st.ID
}

// Version returns the number of changes so far.
func (e *Exercise) Version() int64 {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.st.Changes
}

// Wait returns when the version is newer than since, or when ctx ends,
// with the version then.
func (e *Exercise) Wait(ctx context.Context, since int64) int64 {
	for {
		e.mu.Lock()
		v, ch := e.st.Changes, e.changed
		e.mu.Unlock()
		if v > since {
			return v
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return v
		}
	}
}

// Role is who a token belongs to.
type Role uint8

const (
	Nobody Role = iota
	Facilitator
	TeamRole
)

// Who returns the role of token and, for a team, its index. Every token
// is compared in constant time, and all of them, so that the time taken
// says nothing about which one nearly matched.
func (e *Exercise) Who(token string) (Role, int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	role, team := Nobody, -1
	if tokenEqual(token, e.st.FacilitatorToken) {
		role = Facilitator
	}
	for i := range e.st.Teams {
		if tokenEqual(token, e.st.Teams[i].Token) {
			role, team = TeamRole, i
		}
	}
	return role, team
}

// JoinCodeOK reports whether code is the exercise's join code.
func (e *Exercise) JoinCodeOK(code string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return tokenEqual(code, e.st.JoinCode)
}

func tokenEqual(given, want string) bool {
	return want != "" && subtle.ConstantTimeCompare([]byte(given), []byte(want)) == 1
}

// Join adds a team named name and returns it, with its token.
func (e *Exercise) Join(name string) (Team, error) {
	name = strings.TrimSpace(name)
	if err := checkTeamName(name); err != nil {
		return Team{}, err
	}
	var out Team
	err := e.change(func(st *State) error {
		if st.Status == Ended {
			return conflictf("the exercise has ended: no team can join it now")
		}
		if len(st.Teams) >= MaxTeams {
			return conflictf("the exercise already has %d teams, the most it takes", MaxTeams)
		}
		for _, t := range st.Teams {
			if strings.EqualFold(t.Name, name) {
				return conflictf("a team named %q has already joined: choose another name (if it is yours, open the team link you were given)", t.Name)
			}
		}
		t := Team{Name: name, Slug: uniqueSlug(st, e.file, slugOf(name, len(st.Teams)+1)), Token: randomHex(16),
			JoinedRound: st.Round, Decisions: []Decision{}}
		st.Teams = append(st.Teams, t)
		out = t
		return nil
	})
	return out, err
}

func checkTeamName(name string) error {
	n := utf8.RuneCountInString(name)
	if !utf8.ValidString(name) || n < 1 || n > MaxTeamName {
		return invalidf("a team's name must be 1 to %d characters, got %d", MaxTeamName, n)
	}
	for _, r := range name {
		if !unicode.IsPrint(r) {
			return invalidf("a team's name must be printable characters, got %q", name)
		}
	}
	return nil
}

// slugOf makes a strategy name's tail of a team's name: lower-case ASCII
// letters and digits, other runs of characters as one "_".
func slugOf(name string, n int) string {
	var b strings.Builder
	under := false
	for _, r := range strings.ToLower(name) {
		if r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			if under && b.Len() > 0 {
				b.WriteByte('_')
			}
			b.WriteRune(r)
			under = false
		} else {
			under = true
		}
	}
	if b.Len() == 0 {
		return fmt.Sprintf("%d", n)
	}
	return b.String()
}

// uniqueSlug returns slug, or slug_2, slug_3...: one no other team has and
// that names no strategy of the scenario.
func uniqueSlug(st *State, f *scenarios.File, slug string) string {
	taken := func(s string) bool {
		for _, t := range st.Teams {
			if t.Slug == s {
				return true
			}
		}
		for _, fs := range f.Strategies {
			if fs.ID == "team_"+s {
				return true
			}
		}
		return false
	}
	out := slug
	for i := 2; taken(out); i++ {
		out = fmt.Sprintf("%s_%d", slug, i)
	}
	return out
}

// Decide records team's decision for round: it replaces an earlier one
// of the same round. The round must be the one open.
func (e *Exercise) Decide(team, round int, actions []Action) error {
	return e.change(func(st *State) error {
		if team < 0 || team >= len(st.Teams) {
			return &Error{Forbidden, "no such team"}
		}
		if err := checkRound(st, e.base.Horizon, round); err != nil {
			return err
		}
		t := &st.Teams[team]
		if err := e.checkActions(t, actions); err != nil {
			return err
		}
		d := Decision{Round: round, Month: st.Month, Actions: cloneActions(actions)}
		if old := t.decision(round); old != nil {
			*old = d
		} else {
			t.Decisions = append(t.Decisions, d)
		}
		return nil
	})
}

// checkRound says why round is not the round open for decisions.
func checkRound(st *State, horizon, round int) error {
	switch {
	case st.Status == Ended:
		return conflictf("the exercise has ended: no more decisions")
	case round < st.Round && round >= 1:
		return conflictf("round %d closed at month %d; decisions now apply from month %d (round %d)",
			round, st.roundMonth(round+1, horizon), st.Month+1, st.Round)
	case round != st.Round:
		return conflictf("there is no round %d to decide: the exercise is in round %d (deciding for months %d to %d)",
			round, st.Round, st.Month+1, min(st.Month+st.RoundMonths, horizon))
	}
	return nil
}

// checkActions checks a decision against the missions' states for team t
// in the month the clock shows.
func (e *Exercise) checkActions(t *Team, actions []Action) error {
	if len(actions) > len(e.base.Interventions) {
		return invalidf("%d actions, but the scenario has %d missions and a decision takes one action per mission", len(actions), len(e.base.Interventions))
	}
	states := e.missionStates(t)
	seen := map[string]bool{}
	for k, a := range actions {
		i := missionIndex(e.base, a.Mission)
		if i < 0 {
			return invalidf("action %d: unknown mission %q; the missions are %s", k+1, a.Mission, missionIDs(e.base))
		}
		if seen[a.Mission] {
			return invalidf("action %d: a second action on mission %s: a decision takes one action per mission", k+1, a.Mission)
		}
		seen[a.Mission] = true
		ms := states[i]
		switch a.Action {
		case Launch:
			if a.Staff != nil {
				if err := checkStaff(k, a); err != nil {
					return err
				}
			}
			if ms.State != Available {
				return invalidf("action %d: mission %s was launched in month %d: it can be resized or ended, not launched again", k+1, a.Mission, *ms.LaunchMonth)
			}
		case Resize, End:
			if a.Action == Resize {
				if a.Staff == nil {
					return invalidf("action %d: resize %s: give its new staff", k+1, a.Mission)
				}
				if err := checkStaff(k, a); err != nil {
					return err
				}
			} else if a.Staff != nil {
				return invalidf("action %d: end %s takes no staff", k+1, a.Mission)
			}
			switch ms.State {
			case Available:
				return invalidf("action %d: mission %s is not launched: launch it first", k+1, a.Mission)
			case Refused:
				return invalidf("action %d: the host refused mission %s: it never acts, so it cannot be resized or ended", k+1, a.Mission)
			case Over:
				return invalidf("action %d: mission %s has ended", k+1, a.Mission)
			}
		default:
			return invalidf("action %d: unknown action %q for mission %s (want launch, resize or end)", k+1, a.Action, a.Mission)
		}
	}
	return nil
}

func checkStaff(k int, a Action) error {
	s := *a.Staff
	if math.IsNaN(s) || math.IsInf(s, 0) || s < 0 || s > sim.MaxStaff {
		return invalidf("action %d: %s %s: staff must be a number from 0 to %d, got %g", k+1, a.Action, a.Mission, sim.MaxStaff, s)
	}
	return nil
}

func missionIDs(sc *sim.Scenario) string {
	ids := make([]string, len(sc.Interventions))
	for i, iv := range sc.Interventions {
		ids[i] = iv.ID
	}
	return strings.Join(ids, ", ")
}

// Advance closes round: every team's decision of it applies from the
// current month, and the clock moves on by a round (to the horizon at
// most, where the exercise ends).
func (e *Exercise) Advance(round int) error {
	return e.change(func(st *State) error {
		if err := checkRound(st, e.base.Horizon, round); err != nil {
			if st.Status == Ended {
				return conflictf("the exercise has ended")
			}
			return conflictf("round %d is not the open round: the exercise is in round %d (reload to see it)", round, st.Round)
		}
		st.Month = min(st.Month+st.RoundMonths, e.base.Horizon)
		st.Round++
		st.Deadline = nil
		if st.Month == e.base.Horizon {
			st.Status = Ended
		}
		return nil
	})
}

// EndNow ends the exercise before the horizon: the open round's
// decisions are dropped, and months after the clock have no decisions.
func (e *Exercise) EndNow() error {
	return e.change(func(st *State) error {
		if st.Status == Ended {
			return conflictf("the exercise has already ended")
		}
		for i := range st.Teams {
			t := &st.Teams[i]
			if d := t.decision(st.Round); d != nil {
				t.Decisions = t.Decisions[:len(t.Decisions)-1]
			}
		}
		st.Status, st.Deadline = Ended, nil
		return nil
	})
}

// SetDeadline shows a deadline for the open round, seconds from now (0
// clears it). Nothing happens when it passes: the facilitator advances.
func (e *Exercise) SetDeadline(seconds int, now time.Time) error {
	if seconds < 0 || seconds > 24*3600 {
		return invalidf("seconds must be between 0 (no deadline) and 86400, got %d", seconds)
	}
	return e.change(func(st *State) error {
		if st.Status == Ended {
			return conflictf("the exercise has ended")
		}
		st.Deadline = nil
		if seconds > 0 {
			d := now.Add(time.Duration(seconds) * time.Second).UTC().Truncate(time.Second)
			st.Deadline = &d
		}
		return nil
	})
}

// Inject adds an event of size in country, in the next month to be played
// (the clock's month + 1), for every team and for the debrief. name is
// made a key of the scenario file (letters, digits, - and _) and unique in
// its country.
func (e *Exercise) Inject(country string, size float64, name string) (Event, error) {
	if e.base.Model.Dynamics != sim.Tension {
		return Event{}, invalidf("%s has %s dynamics: an event changes tension, which only tension dynamics have", e.file.Name, e.base.Model.Dynamics)
	}
	c := -1
	for i, cc := range e.base.Countries {
		if cc.ID == country {
			c = i
		}
	}
	if c < 0 {
		var ids []string
		for _, cc := range e.base.Countries {
			ids = append(ids, cc.ID)
		}
		return Event{}, invalidf("unknown country %q; the countries are %s", country, strings.Join(ids, ", "))
	}
	if math.IsNaN(size) || math.IsInf(size, 0) || size < -1 || size > 1 || size == 0 {
		return Event{}, invalidf("an event's size must be a number from -1 to 1 (tension added; negative calms), not 0, got %g", size)
	}
	if utf8.RuneCountInString(name) > MaxEventName {
		return Event{}, invalidf("an event's name must be at most %d characters", MaxEventName)
	}
	var out Event
	err := e.change(func(st *State) error {
		if st.Status == Ended {
			return conflictf("the exercise has ended: no more events")
		}
		if len(st.Events) >= MaxEvents {
			return conflictf("the exercise already has %d injected events, the most it takes", MaxEvents)
		}
		m := st.Month + 1
		ev := Event{Country: country, Month: m, Size: size, Name: e.eventName(st, c, name, m)}
		st.Events = append(st.Events, ev)
		out = ev
		return nil
	})
	return out, err
}

// eventName makes a file key of name, unique among country c's events.
func (e *Exercise) eventName(st *State, c int, name string, month int) string {
	var b strings.Builder
	for _, r := range strings.TrimSpace(name) {
		switch {
		case r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '-'):
			b.WriteRune(r)
		case unicode.IsSpace(r):
			b.WriteByte('-')
		}
	}
	base := b.String()
	if base == "" {
		base = fmt.Sprintf("injected-%d", month)
	}
	taken := func(n string) bool {
		for _, ev := range e.base.Countries[c].Events {
			if ev.Name == n {
				return true
			}
		}
		for _, ev := range st.Events {
			if ev.Country == e.base.Countries[c].ID && ev.Name == n {
				return true
			}
		}
		return false
	}
	out := base
	for i := 2; taken(out); i++ {
		out = fmt.Sprintf("%s-%d", base, i)
	}
	return out
}

// Export returns the exported scenario file and the name its debrief
// command gives it.
func (e *Exercise) Export() (name string, data []byte) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return ExportName(e.st.ID), e.cur.export
}

// joinAlphabet is Crockford's base 32 in lower case: no i, l, o or u, so
// that a code read off a projector is not mistyped.
const joinAlphabet = "0123456789abcdefghjkmnpqrstvwxyz"

// randomJoinCode returns a join code of 8 characters (40 random bits): short
// enough to read off a projector and type, long enough that guessing one
// over HTTP takes years. It lets a browser create a team, never act as one
// (each team has its own 128-bit token).
func randomJoinCode() string {
	b := make([]byte, 8)
	rand.Read(b)
	for i := range b {
		b[i] = joinAlphabet[b[i]%32]
	}
	return string(b)
}

// randomHex returns n random bytes in hex.
func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// randomBelow returns a random integer in [0, n).
func randomBelow(n int64) int64 {
	var b [8]byte
	rand.Read(b[:])
	return int64(binary.LittleEndian.Uint64(b[:]) % uint64(n)) // bias below 2^-46 for n ≤ MaxDebriefRuns
}
