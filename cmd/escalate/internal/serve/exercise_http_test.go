package serve

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/escalate-sim/escalate/cmd/escalate/internal/exercise"
)

// exClient plays an exercise through the HTTP API.
type exClient struct {
	t   testing.TB
	h   http.Handler
	id  string
	fac string // the facilitator's token
	jc  string // the join code
}

// call sends a request and decodes the JSON answer into out (if not
// nil). It returns the status and the body, or the error's message.
func (c *exClient) call(method, path, body string, out any) (int, string) {
	c.t.Helper()
	w := do(c.t, c.h, method, path, body)
	if out != nil && w.Code == http.StatusOK {
		if err := json.Unmarshal(w.Body.Bytes(), out); err != nil {
			c.t.Fatalf("%s %s: %v\n%s", method, path, err, w.Body)
		}
	}
	var e struct{ Error string }
	if w.Code != http.StatusOK && json.Unmarshal(w.Body.Bytes(), &e) == nil && e.Error != "" {
		return w.Code, e.Error
	}
	return w.Code, w.Body.String()
}

// ok is call that must succeed.
func (c *exClient) ok(method, path, body string, out any) {
	c.t.Helper()
	if code, msg := c.call(method, path, body, out); code != http.StatusOK {
		c.t.Fatalf("%s %s %s: status %d: %s", method, path, body, code, msg)
	}
}

func (c *exClient) api(what, token string) string {
	return "/api/exercise/" + c.id + "/" + what + "?token=" + token
}

func newExClient(t testing.TB, s *Server, body string) *exClient {
	t.Helper()
	return newExClientAt(t, s, "/api/exercise", body)
}

// newExClientAt creates the exercise at path (with the server's token).
func newExClientAt(t testing.TB, s *Server, path, body string) *exClient {
	t.Helper()
	c := &exClient{t: t, h: s}
	var cr created
	c.ok("POST", path, body, &cr)
	c.id, c.fac, c.jc = cr.ID, cr.FacilitatorToken, cr.JoinCode
	if cr.State == nil || cr.State.Round != 1 || cr.FacilitatorURL != "/exercise/"+cr.ID+"/facilitator?token="+cr.FacilitatorToken {
		t.Fatalf("created %+v", cr)
	}
	return c
}

type joined struct {
	Team, Slug, Strategy string
	TeamToken            string `json:"team_token"`
	TeamURL              string `json:"team_url"`
}

func (c *exClient) join(name string) joined {
	c.t.Helper()
	var j joined
	c.ok("POST", "/api/exercise/"+c.id+"/join?code="+c.jc, fmt.Sprintf(`{"team": %q}`, name), &j)
	return j
}

func (c *exClient) facState() *exercise.FacilitatorState {
	c.t.Helper()
	var v exercise.FacilitatorState
	c.ok("GET", c.api("state", c.fac), "", &v)
	return &v
}

func (c *exClient) teamState(token string) *exercise.TeamState {
	c.t.Helper()
	var v exercise.TeamState
	c.ok("GET", c.api("state", token), "", &v)
	return &v
}

func (c *exClient) file() string {
	c.t.Helper()
	code, body := c.call("GET", c.api("file", c.fac), "", nil)
	if code != http.StatusOK {
		c.t.Fatalf("file: %d %s", code, body)
	}
	return body
}

const createIntro = `{"scenario": "workshop-intro", "round_months": 3, "world": 7, "debrief_runs": 500}`

