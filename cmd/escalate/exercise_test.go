package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/escalate-sim/escalate/cmd/escalate/internal/exercise"
	"github.com/escalate-sim/escalate/cmd/escalate/internal/serve"
	"github.com/escalate-sim/escalate/scenarios"
	"github.com/escalate-sim/escalate/sim"
)

// exerciseCall sends a request to the workshop server and decodes its
// JSON answer into out (if not nil); it returns the body.
func exerciseCall(t *testing.T, h *serve.Server, method, path, body string, out any) []byte {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Host = "127.0.0.1:8080"
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if w.Code != 200 {
		t.Fatalf("%s %s: %d %s", method, path, w.Code, w.Body)
	}
	if out != nil {
		if err := json.Unmarshal(w.Body.Bytes(), out); err != nil {
			t.Fatal(err)
		}
	}
	return w.Body.Bytes()
}

// A whole exercise of workshop-intro, two teams over three rounds through
// the HTTP API, and the command line on what it exports:
//   - the debrief's comparison is, byte for byte, what the escalate
//     compare command of its command field prints on the exported file;
//   - each team's story of months 0..M is sim.Trace of its strategy in
//     that file;
//   - the played world's outcome under each strategy is row world of the
//     runs.csv escalate run writes for that strategy.
func TestExerciseDebriefIsCompare(t *testing.T) {
	const runs, world = 600, 1 // run 1 reaches war under the plan as written
	h := serve.New(serve.Config{})
	var cr struct {
		ID               string
		FacilitatorToken string `json:"facilitator_token"`
		JoinCode         string `json:"join_code"`
	}
	exerciseCall(t, h, "POST", "/api/exercise", fmt.Sprintf(`{"scenario":"workshop-intro","round_months":3,"world":%d,"debrief_runs":%d}`, world, runs), &cr)
	api := func(what, token string) string { return "/api/exercise/" + cr.ID + "/" + what + "?token=" + token }
	var teams [2]struct {
		Team      string
		Strategy  string
		TeamToken string `json:"team_token"`
	}
	for i, name := range []string{"Red", "Blue"} {
		exerciseCall(t, h, "POST", "/api/exercise/"+cr.ID+"/join?code="+cr.JoinCode, `{"team":"`+name+`"}`, &teams[i])
	}
	decisions := [3][2]string{
		{`[{"mission":"mediators","action":"launch","staff":8},{"mission":"legal_advisers","action":"launch"}]`, `[]`},
		{`[{"mission":"monitors","action":"launch","staff":30}]`, `[{"mission":"mediators","action":"launch","staff":4}]`},
		{`[{"mission":"mediators","action":"resize","staff":3}]`, `[{"mission":"mediators","action":"end"}]`},
	}
	var stories [2][]*exercise.Story
	for r, ds := range decisions {
		for i, d := range ds {
			exerciseCall(t, h, "POST", api("decide", teams[i].TeamToken), fmt.Sprintf(`{"round":%d,"actions":%s}`, r+1, d), nil)
		}
		if r == 1 {
			exerciseCall(t, h, "POST", api("event", cr.FacilitatorToken), `{"country":"arcadia","size":0.2,"name":"riots"}`, nil)
		}
		exerciseCall(t, h, "POST", api("advance", cr.FacilitatorToken), fmt.Sprintf(`{"round":%d}`, r+1), nil)
		for i := range teams {
			var v exercise.TeamState
			exerciseCall(t, h, "GET", api("state", teams[i].TeamToken), "", &v)
			stories[i] = append(stories[i], v.Story)
		}
	}
	exerciseCall(t, h, "POST", api("end", cr.FacilitatorToken), "", nil)
	var d exercise.Debrief
	exerciseCall(t, h, "GET", api("debrief", cr.FacilitatorToken), "", &d)
	comparison := exerciseCall(t, h, "GET", api("comparison.json", teams[0].TeamToken), "", nil)
	export := exerciseCall(t, h, "GET", api("export.toml", cr.FacilitatorToken), "", nil)

	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, d.ExportName), export, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	args := strings.Fields(d.Command)
	if args[0] != "escalate" || args[1] != "compare" || args[2] != d.ExportName {
		t.Fatalf("command %q", d.Command)
	}
	out, errs, code := escalate(t, args[1:]...)
	if code != 0 {
		t.Fatalf("%s: %s", d.Command, errs)
	}
	if out != string(comparison) {
		t.Errorf("the debrief's comparison differs from %s:\n%s\nwant\n%s", d.Command, comparison, out)
	}

	f, err := scenarios.Load(d.ExportName)
	if err != nil {
		t.Fatal(err)
	}
	for i, tm := range teams {
		sc, err := f.Strategy(tm.Strategy)
		if err != nil {
			t.Fatal(err)
		}
		p, err := sim.Trace(sc, 2011, world, sim.StreamsV1)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range stories[i] {
			m := s.Month
			if !reflect.DeepEqual(s.Countries[0].Tension, p.Countries[0].Tension[:m+1]) {
				t.Errorf("%s, month %d: the story's tension is not the trace's", tm.Team, m)
			}
			for k, ms := range s.Missions {
				if !reflect.DeepEqual(ms.Staff, p.Interventions[k].Staff[:m+1]) || ms.ID != p.Interventions[k].ID {
					t.Errorf("%s, month %d, %s: staff %v, trace %v", tm.Team, m, ms.ID, ms.Staff, p.Interventions[k].Staff[:m+1])
				}
			}
		}
	}

	sawWar := false
	for _, r := range d.World.Rank {
		outDir := "runs-" + r.Strategy
		if _, errs, code := escalate(t, "run", d.ExportName, "--strategy", r.Strategy, "--runs", strconv.Itoa(runs), "--seed", "2011", "--out", outDir, "--no-plots"); code != 0 {
			t.Fatal(errs)
		}
		row := runsRow(t, filepath.Join(outDir, "runs.csv"), world)
		first := ""
		if r.FirstWar >= 0 {
			first = strconv.Itoa(r.FirstWar)
		}
		got := []string{strconv.FormatBool(r.War), first, strconv.Itoa(r.WarMonths), fmt.Sprintf("%.2f", r.Cost)}
		want := []string{row["ever_war"], row["first_war_month"], row["war_months"], row["cost"]}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: the played world %v, runs.csv row %d %v", r.Strategy, got, world, want)
		}
		sawWar = sawWar || r.War
	}
	if !sawWar {
		t.Error("the test wants a world that reaches war under some strategy")
	}
}

