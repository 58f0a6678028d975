package exercise

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/escalate-sim/escalate/scenarios"
	"github.com/escalate-sim/escalate/sim"
)

func staff(x float64) *float64 { return &x }

// newExercise is workshop-intro in rounds of three months, played on run
// 7 of a small debrief.
func newExercise(t testing.TB, store Store) *Exercise {
	t.Helper()
	e, err := New(Config{Scenario: "workshop-intro", RoundMonths: 3, World: 7, DebriefRuns: 400}, store)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func join(t testing.TB, e *Exercise, name string) int {
	t.Helper()
	tm, err := e.Join(name)
	if err != nil {
		t.Fatal(err)
	}
	role, i := e.Who(tm.Token)
	if role != TeamRole {
		t.Fatalf("%s's token is not a team's", name)
	}
	return i
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// kindOf is the Kind of a refusal, 0 for another error or none.
func kindOf(err error) Kind {
	var xe *Error
	if errors.As(err, &xe) {
		return xe.Kind
	}
	return 0
}

// A team's decisions become a strategy whose missions are launched,
// resized and ended at the months the rounds closed, and switched off
// when never launched.
func TestDecisionsBecomeStrategy(t *testing.T) {
	e := newExercise(t, nil)
	red, blue := join(t, e, "Red"), join(t, e, "Blue team!")
	must(t, e.Decide(red, 1, []Action{{Mission: "mediators", Action: Launch, Staff: staff(6)}}))
	must(t, e.Decide(blue, 1, []Action{}))
	must(t, e.Advance(1))
	must(t, e.Decide(red, 2, []Action{{Mission: "mediators", Action: Resize, Staff: staff(10)}, {Mission: "monitors", Action: Launch}}))
	must(t, e.Advance(2))
	must(t, e.Decide(red, 3, []Action{{Mission: "mediators", Action: End}}))
	must(t, e.Advance(3))

	name, data := e.Export()
	if name != "exercise-"+e.ID()+".toml" {
		t.Errorf("export name %q", name)
	}
	e.mu.Lock()
	f := e.cur.file
	e.mu.Unlock()
	sc, err := f.Strategy("team_red")
	must(t, err)
	if len(sc.Interventions) != 2 {
		t.Fatalf("team_red keeps %d missions, want mediators and monitors:\n%s", len(sc.Interventions), data)
	}
	med, mon := sc.Interventions[0], sc.Interventions[1]
	want := sim.Intervention{StartMonth: 0, Staff: 6, StaffFrom: []sim.StaffChange{{Month: 4, Staff: 10}}, EndMonth: 7}
	if med.ID != "mediators" || med.Triggered || med.StartMonth != want.StartMonth || med.Staff != want.Staff ||
		!reflect.DeepEqual(med.StaffFrom, want.StaffFrom) || med.EndMonth != want.EndMonth {
		t.Errorf("mediators %+v", med)
	}
	if mon.ID != "monitors" || mon.Triggered || mon.StartMonth != 3 || mon.Staff != 20 || mon.StaffFrom != nil || mon.EndMonth != 0 {
		t.Errorf("monitors %+v", mon)
	}
	blueSc, err := f.Strategy("team_blue_team")
	must(t, err)
	if len(blueSc.Interventions) != 0 {
		t.Errorf("a team that launched nothing keeps %d missions", len(blueSc.Interventions))
	}
	if !strings.Contains(string(data), `name = "Blue team!"`) {
		t.Errorf("the export lacks the team's name:\n%s", data)
	}
}

// The clock moves a round at a time and stops at the horizon, where the
// exercise ends; no round is decided twice.
func TestRoundsAndClock(t *testing.T) {
	e, err := New(Config{Scenario: "workshop-intro", RoundMonths: 10, World: 0, DebriefRuns: 10}, nil)
	must(t, err)
	var months []int
	for r := 1; ; r++ {
		st := e.State()
		months = append(months, st.Month)
		if st.Status == Ended {
			break
		}
		if st.Round != r {
			t.Fatalf("round %d, want %d", st.Round, r)
		}
		must(t, e.Advance(r))
		if err := e.Advance(r); kindOf(err) != Conflict {
			t.Fatalf("advancing round %d twice: %v", r, err)
		}
	}
	if want := []int{0, 10, 20, 30, 36}; !reflect.DeepEqual(months, want) {
		t.Errorf("months %v, want %v", months, want)
	}
	if _, err := e.Join("Late"); kindOf(err) != Conflict {
		t.Errorf("joining an ended exercise: %v", err)
	}
}

// Bad or late input is refused with a message and changes nothing.
func TestRefusals(t *testing.T) {
	e := newExercise(t, nil)
	red := join(t, e, "Red")
	must(t, e.Decide(red, 1, []Action{{Mission: "mediators", Action: Launch, Staff: staff(6)}}))
	must(t, e.Advance(1))
	before := e.Marshal()
	for _, tc := range []struct {
		name    string
		round   int
		actions []Action
		kind    Kind
		msg     string
	}{
		{"late", 1, nil, Conflict, "round 1 closed at month 3; decisions now apply from month 4"},
		{"future", 3, nil, Conflict, "there is no round 3"},
		{"round 0", 0, nil, Conflict, "there is no round 0"},
		{"unknown mission", 2, []Action{{Mission: "ninjas", Action: Launch}}, Invalid, `unknown mission "ninjas"; the missions are mediators, legal_advisers, monitors`},
		{"unknown action", 2, []Action{{Mission: "monitors", Action: "double"}}, Invalid, `unknown action "double"`},
		{"twice", 2, []Action{{Mission: "monitors", Action: Launch}, {Mission: "monitors", Action: End}}, Invalid, "a second action on mission monitors"},
		{"relaunch", 2, []Action{{Mission: "mediators", Action: Launch}}, Invalid, "mission mediators was launched in month 0"},
		{"resize not launched", 2, []Action{{Mission: "monitors", Action: Resize, Staff: staff(3)}}, Invalid, "mission monitors is not launched"},
		{"end not launched", 2, []Action{{Mission: "legal_advisers", Action: End}}, Invalid, "not launched"},
		{"resize without staff", 2, []Action{{Mission: "mediators", Action: Resize}}, Invalid, "give its new staff"},
		{"end with staff", 2, []Action{{Mission: "mediators", Action: End, Staff: staff(1)}}, Invalid, "takes no staff"},
		{"negative", 2, []Action{{Mission: "mediators", Action: Resize, Staff: staff(-1)}}, Invalid, "staff must be a number from 0 to 100000, got -1"},
		{"too many", 2, []Action{{Mission: "monitors", Action: Launch, Staff: staff(100001)}}, Invalid, "got 100001"},
		{"NaN", 2, []Action{{Mission: "monitors", Action: Launch, Staff: staff(math.NaN())}}, Invalid, "got NaN"},
		{"Inf", 2, []Action{{Mission: "mediators", Action: Resize, Staff: staff(math.Inf(1))}}, Invalid, "got +Inf"},
		{"more actions than missions", 2, make([]Action, 4), Invalid, "one action per mission"},
	} {
		err := e.Decide(red, tc.round, tc.actions)
		if kindOf(err) != tc.kind || !strings.Contains(fmt.Sprint(err), tc.msg) {
			t.Errorf("%s: got %v (kind %d), want kind %d and %q", tc.name, err, kindOf(err), tc.kind, tc.msg)
		}
	}
	if after := e.Marshal(); string(after) != string(before) {
		t.Errorf("refused decisions changed the exercise")
	}
	for _, tc := range []struct {
		name string
		err  error
		msg  string
	}{
		{"empty name", func() error { _, err := e.Join("  "); return err }(), "1 to 24 characters"},
		{"long name", func() error { _, err := e.Join(strings.Repeat("x", 25)); return err }(), "1 to 24 characters"},
		{"control", func() error { _, err := e.Join("a\x00b"); return err }(), "printable"},
		{"taken", func() error { _, err := e.Join("RED"); return err }(), `a team named "Red" has already joined`},
		{"country", func() error { _, err := e.Inject("atlantis", 0.1, "x"); return err }(), `unknown country "atlantis"; the countries are arcadia`},
		{"size", func() error { _, err := e.Inject("arcadia", 1.5, "x"); return err }(), "from -1 to 1"},
		{"size NaN", func() error { _, err := e.Inject("arcadia", math.NaN(), "x"); return err }(), "from -1 to 1"},
		{"deadline", e.SetDeadline(-1, time.Time{}), "between 0"},
	} {
		if tc.err == nil || !strings.Contains(tc.err.Error(), tc.msg) {
			t.Errorf("%s: got %v, want %q", tc.name, tc.err, tc.msg)
		}
	}
	if after := e.Marshal(); string(after) != string(before) {
		t.Errorf("refused requests changed the exercise")
	}
}

// Mission states follow the team's decisions and the played world: a
// mission acts after its start-up delay, its duration ends it, and one
// ended is over.
func TestMissionStates(t *testing.T) {
	e, err := New(Config{Scenario: "workshop-intro", RoundMonths: 1, World: 7, DebriefRuns: 400}, nil)
	must(t, err)
	red := join(t, e, "Red")
	states := func() map[string]string {
		v, err := e.TeamView(red)
		must(t, err)
		out := map[string]string{}
		for _, m := range v.Missions {
			out[m.ID] = m.State
		}
		return out
	}
	if s := states(); s["mediators"] != Available || s["monitors"] != Available {
		t.Errorf("at the start: %v", s)
	}
	consented := func(id string) bool {
		e.mu.Lock()
		defer e.mu.Unlock()
		p, err := e.path("team_red")
		must(t, err)
		return interventionPath(p, id).Consented
	}
	// Launched in month 0, legal_advisers (2 months' delay, 10 months)
	// act in months 3..12, mediators (3 months' delay) from month 4.
	must(t, e.Decide(red, 1, []Action{{Mission: "legal_advisers", Action: Launch}, {Mission: "mediators", Action: Launch}}))
	want := func(id, state string) string {
		if !consented(id) {
			return Refused
		}
		return state
	}
	for _, tc := range []struct {
		m     int
		legal string
		med   string
	}{{1, Launched, Launched}, {2, Acting, Launched}, {3, Acting, Acting}, {11, Acting, Acting}, {12, Over, Acting}} {
		for e.State().Month < tc.m {
			must(t, e.Advance(e.State().Round))
		}
		if s := states(); s["legal_advisers"] != want("legal_advisers", tc.legal) || s["mediators"] != want("mediators", tc.med) {
			t.Errorf("month %d: %v, want legal_advisers %s, mediators %s", tc.m, s, tc.legal, tc.med)
		}
	}
	if !consented("mediators") {
		t.Fatal("the test wants a world where the mediators are accepted")
	}
	r := e.State().Round
	must(t, e.Decide(red, r, []Action{{Mission: "mediators", Action: End}}))
	must(t, e.Advance(r))
	if s := states(); s["mediators"] != Over {
		t.Errorf("mediators ended: %v", s)
	}
	if err := e.Decide(red, r+1, []Action{{Mission: "mediators", Action: Resize, Staff: staff(2)}}); err == nil || !strings.Contains(err.Error(), "has ended") {
		t.Errorf("resize after end: %v", err)
	}
}

// A team's story of months 0..M is the trace of its strategy cut at M:
// equal to the trace of the strategy it ends with (later decisions do not
// change earlier months), and nothing of later months.
func TestStoryIsTrace(t *testing.T) {
	e := newExercise(t, nil)
	red := join(t, e, "Red")
	var stories []*Story
	decide := [][]Action{
		{{Mission: "mediators", Action: Launch, Staff: staff(8)}},
		{{Mission: "monitors", Action: Launch}},
		{{Mission: "mediators", Action: Resize, Staff: staff(2)}},
	}
	for r, acts := range decide {
		must(t, e.Decide(red, r+1, acts))
		if r == 1 {
			_, err := e.Inject("arcadia", 0.2, "riots")
			must(t, err)
		}
		must(t, e.Advance(r+1))
		v, err := e.TeamView(red)
		must(t, err)
		stories = append(stories, v.Story)
	}
	e.mu.Lock()
	final, err := e.cur.file.Strategy("team_red")
	e.mu.Unlock()
	must(t, err)
	path, err := sim.Trace(final, 2011, 7, sim.StreamsV1)
	must(t, err)
	for _, s := range stories {
		m := s.Month
		c := s.Countries[0]
		if len(c.Tension) != m+1 || len(c.Stage) != m+1 || len(s.Missions[0].Staff) != m+1 {
			t.Fatalf("month %d: story has %d months", m, len(c.Tension))
		}
		if !reflect.DeepEqual(c.Tension, path.Countries[0].Tension[:m+1]) {
			t.Errorf("month %d: tension differs from the final strategy's trace", m)
		}
		for k := 0; k <= m; k++ {
			if c.Stage[k] != path.Countries[0].Stage[k].String() {
				t.Errorf("month %d: stage %d differs", m, k)
			}
		}
		if !reflect.DeepEqual(s.Missions[0].Staff, path.Interventions[0].Staff[:m+1]) {
			t.Errorf("month %d: staff %v, trace %v", m, s.Missions[0].Staff, path.Interventions[0].Staff[:m+1])
		}
	}
	// The injected event (month 4) shows from month 6 on, with the
	// election only once it has happened.
	last := stories[len(stories)-1].Countries[0].Events
	if len(last) != 1 || last[0].Name != "riots" || last[0].Month != 4 || !last[0].Injected {
		t.Errorf("events at month 9: %+v", last)
	}
	if evs := stories[0].Countries[0].Events; len(evs) != 0 {
		t.Errorf("events at month 3: %+v", evs)
	}
}

// The facilitator sees every world: no mission, the plan, each team's.
func TestFacilitatorView(t *testing.T) {
	e := newExercise(t, nil)
	join(t, e, "Red")
	join(t, e, "Blue")
	v, err := e.FacilitatorView()
	must(t, err)
	var keys []string
	for _, s := range v.Stories {
		keys = append(keys, s.Key+"="+s.Label)
	}
	if want := []string{"none=No mission", "historical=As planned", "team_red=Red", "team_blue=Blue"}; !reflect.DeepEqual(keys, want) {
		t.Errorf("stories %v, want %v", keys, want)
	}
	if v.JoinURL != "/exercise/"+v.ID+"/join?code="+v.JoinCode || v.Thresholds == nil || v.Thresholds.War != 0.75 {
		t.Errorf("view %+v", v.View)
	}
}

// Twenty teams at most; their slugs are unique.
func TestTeamLimitAndSlugs(t *testing.T) {
	e := newExercise(t, nil)
	for i := range MaxTeams {
		join(t, e, fmt.Sprintf("Team %d", i%3)+strings.Repeat(" ", i/3)+fmt.Sprint(i))
	}
	if _, err := e.Join("One too many"); kindOf(err) != Conflict || !strings.Contains(err.Error(), "already has 20 teams") {
		t.Errorf("21st team: %v", err)
	}
	seen := map[string]bool{}
	for _, tm := range e.State().Teams {
		if seen[tm.Slug] {
			t.Errorf("slug %s twice", tm.Slug)
		}
		seen[tm.Slug] = true
	}
	for _, tc := range []struct{ name, slug string }{{"Red", "red"}, {"Les Bleus!", "les_bleus"}, {"Équipe 1", "quipe_1"}, {"???", "4"}} {
		if got := slugOf(tc.name, 4); got != tc.slug {
			t.Errorf("slugOf(%q) = %q, want %q", tc.name, got, tc.slug)
		}
	}
}

// Twenty teams deciding at once: every decision is recorded, the saved
// file holds them all (run with -race).
func TestConcurrentDecisions(t *testing.T) {
	dir := Dir(t.TempDir())
	e := newExercise(t, dir)
	var idx []int
	for i := range MaxTeams {
		idx = append(idx, join(t, e, fmt.Sprint("T", i)))
	}
	var wg sync.WaitGroup
	errs := make(chan error, len(idx))
	for k, i := range idx {
		wg.Add(1)
		go func() {
			defer wg.Done()
			acts := []Action{{Mission: "mediators", Action: Launch, Staff: staff(float64(k))}}
			if err := e.Decide(i, 1, acts); err != nil {
				errs <- err
			}
			if _, err := e.TeamView(i); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	st, err := ReadFile(dir.Path(e.ID()))
	must(t, err)
	for k, tm := range st.Teams {
		if len(tm.Decisions) != 1 || *tm.Decisions[0].Actions[0].Staff != float64(k) {
			t.Errorf("team %d's saved decisions %+v", k, tm.Decisions)
		}
	}
}

// The saved file resumes the exercise where it was; a new group starts
// it afresh.
func TestSaveAndResume(t *testing.T) {
	dir := Dir(t.TempDir())
	e := newExercise(t, dir)
	red := join(t, e, "Red")
	must(t, e.Decide(red, 1, []Action{{Mission: "mediators", Action: Launch}}))
	must(t, e.Advance(1))
	_, err := e.Inject("arcadia", -0.1, "talks")
	must(t, err)
	must(t, e.Decide(red, 2, []Action{{Mission: "mediators", Action: Resize, Staff: staff(9)}}))
	st, err := ReadFile(dir.Path(e.ID()))
	must(t, err)
	if !reflect.DeepEqual(st, e.State()) {
		t.Fatalf("the saved file differs from the state")
	}
	r, err := Resume(st, nil)
	must(t, err)
	a, err := e.TeamView(red)
	must(t, err)
	b, err := r.TeamView(red)
	must(t, err)
	if !reflect.DeepEqual(a, b) {
		t.Errorf("the resumed team's view differs:\n%+v\n%+v", a, b)
	}
	if _, ea := e.Export(); true {
		if _, eb := r.Export(); string(ea) != string(eb) {
			t.Errorf("the resumed export differs")
		}
	}
	f := Fresh(st)
	if f.ID == st.ID || f.FacilitatorToken == st.FacilitatorToken || len(f.Teams) != 0 || f.Month != 0 || f.Round != 1 ||
		len(f.Events) != 1 || f.World != st.World || f.Seed != st.Seed {
		t.Errorf("fresh %+v", f)
	}
	if _, err := Resume(f, nil); err != nil {
		t.Error(err)
	}
}

// A file that is not one this package could have written is refused with
// its name and the field at fault.
func TestDecodeErrors(t *testing.T) {
	e := newExercise(t, nil)
	red := join(t, e, "Red")
	must(t, e.Decide(red, 1, []Action{{Mission: "mediators", Action: Launch}}))
	good := string(e.Marshal())
	if _, err := Decode("x.json", []byte(good)); err != nil {
		t.Fatal(err)
	}
	st := e.State()
	for _, tc := range []struct {
		name, old, new, want string
	}{
		{"format", `"format": "escalate-exercise"`, `"format": "other"`, `x.json: format: want "escalate-exercise"`},
		{"version", `"version": 1`, `"version": 2`, "x.json: version: this escalate reads version 1 of the exercise file, got 2"},
		{"syntax", `"round": 1,`, `"round": 1,,`, "x.json: line "},
		{"type", `"round_months": 3`, `"round_months": "3"`, "x.json: line "},
		{"unknown", `"round_months": 3`, `"round_months": 3, "colour": 1`, `unknown field "colour"`},
		{"world", `"world": 7`, `"world": 400`, "x.json: world: must be a run index from 0 to 399"},
		{"month", `"month": 0`, `"month": 2`, "x.json: month: round 1 of 3 months starts at month 0, got 2"},
		{"status", `"status": "deciding"`, `"status": "paused"`, `x.json: status: want "deciding" or "ended"`},
		{"token", `"token": "` + st.Teams[0].Token, `"token": "` + st.FacilitatorToken, "x.json: teams[0].token"},
		{"mission", `"mission": "mediators"`, `"mission": "ninjas"`, `x.json: teams[0].decisions[0].actions[0].mission: unknown mission "ninjas"`},
		{"action", `"action": "launch"`, `"action": "resize"`, "x.json: teams[0].decisions[0].actions[0].action: resize of mission mediators, which is not launched"},
		{"scenario", `horizon_months = 36`, `horizon_months = -36`, "x.json: scenario.source: "},
		{"cut", good[len(good)-40:], "", "x.json: the file ends in the middle"},
		{"join code", `"join_code": "` + st.JoinCode, `"join_code": "` + "il0u" + st.JoinCode[4:], "x.json: join_code: want 8 characters"},
	} {
		if !strings.Contains(good, tc.old) {
			t.Fatalf("%s: the file lacks %q", tc.name, tc.old)
		}
		_, err := Decode("x.json", []byte(strings.Replace(good, tc.old, tc.new, 1)))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want %q", tc.name, err, tc.want)
		}
	}
	// The first files had 32 hex digits as their join code: still read.
	if _, err := Decode("x.json", []byte(strings.Replace(good, st.JoinCode, st.FacilitatorToken, 1))); err != nil {
		t.Errorf("a hex join code: %v", err)
	}
	if !regexp.MustCompile(`^[0-9a-hjkmnp-tv-z]{8}$`).MatchString(st.JoinCode) {
		t.Errorf("join code %q: want 8 characters without i, l, o and u", st.JoinCode)
	}
	if _, err := Decode("x.json", nil); err == nil || !strings.Contains(err.Error(), "empty file") {
		t.Errorf("empty: %v", err)
	}
	path := filepath.Join(t.TempDir(), "missing.json")
	if _, err := ReadFile(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

// The debrief compares none, the plan and every team, and ranks the
// played world by its months at war among the same runs.
func TestDebrief(t *testing.T) {
	e := newExercise(t, nil)
	red := join(t, e, "Red")
	if _, err := e.Debrief(context.Background()); kindOf(err) != Conflict {
		t.Errorf("debrief before the end: %v", err)
	}
	must(t, e.Decide(red, 1, []Action{{Mission: "mediators", Action: Launch, Staff: staff(12)}}))
	must(t, e.Advance(1))
	must(t, e.EndNow())
	d, err := e.Debrief(context.Background())
	must(t, err)
	if want := "escalate compare exercise-" + e.ID() + ".toml --strategies none,historical,team_red --runs 400 --seed 2011 --format json"; d.Command != want {
		t.Errorf("command %q, want %q", d.Command, want)
	}
	if len(d.World.Rank) != 3 || d.World.Run != 7 || d.World.Headline != "war in Arcadia" {
		t.Fatalf("world %+v", d.World)
	}
	for _, r := range d.World.Rank {
		if n := r.RunsWorse + r.RunsAsBad + r.RunsBetter; n != 400 || r.RunsAsBad < 1 {
			t.Errorf("%s: %d runs ranked, %d as bad (the world itself is one)", r.Strategy, n, r.RunsAsBad)
		}
		if r.War != (r.WarMonths > 0 || r.FirstWar == 0) {
			t.Errorf("%s: war %v with %d months", r.Strategy, r.War, r.WarMonths)
		}
	}
	if d.World.Rank[0].Cost != 0 || d.World.Rank[2].Cost <= 0 {
		t.Errorf("costs %+v", d.World.Rank)
	}
	// The paired costs agree with the comparison's mean costs, and the
	// team's (a mission the host accepts in 90% of runs) vary by run.
	var cmp struct {
		Strategies []struct {
			ID         string  `json:"name"`
			CostMean   float64 `json:"cost_mean"`
			VsBaseline struct {
				CostDiff float64 `json:"cost_diff"`
			} `json:"vs_baseline"`
		} `json:"strategies"`
	}
	must(t, json.Unmarshal(d.ComparisonJSON, &cmp))
	if len(d.Costs) != 3 {
		t.Fatalf("%d cost entries", len(d.Costs))
	}
	for i, c := range d.Costs {
		want := cmp.Strategies[i].VsBaseline.CostDiff
		if c.Strategy != cmp.Strategies[i].ID || math.Abs(c.CostDiff-want) > 1e-6*math.Max(1, math.Abs(want)) {
			t.Errorf("%s: cost difference %v, the comparison says %v", c.Strategy, c.CostDiff, want)
		}
		if c.CostDiffCI95 == nil || !(c.CostDiffCI95[0] <= c.CostDiff && c.CostDiff <= c.CostDiffCI95[1]) {
			t.Errorf("%s: interval %v leaves out %v", c.Strategy, c.CostDiffCI95, c.CostDiff)
		}
	}
	if c := d.Costs[0]; c.CostDiff != 0 || *c.CostDiffCI95 != [2]float64{} || c.CostPerWarAverted != nil {
		t.Errorf("the baseline against itself: %+v", c)
	}
	if c := d.Costs[2]; !(c.CostDiffCI95[1]-c.CostDiffCI95[0] > 0) {
		t.Errorf("team red's cost varies with consent, yet its interval is %v", c.CostDiffCI95)
	}
	again, err := e.Debrief(context.Background())
	must(t, err)
	if again != d {
		t.Errorf("the debrief of an ended exercise is computed twice")
	}
}

// The paired cost statistics on records with known answers: four runs, in
// which the variant costs 10, 10, 30, 30 more and is at war in runs 0 and 1
// only where the baseline is at war in all four.
func TestPairedCosts(t *testing.T) {
	p := newPairedCosts(2, -1)
	rec := func(v int, run int64, c int, cost float64, war bool) sim.CountryRecord {
		return sim.CountryRecord{Variant: v, Run: run, Country: c, Cost: cost, EverWar: war}
	}
	var recs []sim.CountryRecord
	for run, extra := range []float64{10, 10, 30, 30} {
		r := int64(run)
		// Two countries: costs add up, war in either is war.
		recs = append(recs, rec(0, r, 0, 1, true), rec(0, r, 1, 2, false),
			rec(1, r, 0, 1+extra/2, false), rec(1, r, 1, 2+extra/2, run < 2))
	}
	must(t, p.add(recs[:5])) // chunks may split a run
	must(t, p.add(recs[5:]))
	p.finish()
	// dc = 10, 10, 30, 30: mean 20, sample variance 400/3; dw = 0, 0, -1, -1.
	perWar := 40.0 // mean dc / -mean dw = 20 / 0.5
	c := p.interval(1, "v", &perWar)
	const z = 1.959963984540054
	se := math.Sqrt(400.0 / 3 / 4)
	if c.CostDiff != 20 || c.CostDiffCI95 == nil || math.Abs(c.CostDiffCI95[0]-(20-z*se)) > 1e-9 || math.Abs(c.CostDiffCI95[1]-(20+z*se)) > 1e-9 {
		t.Errorf("cost difference %v %v, want 20 ± %v", c.CostDiff, c.CostDiffCI95, z*se)
	}
	// Var dw = 1/3, Cov(dc, dw) = -20/3 (sample): Var R = (400/3 + 2*40*(-20/3)
	// + 1600/3) / (4 * 0.25) = 400/3.
	sr := math.Sqrt(400.0 / 3)
	if c.CostPerWarAvertedCI95 == nil || math.Abs(c.CostPerWarAvertedCI95[0]-(40-z*sr)) > 1e-9 || math.Abs(c.CostPerWarAvertedCI95[1]-(40+z*sr)) > 1e-9 {
		t.Errorf("cost per war averted interval %v, want 40 ± %v", c.CostPerWarAvertedCI95, z*sr)
	}
	if c := p.interval(1, "v", nil); c.CostPerWarAvertedCI95 != nil {
		t.Errorf("an interval without the comparison's figure: %v", c.CostPerWarAvertedCI95)
	}

	// One run has no spread: no intervals, and nothing that JSON cannot
	// hold (a NaN would make the whole debrief fail to encode).
	one := newPairedCosts(2, -1)
	must(t, one.add(recs[:4]))
	one.finish()
	c1 := one.interval(1, "v", &perWar)
	if c1.CostDiff != 10 || c1.CostDiffCI95 != nil || c1.CostPerWarAvertedCI95 != nil {
		t.Errorf("one run: %+v", c1)
	}
	if _, err := json.Marshal(c1); err != nil {
		t.Errorf("one run: %v", err)
	}
}

// Every shipped scenario with missions plays: a team launches each
// mission, the clock runs to the end, and the debrief ranks the world.
// A name with quotes and backslashes stays a name in the exported file.
func TestEveryShippedScenario(t *testing.T) {
	list, err := scenarios.Shipped()
	must(t, err)
	for _, info := range list {
		t.Run(info.Name, func(t *testing.T) {
			e, err := New(Config{Scenario: info.Name, RoundMonths: 12, World: 3, DebriefRuns: 50}, nil)
			if err != nil {
				if strings.Contains(err.Error(), "has no [intervention.ID] tables") {
					t.Skip(err)
				}
				t.Fatal(err)
			}
			team := join(t, e, `Team "A" \ 1`)
			var acts []Action
			for _, iv := range e.base.Interventions {
				acts = append(acts, Action{Mission: iv.ID, Action: Launch})
			}
			must(t, e.Decide(team, 1, acts))
			_, err = e.Inject(e.base.Countries[0].ID, 0.1, "")
			if e.base.Model.Dynamics == sim.Tension {
				must(t, err)
			} else if err == nil || !strings.Contains(err.Error(), "only tension dynamics have") {
				t.Errorf("an event under %s dynamics: %v", e.base.Model.Dynamics, err)
			}
			for e.State().Status != Ended {
				must(t, e.Advance(e.State().Round))
			}
			v, err := e.TeamView(team)
			must(t, err)
			if v.Story.Month != e.base.Horizon || len(v.Story.Countries) != len(e.base.Countries) {
				t.Errorf("story to month %d of %d", v.Story.Month, e.base.Horizon)
			}
			if (e.base.Model.Dynamics == sim.Tension) != (v.Story.Countries[0].Tension != nil) {
				t.Errorf("tension %v under %s dynamics", v.Story.Countries[0].Tension != nil, e.base.Model.Dynamics)
			}
			d, err := e.Debrief(context.Background())
			must(t, err)
			if d.Strategies[2].Name != `Team "A" \ 1` || len(d.World.Rank) != 3 {
				t.Errorf("strategies %+v", d.Strategies)
			}
		})
	}
}

// A mission's own timed decisions in the file give way to the team's: the
// team's schedule replaces the file's staff_from, and its end_month is the
// team's (none when the team does not end it).
func TestFileScheduleGivesWay(t *testing.T) {
	src, err := scenarios.ShippedSource("workshop-intro")
	must(t, err)
	text := strings.Replace(string(src), "staff = 4                     # a small team",
		"staff_from = { 20 = 8 }\nend_month = 30\nstaff = 4                     # a small team", 1)
	if text == string(src) {
		t.Fatal("workshop-intro's mediators changed: update the test")
	}
	e, err := New(Config{Source: text, RoundMonths: 3, World: 7, DebriefRuns: 100}, nil)
	must(t, err)
	if iv := e.base.Interventions[0]; len(iv.StaffFrom) != 1 || iv.EndMonth != 30 {
		t.Fatalf("the file's mediators %+v", iv)
	}
	red, blue := join(t, e, "Red"), join(t, e, "Blue")
	must(t, e.Decide(red, 1, []Action{{Mission: "mediators", Action: Launch}}))
	must(t, e.Decide(blue, 1, []Action{{Mission: "mediators", Action: Launch}}))
	must(t, e.Advance(1))
	must(t, e.Decide(blue, 2, []Action{{Mission: "mediators", Action: Resize, Staff: staff(10)}}))
	must(t, e.Advance(2))
	for _, tc := range []struct {
		id   string
		want []sim.StaffChange
	}{{"team_red", nil}, {"team_blue", []sim.StaffChange{{Month: 4, Staff: 10}}}} {
		e.mu.Lock()
		sc, err := e.cur.file.Strategy(tc.id)
		e.mu.Unlock()
		must(t, err)
		if iv := sc.Interventions[0]; !reflect.DeepEqual(iv.StaffFrom, tc.want) || iv.EndMonth != 0 || iv.StartMonth != 0 || iv.Triggered {
			t.Errorf("%s: mediators %+v, want staff_from %v and no end", tc.id, iv, tc.want)
		}
	}
}