// Two teams play workshop-intro for three rounds; each sees its own
// world, the facilitator sees all; the debrief compares them.
func TestExerciseFullHTTP(t *testing.T) {
	c := newExClient(t, New(Config{}), createIntro)
	red, blue := c.join("Red"), c.join("Blue")
	if red.Strategy != "team_red" || red.TeamURL != "/exercise/"+c.id+"/team?token="+red.TeamToken {
		t.Errorf("joined %+v", red)
	}
	rounds := []struct{ red, blue string }{
		{`[{"mission":"mediators","action":"launch","staff":6}]`, `[]`},
		{`[{"mission":"mediators","action":"resize","staff":10},{"mission":"monitors","action":"launch"}]`, `[{"mission":"legal_advisers","action":"launch","staff":8}]`},
		{`[{"mission":"mediators","action":"end"}]`, `[{"mission":"legal_advisers","action":"resize","staff":2}]`},
	}
	for r, acts := range rounds {
		round := r + 1
		if f := c.facState(); f.Teams[0].Decided || f.Round != round || f.Month != 3*r {
			t.Fatalf("round %d: %+v", round, f.View)
		}
		var tv exercise.TeamState
		c.ok("POST", c.api("decide", red.TeamToken), fmt.Sprintf(`{"round": %d, "actions": %s}`, round, acts.red), &tv)
		if !tv.Decided || len(tv.MyDecisions) != round {
			t.Errorf("round %d: red's view after deciding: decided %v, %d decisions", round, tv.Decided, len(tv.MyDecisions))
		}
		c.ok("POST", c.api("decide", blue.TeamToken), fmt.Sprintf(`{"round": %d, "actions": %s}`, round, acts.blue), nil)
		f := c.facState()
		if !f.Teams[0].Decided || !f.Teams[1].Decided {
			t.Errorf("round %d: decided %+v", round, f.Teams)
		}
		if round == 2 {
			c.ok("POST", c.api("event", c.fac), `{"country":"arcadia","size":0.15,"name":"riots"}`, nil)
			start := time.Now()
			c.ok("POST", c.api("deadline", c.fac), `{"seconds":300}`, nil)
			if d := c.teamState(blue.TeamToken).Deadline; d == nil || d.Sub(start) < 298*time.Second || d.Sub(start) > 302*time.Second {
				t.Errorf("deadline %v, want about %v", d, start.Add(300*time.Second))
			}
		}
		c.ok("POST", c.api("advance", c.fac), fmt.Sprintf(`{"round": %d}`, round), nil)
	}
	// A reload of a team's page gets its decisions and its story; the
	// round's deadline went with it.
	tv := c.teamState(red.TeamToken)
	if tv.Deadline != nil {
		t.Errorf("deadline %v in a new round", tv.Deadline)
	}
	if tv.Month != 9 || tv.Round != 4 || len(tv.MyDecisions) != 3 || tv.MyDecisions[2].Actions[0].Action != "end" || tv.Team != "Red" {
		t.Errorf("red's view: month %d round %d decisions %+v", tv.Month, tv.Round, tv.MyDecisions)
	}
	if len(tv.Story.Countries[0].Tension) != 10 || tv.Missions[0].State != exercise.Over {
		t.Errorf("red's story %d months, mediators %s", len(tv.Story.Countries[0].Tension), tv.Missions[0].State)
	}
	if ev := tv.Story.Countries[0].Events; len(ev) != 1 || ev[0].Name != "riots" || ev[0].Month != 4 {
		t.Errorf("events %+v", ev)
	}
	f := c.facState()
	if len(f.Stories) != 4 || f.Stories[2].Key != "team_red" || !reflect.DeepEqual(f.Stories[2].Story, tv.Story) {
		t.Errorf("the facilitator's story of red differs from red's")
	}
	if code, msg := c.call("GET", c.api("debrief", c.fac), "", nil); code != http.StatusConflict || !strings.Contains(msg, "the debrief opens when the exercise ends") {
		t.Errorf("debrief before the end: %d %s", code, msg)
	}
	c.ok("POST", c.api("end", c.fac), "", nil)
	var d exercise.Debrief
	c.ok("GET", c.api("debrief", blue.TeamToken), "", &d)
	if want := fmt.Sprintf("escalate compare exercise-%s.toml --strategies none,historical,team_red,team_blue --runs 500 --seed 2011 --format json", c.id); d.Command != want {
		t.Errorf("command %q", d.Command)
	}
	code, raw := c.call("GET", c.api("comparison.json", c.fac), "", nil)
	var a, b any
	json.Unmarshal([]byte(raw), &a)
	json.Unmarshal(d.Comparison, &b)
	if code != http.StatusOK || !reflect.DeepEqual(a, b) || a == nil {
		t.Errorf("comparison.json (%d) differs from the debrief's comparison", code)
	}
	w := do(t, c.h, "GET", c.api("export.toml", red.TeamToken), "")
	if w.Code != 200 || !strings.Contains(w.Body.String(), "[strategy.team_blue]") ||
		w.Header().Get("Content-Disposition") != fmt.Sprintf(`attachment; filename="exercise-%s.toml"`, c.id) {
		t.Errorf("export: %d %v", w.Code, w.Header())
	}
}