// syncBuffer is a bytes.Buffer safe for one writer and one reader.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// runsRow returns the row of run index run of a runs.csv, by column.
func runsRow(t *testing.T, path string, run int) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comment = '#'
	header, err := r.Read()
	if err != nil {
		t.Fatal(err)
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if rec[0] == strconv.Itoa(run) {
			row := map[string]string{}
			for i, h := range header {
				row[h] = rec[i]
			}
			return row
		}
	}
	t.Fatalf("%s has no run %d", path, run)
	return nil
}

// escalate serve --resume serves a saved exercise again and says where.
func TestServeResumeFlag(t *testing.T) {
	dir := t.TempDir()
	e, err := exercise.New(exercise.Config{Scenario: "workshop-intro", RoundMonths: 6, World: 3, DebriefRuns: 100}, exercise.Dir(dir))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Advance(1); err != nil {
		t.Fatal(err)
	}
	path := exercise.Dir(dir).Path(e.ID())
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"serve", "--resume", filepath.Join(dir, "none.json"), "--exercise-dir", dir}, 1, "none.json: no such file"},
		{[]string{"serve", "--resume", filepath.Join(dir), "--exercise-dir", dir}, 1, "not a regular file"},
	} {
		_, errs, code := escalate(t, tc.args...)
		if code != tc.code || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d %q", tc.args, code, errs)
		}
	}
	// Resumed, it says where it saves and how the facilitator gets back in.
	ctx, cancel := context.WithCancel(context.Background())
	var out, errb syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--listen", "127.0.0.1:0", "--resume", path, "--exercise-dir", dir}, &out, &errb)
	}()
	for start := time.Now(); !strings.Contains(out.String(), "Workshop page") && time.Since(start) < 10*time.Second; {
		time.Sleep(20 * time.Millisecond)
	}
	// A team's long poll does not hold the server up at Ctrl-C.
	st := e.State()
	addr := regexp.MustCompile(`http://127\.0\.0\.1:[0-9]+`).FindString(out.String())
	polled := make(chan int, 1)
	go func() {
		resp, err := http.Get(fmt.Sprintf("%s/api/exercise/%s/state?token=%s&since=%d", addr, st.ID, st.FacilitatorToken, st.Changes))
		if err != nil {
			polled <- 0
			return
		}
		resp.Body.Close()
		polled <- resp.StatusCode
	}()
	time.Sleep(200 * time.Millisecond)
	start := time.Now()
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err, errb.String())
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("stopping with a long poll open took %v", d)
	}
	if code := <-polled; code != 200 {
		t.Errorf("the long poll got %d at shutdown, want the state", code)
	}
	for _, want := range []string{"Exercises are saved in " + dir, "Exercise " + st.ID + " resumed at month 6 (deciding, round 2)",
		"/exercise/" + st.ID + "/facilitator?token=" + st.FacilitatorToken} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	bad := filepath.Join(dir, "bad.json")
	data, _ := os.ReadFile(path)
	os.WriteFile(bad, []byte(strings.Replace(string(data), `"round_months": 6`, `"round_months": 0`, 1)), 0o644)
	if _, errs, code := escalate(t, "serve", "--resume", bad, "--exercise-dir", dir); code != 1 || !strings.Contains(errs, "bad.json: round_months: must be between 1") {
		t.Errorf("a bad file: exit %d %q", code, errs)
	}
}