// A team's token works for its own team only; the facilitator's actions
// need the facilitator's token; the join code only joins.
func TestExerciseTokens(t *testing.T) {
	c := newExClientAt(t, New(Config{Token: "servertoken"}), "/api/exercise?token=servertoken", createIntro)
	red, blue := c.join("Red"), c.join("Blue")
	before := c.file()
	for _, tc := range []struct {
		method, path, body string
		code               int
		msg                string
	}{
		{"POST", c.api("advance", red.TeamToken), `{"round":1}`, 403, "only the facilitator can advance the round"},
		{"POST", c.api("event", red.TeamToken), `{"country":"arcadia","size":0.1}`, 403, "only the facilitator"},
		{"POST", c.api("end", blue.TeamToken), ``, 403, "only the facilitator"},
		{"POST", c.api("deadline", blue.TeamToken), `{"seconds":60}`, 403, "only the facilitator"},
		{"GET", c.api("file", red.TeamToken), ``, 403, "only the facilitator"},
		{"POST", c.api("decide", c.fac), `{"round":1,"actions":[]}`, 403, "teams decide on their own pages"},
		{"POST", c.api("decide", c.jc), `{"round":1,"actions":[]}`, 403, "missing or wrong token"},
		{"POST", c.api("decide", ""), `{"round":1,"actions":[]}`, 403, "missing or wrong token"},
		{"POST", c.api("decide", red.TeamToken[:31]), `{"round":1,"actions":[]}`, 403, "missing or wrong token"},
		{"POST", c.api("decide", red.TeamToken), `{"round":1,"actions":[],"team":"Blue"}`, 400, `unknown field "team"`},
		{"GET", c.api("state", "servertoken"), ``, 403, "missing or wrong token"},
		{"POST", "/api/exercise/" + c.id + "/join?code=" + red.TeamToken, `{"team":"Green"}`, 403, "wrong join code"},
		{"GET", "/api/exercise/00000000/state?token=" + c.fac, ``, 404, `no exercise "00000000"`},
		{"POST", "/api/exercise", createIntro, 403, "missing or wrong access token"},
		{"POST", "/api/exercise/load", before, 403, "missing or wrong access token"},
	} {
		if code, msg := c.call(tc.method, tc.path, tc.body, nil); code != tc.code || !strings.Contains(msg, tc.msg) {
			t.Errorf("%s %s: %d %s, want %d %q", tc.method, tc.path, code, msg, tc.code, tc.msg)
		}
	}
	if after := c.file(); after != before {
		t.Errorf("refused requests changed the exercise")
	}
	// Red decides for red only.
	c.ok("POST", c.api("decide", red.TeamToken), `{"round":1,"actions":[{"mission":"mediators","action":"launch"}]}`, nil)
	if r, b := c.teamState(red.TeamToken), c.teamState(blue.TeamToken); !r.Decided || b.Decided || len(b.MyDecisions) != 0 {
		t.Errorf("red decided %v, blue decided %v", r.Decided, b.Decided)
	}
}

// The server's token guards creating an exercise when it has one.
func TestExerciseCreateNeedsServerToken(t *testing.T) {
	s := New(Config{Token: "servertoken"})
	if w := do(t, s, "POST", "/api/exercise?token=servertoken", createIntro); w.Code != 200 {
		t.Errorf("with the server's token: %d %s", w.Code, w.Body)
	}
	for _, body := range []string{
		`{"scenario": "atlantis", "round_months": 3}`,
		`{"scenario": "workshop-intro", "round_months": 0}`,
		`{"scenario": "workshop-intro", "round_months": 37}`,
		`{"scenario": "workshop-intro", "round_months": 3, "world": 500, "debrief_runs": 500}`,
		// The page's World field sends what a person types as a number.
		`{"scenario": "workshop-intro", "round_months": 3, "world": -2}`,
		`{"scenario": "workshop-intro", "round_months": 3, "world": 2.5}`,
		`{"scenario": "workshop-intro", "round_months": 3, "world": 1e21}`,
		`{"scenario": "workshop-intro", "round_months": 3, "world": "7"}`,
		`{"scenario": "workshop-intro", "round_months": 3, "debrief_runs": 1000000000}`,
		`{"source": "horizon_months = 12", "round_months": 3}`,
		`{"scenario": "workshop-intro", "round_months": 3, "colour": "red"}`,
	} {
		if w := do(t, s, "POST", "/api/exercise?token=servertoken", body); w.Code != 400 || !strings.Contains(w.Body.String(), `"error"`) {
			t.Errorf("%s: %d %s", body, w.Code, w.Body)
		} else {
			t.Logf("%s: %s", body, strings.TrimSpace(w.Body.String()))
		}
	}
}

// Bad and late input: a clear 4xx, and the exercise as it was.
func TestExerciseBadInput(t *testing.T) {
	c := newExClient(t, New(Config{}), createIntro)
	red := c.join("Red")
	c.ok("POST", c.api("decide", red.TeamToken), `{"round":1,"actions":[{"mission":"mediators","action":"launch","staff":6}]}`, nil)
	c.ok("POST", c.api("advance", c.fac), `{"round":1}`, nil)
	before := c.file()
	for _, tc := range []struct {
		path, body string
		code       int
		msg        string
	}{
		{c.api("decide", red.TeamToken), `{"round":1,"actions":[{"mission":"monitors","action":"launch"}]}`, 409, "round 1 closed at month 3; decisions now apply from month 4"},
		{c.api("decide", red.TeamToken), `{"round":2,"actions":[{"mission":"mediators","action":"resize","staff":-2}]}`, 400, "staff must be a number from 0 to 100000, got -2"},
		{c.api("decide", red.TeamToken), `{"round":2,"actions":[{"mission":"mediators","action":"resize","staff":NaN}]}`, 400, "malformed JSON"},
		{c.api("decide", red.TeamToken), `{"round":2,"actions":[{"mission":"mediators","action":"resize","staff":1e999}]}`, 400, "malformed JSON"},
		{c.api("decide", red.TeamToken), `{"round":2,"actions":[{"mission":"mediators","action":"resize","staff":"6"}]}`, 400, "malformed JSON"},
		{c.api("decide", red.TeamToken), `{"round":2,"actions":[{"mission":"ninjas","action":"launch"}]}`, 400, `unknown mission "ninjas"`},
		{c.api("decide", red.TeamToken), `{"round":2,"actions":[{"mission":"monitors","action":"launch"},{"mission":"monitors","action":"end"}]}`, 400, "a second action on mission monitors"},
		{c.api("decide", red.TeamToken), `{"round":2,"actions":[{"mission":"mediators","action":"launch"}]}`, 400, "launched in month 0"},
		{c.api("decide", red.TeamToken), `{"round":2}`, 400, "actions missing"},
		{c.api("decide", red.TeamToken), `{"actions":[]}`, 400, "round missing"},
		{c.api("decide", red.TeamToken), `{"round":2,"actions":[]} {}`, 400, "more than one JSON value"},
		{c.api("decide", red.TeamToken), `{"round":2,"actions":[{"mission":"` + strings.Repeat("x", 70000) + `"}]}`, 413, "larger than this server's limit"},
		{c.api("advance", c.fac), `{"round":1}`, 409, "round 1 is not the open round"},
		{c.api("advance", c.fac), `{}`, 400, "round missing"},
		{c.api("event", c.fac), `{"country":"arcadia","size":2}`, 400, "from -1 to 1"},
		{c.api("event", c.fac), `{"country":"arcadia"}`, 400, "size missing"},
		{c.api("event", c.fac), `{"country":"atlantis","size":0.1}`, 400, `unknown country "atlantis"`},
		{c.api("end", c.fac), `{"now":true}`, 400, "takes no body"},
		{c.api("deadline", c.fac), `{"seconds":-5}`, 400, "between 0"},
		{"/api/exercise/" + c.id + "/join?code=" + c.jc, `{"team":"red"}`, 409, `a team named "Red" has already joined`},
		{"/api/exercise/" + c.id + "/join?code=" + c.jc, `{"team":""}`, 400, "1 to 24 characters"},
	} {
		if code, msg := c.call("POST", tc.path, tc.body, nil); code != tc.code || !strings.Contains(msg, tc.msg) {
			t.Errorf("%s %.80s: %d %s, want %d %q", tc.path, tc.body, code, msg, tc.code, tc.msg)
		}
	}
	if after := c.file(); after != before {
		t.Errorf("refused requests changed the exercise")
	}
	c.ok("POST", c.api("end", c.fac), "{}", nil)
	if code, msg := c.call("POST", c.api("decide", red.TeamToken), `{"round":2,"actions":[]}`, nil); code != 409 || !strings.Contains(msg, "the exercise has ended") {
		t.Errorf("decide after the end: %d %s", code, msg)
	}
}

// Twenty teams at most, and twenty deciding at once are all recorded
// (run with -race).
func TestExerciseTwentyTeams(t *testing.T) {
	c := newExClient(t, New(Config{}), createIntro)
	var teams []joined
	for i := range exercise.MaxTeams {
		teams = append(teams, c.join(fmt.Sprint("Team ", i)))
	}
	if code, msg := c.call("POST", "/api/exercise/"+c.id+"/join?code="+c.jc, `{"team":"21"}`, nil); code != 409 || !strings.Contains(msg, "already has 20 teams") {
		t.Errorf("21st team: %d %s", code, msg)
	}
	var wg sync.WaitGroup
	for i, tm := range teams {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := fmt.Sprintf(`{"round":1,"actions":[{"mission":"mediators","action":"launch","staff":%d}]}`, i)
			if code, msg := c.call("POST", c.api("decide", tm.TeamToken), body, nil); code != 200 {
				t.Errorf("team %d: %d %s", i, code, msg)
			}
			c.call("GET", c.api("state", tm.TeamToken), "", nil)
		}()
	}
	wg.Wait()
	f := c.facState()
	for i, tm := range f.Teams {
		if !tm.Decided || *tm.Decisions[0].Actions[0].Staff != float64(i) {
			t.Errorf("team %d: %+v", i, tm)
		}
	}
	if len(f.Stories) != 22 {
		t.Errorf("%d stories", len(f.Stories))
	}
}

// A long poll answers at once when the version is newer, and otherwise
// when a change comes.
func TestExerciseLongPoll(t *testing.T) {
	c := newExClient(t, New(Config{}), createIntro)
	red := c.join("Red")
	v := c.teamState(red.TeamToken).Version
	got := make(chan int64)
	go func() {
		var tv exercise.TeamState
		c.ok("GET", c.api("state", red.TeamToken)+fmt.Sprintf("&since=%d", v), "", &tv)
		got <- tv.Version
	}()
	select {
	case <-got:
		t.Fatal("the long poll answered before any change")
	case <-time.After(100 * time.Millisecond):
	}
	c.ok("POST", c.api("advance", c.fac), `{"round":1}`, nil)
	select {
	case nv := <-got:
		if nv <= v {
			t.Errorf("version %d after %d", nv, v)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the long poll did not answer the change")
	}
	start := time.Now()
	c.ok("GET", c.api("state", red.TeamToken)+"&since=0", "", nil)
	if time.Since(start) > time.Second {
		t.Error("a poll for an old version waited")
	}
	if code, _ := c.call("GET", c.api("state", red.TeamToken)+"&since=x", "", nil); code != 400 {
		t.Errorf("since=x: %d", code)
	}
}

// A server started from the saved file resumes the exercise at the same
// round with the same decisions, and the teams' links still work.
func TestExerciseRestart(t *testing.T) {
	store := exercise.Dir(t.TempDir())
	c := newExClient(t, New(Config{ExerciseStore: store}), createIntro)
	red := c.join("Red")
	c.ok("POST", c.api("decide", red.TeamToken), `{"round":1,"actions":[{"mission":"mediators","action":"launch","staff":6}]}`, nil)
	c.ok("POST", c.api("advance", c.fac), `{"round":1}`, nil)
	c.ok("POST", c.api("decide", red.TeamToken), `{"round":2,"actions":[{"mission":"mediators","action":"resize","staff":3}]}`, nil)
	before := c.teamState(red.TeamToken)

	st, err := exercise.ReadFile(store.Path(c.id))
	if err != nil {
		t.Fatal(err)
	}
	e, err := exercise.Resume(st, store)
	if err != nil {
		t.Fatal(err)
	}
	c2 := &exClient{t: t, h: New(Config{ExerciseStore: store, Exercises: []*exercise.Exercise{e}}), id: c.id, fac: c.fac, jc: c.jc}
	after := c2.teamState(red.TeamToken)
	if !reflect.DeepEqual(before, after) || after.Round != 2 || len(after.MyDecisions) != 2 {
		t.Errorf("after the restart: round %d, decisions %+v", after.Round, after.MyDecisions)
	}
	c2.ok("POST", c2.api("advance", c.fac), `{"round":2}`, nil)
	if f := c2.facState(); f.Month != 6 {
		t.Errorf("month %d after advancing the resumed exercise", f.Month)
	}

	// Loading the file again: the same exercise is running; fresh=1
	// starts it for a new group.
	data := c2.file()
	if code, msg := c2.call("POST", "/api/exercise/load", data, nil); code != 409 || !strings.Contains(msg, "already running") {
		t.Errorf("load of a running exercise: %d %s", code, msg)
	}
	var cr created
	c2.ok("POST", "/api/exercise/load?fresh=1", data, &cr)
	if cr.ID == c.id || cr.State.Round != 1 || len(cr.State.Teams) != 0 {
		t.Errorf("fresh: %+v", cr.State.View)
	}
	if code, msg := c2.call("POST", "/api/exercise/load", `{"format":"escalate-exercise","version":9}`, nil); code != 400 || !strings.Contains(msg, "version 1") {
		t.Errorf("load of a bad file: %d %s", code, msg)
	}
}

// The pages are served for exercises that exist.
func TestExercisePages(t *testing.T) {
	c := newExClient(t, New(Config{}), createIntro)
	_, err := fs.Stat(webFS, "web/"+exerciseTeamPage)
	have := err == nil
	for _, page := range []string{"facilitator", "join", "team"} {
		w := do(t, c.h, "GET", "/exercise/"+c.id+"/"+page, "")
		switch {
		case have && (w.Code != 200 || !strings.Contains(w.Header().Get("Content-Type"), "text/html")):
			t.Errorf("%s: %d", page, w.Code)
		case !have && (w.Code != 404 || !strings.Contains(w.Body.String(), "not part of this build")):
			t.Errorf("%s without pages: %d %s", page, w.Code, w.Body)
		}
	}
	for _, path := range []string{"/exercise/00000000/team", "/exercise/" + c.id + "/admin"} {
		if w := do(t, c.h, "GET", path, ""); w.Code != 404 {
			t.Errorf("%s: %d", path, w.Code)
		}
	}
}

// Any decision body gets a 200 or a 4xx, never a 5xx, and only a 200
// changes the exercise.
func FuzzExerciseDecide(f *testing.F) {
	f.Add(`{"round":2,"actions":[{"mission":"mediators","action":"resize","staff":3}]}`)
	f.Add(`{"round":2,"actions":[{"mission":"monitors","action":"launch","staff":1e308}]}`)
	f.Add(`{"round":1,"actions":[]}`)
	f.Add(`{"round":2,"actions":[{"mission":"mediators","action":"end","staff":null}]}`)
	f.Add(`{"round":2,"actions":null}`)
	f.Add(`[]`)
	s := New(Config{})
	c := newExClient(f, s, createIntro)
	red := c.join("Red")
	c.ok("POST", c.api("decide", red.TeamToken), `{"round":1,"actions":[{"mission":"mediators","action":"launch"}]}`, nil)
	c.ok("POST", c.api("advance", c.fac), `{"round":1}`, nil)
	e := s.exercise(c.id)
	f.Fuzz(func(t *testing.T, body string) {
		before := string(e.Marshal())
		w := httptest.NewRecorder()
		req := httptest.NewRequest("POST", c.api("decide", red.TeamToken), strings.NewReader(body))
		req.Host = "127.0.0.1:8080"
		s.ServeHTTP(w, req.WithContext(context.Background()))
		switch {
		case w.Code >= 500:
			t.Fatalf("%d for %q: %s", w.Code, body, w.Body)
		case w.Code != 200 && string(e.Marshal()) != before:
			t.Fatalf("a refused decision (%d) changed the exercise", w.Code)
		}
	})
}
