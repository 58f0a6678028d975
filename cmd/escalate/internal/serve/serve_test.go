package serve

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/escalate-sim/escalate/job/resultfile"
	"github.com/escalate-sim/escalate/scenarios"
	"github.com/escalate-sim/escalate/sim"
)

// sseEvent is one server-sent event.
type sseEvent struct {
	Kind string
	Data json.RawMessage
}

func readEvents(t testing.TB, r io.Reader) []sseEvent {
	t.Helper()
	var out []sseEvent
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	var kind string
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "event: "):
			kind = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			out = append(out, sseEvent{kind, json.RawMessage(strings.TrimPrefix(line, "data: "))})
		}
	}
	return out
}

func do(t testing.TB, h http.Handler, method, target, body string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	req.Host = "127.0.0.1:8080"
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

// runState runs st through the handler and returns its events.
func runState(t testing.TB, h http.Handler, st State) []sseEvent {
	t.Helper()
	body, _ := json.Marshal(runRequest{State: st})
	w := do(t, h, "POST", "/api/run", string(body))
	if w.Code != http.StatusOK {
		t.Fatalf("run: status %d: %s", w.Code, w.Body)
	}
	return readEvents(t, w.Body)
}

func lastView(t testing.TB, evs []sseEvent) *View {
	t.Helper()
	if len(evs) == 0 || evs[len(evs)-1].Kind != "done" {
		t.Fatalf("the stream did not end with done: %v", evs)
	}
	var v View
	if err := json.Unmarshal(evs[len(evs)-1].Data, &v); err != nil {
		t.Fatal(err)
	}
	return &v
}

// expected runs the same job as the command line would, directly.
func expected(t testing.TB, st State) *sim.Summary {
	t.Helper()
	b, err := build(st, Limits{}.withDefaults())
	if err != nil {
		t.Fatal(err)
	}
	res, err := sim.Run(context.Background(), b.Scenario, sim.Options{Seed: b.Seed, Runs: b.Runs})
	if err != nil {
		t.Fatal(err)
	}
	return sim.Summarize(b.Scenario, res, b.Seed)
}

func TestStaticAndScenarios(t *testing.T) {
	s := New(Config{})
	for _, tc := range []struct{ path, want, ctype string }{
		{"/", `<script src="static/app.js"`, "text/html"},
		{"/static/app.js", "function run()", "javascript"},
		{"/static/style.css", "--war: #d55e00", "text/css"},
		{"/api/scenarios", `"guinea-2009"`, "application/json"},
	} {
		w := do(t, s, "GET", tc.path, "")
		if w.Code != 200 || !strings.Contains(w.Body.String(), tc.want) || !strings.Contains(w.Header().Get("Content-Type"), tc.ctype) {
			t.Errorf("GET %s: %d %s, body lacks %q", tc.path, w.Code, w.Header().Get("Content-Type"), tc.want)
		}
	}
	if w := do(t, s, "GET", "/nothing", ""); w.Code != 404 {
		t.Errorf("GET /nothing: %d", w.Code)
	}
}

func TestDescribe(t *testing.T) {
	s := New(Config{})
	w := do(t, s, "POST", "/api/scenario", `{"scenario": "guinea-2009"}`)
	var d Description
	if err := json.Unmarshal(w.Body.Bytes(), &d); err != nil || w.Code != 200 {
		t.Fatalf("%d %v %s", w.Code, err, w.Body)
	}
	if len(d.Missions) != 4 || d.Missions[1].ID != "unowa" || d.Missions[1].Staff != 3 || d.Horizon != 36 {
		t.Errorf("missions %+v", d.Missions)
	}
	byID := map[string]Strategy{}
	for _, st := range d.Strategies {
		byID[st.ID] = st
	}
	if len(byID["none"].Off) != 4 || len(byID["historical"].Off) != 0 || byID["staff"].Missions[1].Staff != 6 {
		t.Errorf("strategies: %+v", d.Strategies)
	}
	if !strings.Contains(d.Missions[1].Words, "Mediation in Guinea: 3 staff, launched in month 0, 1 month's start-up delay") {
		t.Errorf("words: %q", d.Missions[1].Words)
	}
}

// A pasted file gets the messages of escalate validate, with their lines.
func TestPastedErrorsAsValidate(t *testing.T) {
	src, _ := scenarios.ShippedSource("workshop-intro")
	bad := strings.Replace(string(src), "horizon_months = 36", "horizon_months = -3", 1)
	_, perr := scenarios.Parse(pastedName, []byte(bad))
	want := scenarios.AsErrors(perr)
	if len(want) == 0 {
		t.Fatal("the edit did not make the file invalid")
	}
	body, _ := json.Marshal(State{Source: bad})
	w := do(t, New(Config{}), "POST", "/api/scenario", string(body))
	var got struct{ Problems Problems }
	json.Unmarshal(w.Body.Bytes(), &got)
	if w.Code != http.StatusUnprocessableEntity || len(got.Problems) != len(want) {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	for i, p := range got.Problems {
		if p.Message != want[i].Error() || p.Line != want[i].Line || p.Line == 0 || p.Control != "source" {
			t.Errorf("problem %d = %+v, want %q on line %d", i, p, want[i].Error(), want[i].Line)
		}
	}
}

// The page's numbers are those of escalate run with the same changes at
// the same seed, and the first picture comes before the end.
func TestRunEqualsCommandLine(t *testing.T) {
	st := State{Scenario: "guinea-2009", Strategy: "historical", Sets: []string{"intervention.unowa.staff=6"}, Events: []string{"guinea:12:0.3:coup"}, Disable: []string{"ohchr"}, Runs: 5000}
	evs := runState(t, New(Config{}), st)
	if evs[0].Kind != "progress" {
		t.Errorf("first event %s, want progress", evs[0].Kind)
	}
	v := lastView(t, evs)
	want := expected(t, st)
	c := want.Countries[0]
	if v.Outcome.PWar != c.PWar || v.Outcome.PWarCI95 != c.PWarCI95 || v.Outcome.WarMonthsMean != c.WarMonths.Mean || v.Outcome.CostMean != c.Cost.Mean || v.Done != 5000 {
		t.Errorf("page %+v, command line p_war %v %v months %v cost %v", v.Outcome, c.PWar, c.PWarCI95, c.WarMonths.Mean, c.Cost.Mean)
	}
	if want := "escalate run guinea-2009 --runs 5000 --seed 20091228 --strategy historical --set intervention.unowa.staff=6 --event guinea:12:0.3:coup --disable ohchr"; v.Command != want {
		t.Errorf("command %q, want %q", v.Command, want)
	}
	// The interval narrows as runs accumulate.
	var first View
	json.Unmarshal(evs[0].Data, &first)
	if w0, w1 := first.Outcome.PWarCI95[1]-first.Outcome.PWarCI95[0], v.Outcome.PWarCI95[1]-v.Outcome.PWarCI95[0]; !(w1 < w0) {
		t.Errorf("interval %g after %d runs, %g after %d", w0, first.Done, w1, v.Done)
	}
}

// A pasted file runs as the shipped scenario it copies.
func TestPastedRun(t *testing.T) {
	src, _ := scenarios.ShippedSource("workshop-intro")
	s := New(Config{})
	pasted := lastView(t, runState(t, s, State{Source: string(src), Runs: 2000}))
	shipped := lastView(t, runState(t, s, State{Scenario: "workshop-intro", Runs: 2000}))
	if pasted.Outcome != shipped.Outcome || !strings.HasPrefix(pasted.Command, "escalate run pasted.toml --runs 2000") {
		t.Errorf("pasted %+v (%s), shipped %+v", pasted.Outcome, pasted.Command, shipped.Outcome)
	}
}

func TestBadInput(t *testing.T) {
	big := `{"state": {"source": "` + strings.Repeat("x", 3<<20) + `"}}`
	for _, tc := range []struct {
		name, path, body string
		status           int
		control, want    string
	}{
		{"malformed", "/api/run", `{"state": `, 400, "", "malformed JSON request"},
		{"unknown field", "/api/run", `{"stat": {}}`, 400, "", `unknown field "stat"`},
		{"empty", "/api/run", ``, 400, "", "empty request"},
		{"two values", "/api/run", `{} {}`, 400, "", "more than one JSON value"},
		{"no scenario", "/api/run", `{"state": {}}`, 422, "scenario", "choose a shipped scenario"},
		{"unknown scenario", "/api/run", `{"state": {"scenario": "atlantis"}}`, 422, "scenario", `no shipped scenario "atlantis"`},
		{"huge runs", "/api/run", `{"state": {"scenario": "guinea-2009", "runs": 1000000000}}`, 422, "runs", "--runs: must be between 1 and 1000000"},
		{"negative runs", "/api/run", `{"state": {"scenario": "guinea-2009", "runs": -5}}`, 422, "runs", "got -5"},
		{"bad set", "/api/run", `{"state": {"scenario": "guinea-2009", "sets": ["intervention.unowa.staff=-3"]}}`, 422, "set", "intervention.unowa.staff: must be"},
		{"unknown key", "/api/run", `{"state": {"scenario": "guinea-2009", "sets": ["intervention.unowa.staf=3"]}}`, 422, "set", `did you mean`},
		{"bad event", "/api/run", `{"state": {"scenario": "guinea-2009", "events": ["guinea:3:0.1", "guinea:99:0.1"]}}`, 422, "event", "between 1 and horizon_months (36), got 99"},
		{"bad disable", "/api/run", `{"state": {"scenario": "guinea-2009", "disable": ["unowa", "nobody"]}}`, 422, "disable", `no intervention "nobody"`},
		{"bad strategy", "/api/run", `{"state": {"scenario": "guinea-2009", "strategy": "fastest"}}`, 422, "strategy", `no strategy "fastest"`},
		{"both sources", "/api/scenario", `{"scenario": "guinea-2009", "source": "x = 1"}`, 422, "scenario", "not both"},
		{"too big", "/api/run", big, 413, "", "larger than this server's limit"},
		{"wrong type", "/api/run", `{"state": {"runs": "many"}}`, 400, "", "malformed JSON request"},
		{"baseline unknown", "/api/baseline", `{"entry": 42}`, 400, "", "no what-if 42"},
		{"download nothing", "/api/download/chart.png", ``, 400, "", "no what-if has run yet"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			method := "POST"
			if strings.HasPrefix(tc.path, "/api/download") {
				method = "GET"
			}
			w := do(t, New(Config{}), method, tc.path, tc.body)
			var got struct {
				Error    string
				Problems Problems
			}
			json.Unmarshal(w.Body.Bytes(), &got)
			if w.Code != tc.status || !strings.Contains(got.Error, tc.want) {
				t.Fatalf("status %d, error %q; want %d and %q", w.Code, got.Error, tc.status, tc.want)
			}
			if tc.control != "" && (len(got.Problems) == 0 || got.Problems[0].Control != tc.control) {
				t.Errorf("problems %+v, want control %s", got.Problems, tc.control)
			}
		})
	}
	// Which of several events is wrong is said, so the page marks it.
	w := do(t, New(Config{}), "POST", "/api/run", `{"state": {"scenario": "guinea-2009", "events": ["guinea:3:0.1", "guinea:99:0.1"]}}`)
	if !strings.Contains(w.Body.String(), `"index": 1`) {
		t.Errorf("the second event is not named: %s", w.Body)
	}
}

func TestTokenAndHost(t *testing.T) {
	s := New(Config{Token: "s3cret"})
	for _, tc := range []struct {
		method, target, host string
		status               int
	}{
		{"GET", "/", "127.0.0.1:8080", 200}, // the page itself runs nothing
		{"GET", "/static/app.js", "127.0.0.1:8080", 200},
		{"GET", "/api/scenarios", "127.0.0.1:8080", 403},
		{"GET", "/api/scenarios?token=wrong", "127.0.0.1:8080", 403},
		{"GET", "/api/scenarios?token=s3cret", "127.0.0.1:8080", 200},
		{"POST", "/api/run", "127.0.0.1:8080", 403},
		{"POST", "/api/baseline", "127.0.0.1:8080", 403},
		{"GET", "/api/download/history.csv", "127.0.0.1:8080", 403},
		{"GET", "/api/history?token=s3cret", "192.168.1.20:8080", 200},
		{"GET", "/api/history?token=s3cret", "attacker.example:8080", 421},
		{"GET", "/", "attacker.example", 421},
	} {
		req := httptest.NewRequest(tc.method, tc.target, strings.NewReader("{}"))
		req.Host = tc.host
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		if w.Code != tc.status {
			t.Errorf("%s %s (Host %s): %d, want %d: %s", tc.method, tc.target, tc.host, w.Code, tc.status, w.Body)
		}
	}
	lo := New(Config{Loopback: true})
	for host, want := range map[string]int{"127.0.0.1:8080": 200, "localhost:8080": 200, "[::1]:8080": 200, "192.168.1.20:8080": 421, "rebind.example:8080": 421} {
		req := httptest.NewRequest("GET", "/api/history", nil)
		req.Host = host
		w := httptest.NewRecorder()
		lo.ServeHTTP(w, req)
		if w.Code != want {
			t.Errorf("loopback server, Host %s: %d, want %d", host, w.Code, want)
		}
	}
}

// A pinned baseline makes every later what-if a paired comparison with the
// statistics of escalate compare.
func TestBaselinePaired(t *testing.T) {
	s := New(Config{})
	base := State{Scenario: "guinea-2009", Strategy: "historical", Runs: 3000}
	v1 := lastView(t, runState(t, s, base))
	if w := do(t, s, "POST", "/api/baseline", `{"entry": 1}`); w.Code != 200 {
		t.Fatalf("pin: %d %s", w.Code, w.Body)
	}
	whatif := State{Scenario: "guinea-2009", Strategy: "historical", Disable: []string{"unowa", "ecowas"}, Runs: 3000}
	v2 := lastView(t, runState(t, s, whatif))
	if v2.Baseline == nil || v2.Baseline.Entry != v1.Entry {
		t.Fatalf("no baseline in %+v", v2)
	}
	bb, _ := build(base, s.lim)
	wb, _ := build(whatif, s.lim)
	variants := []*sim.Scenario{bb.Scenario, wb.Scenario}
	cmp, err := sim.Compare(context.Background(), variants, sim.Options{Seed: wb.Seed, Runs: 3000})
	if err != nil {
		t.Fatal(err)
	}
	hl, _ := sim.NewHeadline(bb.Scenario, "")
	cs := sim.SummarizeComparison(variants, []sim.Variant{{ID: "baseline"}, {ID: "whatif"}}, cmp, wb.Seed, hl)
	if got, want := v2.Baseline.Vs, cs.Strategies[1].VsBaseline; got.PWarDiff != want.PWarDiff || got.PWarDiffCI95 != want.PWarDiffCI95 || got.WarMonthsDiff != want.WarMonthsDiff {
		t.Errorf("paired %+v, compare says %+v", got, want)
	}
	// Fewer missions: more war, and the baseline in the pair is the
	// baseline's own result (same seed and runs).
	if v2.Baseline.Vs.PWarDiff <= 0 || v2.Baseline.Outcome.PWar != v1.Outcome.PWar {
		t.Errorf("diff %g, baseline %g vs %g", v2.Baseline.Vs.PWarDiff, v2.Baseline.Outcome.PWar, v1.Outcome.PWar)
	}
	// The history lists both, the second compared with the first.
	var h struct {
		Baseline int
		Entries  []entry
	}
	json.Unmarshal(do(t, s, "GET", "/api/history", "").Body.Bytes(), &h)
	if h.Baseline != 1 || len(h.Entries) != 2 || h.Entries[1].Baseline == nil || h.Entries[1].Changes != "strategy historical; unowa off; ecowas off" {
		t.Errorf("history %+v", h)
	}
	// The entry's picture comes back.
	var again View
	json.Unmarshal(do(t, s, "GET", "/api/entry/2", "").Body.Bytes(), &again)
	if again.Outcome != v2.Outcome {
		t.Errorf("entry 2: %+v, was %+v", again.Outcome, v2.Outcome)
	}
	if w := do(t, s, "GET", "/api/entry/x", ""); w.Code != 400 {
		t.Errorf("entry x: %d", w.Code)
	}
	csv := do(t, s, "GET", "/api/download/history.csv", "").Body.String()
	if lines := strings.Split(strings.TrimSpace(csv), "\n"); len(lines) != 3 || !strings.HasPrefix(lines[0], "id,scenario,changes") || !strings.Contains(lines[1], "true") {
		t.Errorf("history.csv:\n%s", csv)
	}
	// A what-if of another scenario is not paired, and says why.
	other := lastView(t, runState(t, s, State{Scenario: "workshop-intro", Runs: 500}))
	if other.Baseline != nil || !strings.Contains(other.BaselineNote, "not compared with baseline #1: it is a what-if of guinea-2009") {
		t.Errorf("other scenario: baseline %+v, note %q", other.Baseline, other.BaselineNote)
	}
	// Unpin.
	if w := do(t, s, "POST", "/api/baseline", `{"entry": 0}`); w.Code != 200 {
		t.Errorf("unpin: %d", w.Code)
	}
}

func TestDownloads(t *testing.T) {
	s := New(Config{})
	st := State{Scenario: "guinea-2009", Strategy: "fast", Sets: []string{"intervention.unowa.staff=6", "intervention.inquiry.trigger=\"escalating\"", "intervention.inquiry.start_month=0"}, Events: []string{"guinea:12:0.3:coup"}, Shocks: []string{"guinea:2:0.05"}, Disable: []string{"ohchr"}, Runs: 1500}
	if w := do(t, s, "POST", "/api/run", `{"state": {"scenario": "guinea-2009", "sets": ["intervention.inquiry.trigger=\"escalating\""]}}`); w.Code != 422 || !strings.Contains(w.Body.String(), "give either start_month or trigger") {
		t.Errorf("trigger with the file's start_month: %d %s", w.Code, w.Body)
	}
	st.Sets = st.Sets[:1]
	page := lastView(t, runState(t, s, st))
	for _, tc := range []struct{ what, magic string }{
		{"chart.png", "\x89PNG"}, {"chart.svg", "<?xml"}, {"chart.pdf", "%PDF"},
	} {
		w := do(t, s, "GET", "/api/download/"+tc.what+"?entry=1", "")
		if w.Code != 200 || !strings.HasPrefix(w.Body.String(), tc.magic) || !strings.Contains(w.Header().Get("Content-Disposition"), "attachment") {
			t.Errorf("%s: %d %q", tc.what, w.Code, w.Body.String()[:min(40, w.Body.Len())])
		}
	}
	// The summary is the escalate run job's file: the numbers the page
	// showed, and the job it records is the page's command.
	w := do(t, s, "GET", "/api/download/summary.json", "")
	file, prov, err := resultfile.Parse("summary.json", w.Body.Bytes())
	if err != nil {
		t.Fatalf("summary.json: %d %v\n%s", w.Code, err, w.Body)
	}
	sum := file.(*resultfile.Summary)
	if c := sum.Countries[0]; c.PWar != page.Outcome.PWar || c.PWarCI95 != page.Outcome.PWarCI95 || sum.Runs != page.Runs {
		t.Errorf("summary.json: P(war) %v %v over %d runs; the page: %v %v over %d", c.PWar, c.PWarCI95, sum.Runs, page.Outcome.PWar, page.Outcome.PWarCI95, page.Runs)
	}
	if prov.Command != page.Command || prov.Job == nil || len(prov.Job.Events) != 1 || len(prov.Job.Shocks) != 1 || len(prov.Job.Disable) != 1 {
		t.Errorf("summary.json records %q (%+v); the page ran %q", prov.Command, prov.Job, page.Command)
	}
	for what, want := range map[string]int{"chart.gif": 400, "comparison.json": 400, "nothing": 404} {
		if w := do(t, s, "GET", "/api/download/"+what, ""); w.Code != want {
			t.Errorf("%s: %d, want %d: %s", what, w.Code, want, w.Body)
		}
	}
	// The scenario file, with the changes as [strategy.workshop], gives
	// the very scenario the page ran.
	w = do(t, s, "GET", "/api/download/scenario.toml", "")
	f, err := scenarios.Parse("export.toml", w.Body.Bytes())
	if err != nil {
		t.Fatalf("exported file does not parse: %v\n%s", err, w.Body)
	}
	got, err := f.Strategy("workshop")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := build(st, s.lim)
	got.Name = b.Scenario.Name
	gj, _ := json.Marshal(got)
	wj, _ := json.Marshal(b.Scenario)
	if !bytes.Equal(gj, wj) {
		t.Errorf("exported strategy differs from the what-if:\n%s\n%s", gj, wj)
	}
}

// A dropped connection stops its what-if: no goroutine or slot is left.
func TestCancelLeavesNothing(t *testing.T) {
	s := New(Config{Limits: Limits{MaxJobs: 1}})
	srv := httptest.NewServer(s)
	defer srv.Close()
	before := runtime.NumGoroutine()
	for range 3 {
		ctx, cancel := context.WithCancel(context.Background())
		req, _ := http.NewRequestWithContext(ctx, "POST", srv.URL+"/api/run", strings.NewReader(`{"state": {"scenario": "guinea-2009", "runs": 1000000}}`))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		// Wait for the first picture (the previous what-if may still
		// be giving its slot back: the server notices a dropped
		// connection a moment later).
		br := bufio.NewReader(resp.Body)
		for {
			line, err := br.ReadString('\n')
			if err != nil {
				t.Fatalf("stream ended before a picture: %v", err)
			}
			if strings.HasPrefix(line, "event: progress") {
				break
			}
		}
		cancel()
		resp.Body.Close()
	}
	// The single slot is free again: a small what-if runs to the end
	// (a million runs would take many seconds).
	start := time.Now()
	evs := readEvents(t, postRun(t, srv.URL, `{"state": {"scenario": "guinea-2009", "runs": 600}}`))
	if evs[len(evs)-1].Kind != "done" || time.Since(start) > 3*time.Second {
		t.Errorf("a cancelled what-if still holds the slot: %v after %v", evs[len(evs)-1].Kind, time.Since(start))
	}
	http.DefaultClient.CloseIdleConnections()
	waitGoroutines(t, before)
}

func postRun(t testing.TB, url, body string) io.Reader {
	t.Helper()
	resp, err := http.Post(url+"/api/run", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return bytes.NewReader(data)
}

// waitGoroutines waits for the goroutine count to come back to before
// (with a little slack for the runtime's own).
func waitGoroutines(t testing.TB, before int) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for runtime.NumGoroutine() > before+2 {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			n := runtime.Stack(buf, true)
			t.Fatalf("%d goroutines, %d before:\n%s", runtime.NumGoroutine(), before, buf[:n])
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// More what-ifs than slots wait their turn instead of failing; a newer
// what-if from the same page cancels its older one.
func TestQueueAndReplace(t *testing.T) {
	s := New(Config{Limits: Limits{MaxJobs: 1}})
	srv := httptest.NewServer(s)
	defer srv.Close()
	first := make(chan []sseEvent)
	go func() {
		first <- readEvents(t, postRun(t, srv.URL, `{"state": {"scenario": "guinea-2009", "runs": 1000000}, "client": "tab1"}`))
	}()
	time.Sleep(100 * time.Millisecond) // let it take the slot
	second := make(chan []sseEvent)
	go func() {
		second <- readEvents(t, postRun(t, srv.URL, `{"state": {"scenario": "guinea-2009", "runs": 600}, "client": "tab2"}`))
	}()
	time.Sleep(100 * time.Millisecond)
	third := readEvents(t, postRun(t, srv.URL, `{"state": {"scenario": "guinea-2009", "runs": 600}, "client": "tab1"}`))
	f := <-first
	if last := f[len(f)-1]; last.Kind != "problem" || !strings.Contains(string(last.Data), "replaced by a newer what-if") {
		t.Errorf("tab1's first what-if ended with %s %s", last.Kind, last.Data)
	}
	sec := <-second
	if sec[0].Kind != "queued" || sec[len(sec)-1].Kind != "done" {
		t.Errorf("tab2: %s ... %s", sec[0].Kind, sec[len(sec)-1].Kind)
	}
	if third[len(third)-1].Kind != "done" {
		t.Errorf("tab1's second what-if: %s", third[len(third)-1].Kind)
	}
}

// The history keeps numbers for every what-if but aggregates only for the
// newest, so memory stays flat over a long workshop.
func TestHistoryStaysCompact(t *testing.T) {
	s := New(Config{Limits: Limits{MaxHistory: 30, KeepDetail: 5}})
	for i := range 40 {
		lastView(t, runState(t, s, State{Scenario: "workshop-intro", Runs: 50, Seed: ptr(uint64(i))}))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	kept := 0
	for _, e := range s.hist.entries {
		if e.result != nil {
			kept++
		}
	}
	if len(s.hist.entries) != 30 || kept != 5 || s.hist.entries[0].ID != 11 {
		t.Errorf("%d entries (first %d), %d with aggregates", len(s.hist.entries), s.hist.entries[0].ID, kept)
	}
}

func ptr[T any](v T) *T { return &v }

func FuzzRunRequest(f *testing.F) {
	for _, s := range []string{
		`{"state": {"scenario": "guinea-2009", "runs": 100}}`,
		`{"state": {"scenario": "guinea-2009", "runs": 100, "events": ["guinea:3:0.2"], "sets": ["country.guinea.volatility=0.1"]}}`,
		`{"state": {"source": "horizon_months = 3\n[country.a]\n", "runs": 10}}`,
		`{"state": {"scenario": "x"}}`, `[]`, `null`, `{"state": {"seed": -1}}`,
	} {
		f.Add(s)
	}
	s := New(Config{Limits: Limits{MaxRuns: 200}})
	f.Fuzz(func(t *testing.T, body string) {
		w := do(t, s, "POST", "/api/run", body)
		if w.Code >= 500 {
			t.Fatalf("status %d for %q: %s", w.Code, body, w.Body)
		}
	})
}

// A what-if that streams for longer than the server's ReadTimeout is not
// cut off: the read deadline covers the request, not the stream.
func TestStreamOutlivesReadTimeout(t *testing.T) {
	ts := httptest.NewUnstartedServer(New(Config{}))
	ts.Config.ReadTimeout = 300 * time.Millisecond
	ts.Start()
	defer ts.Close()
	start := time.Now()
	evs := readEvents(t, postRun(t, ts.URL, `{"state": {"scenario": "guinea-2009", "runs": 150000}}`))
	if last := evs[len(evs)-1]; last.Kind != "done" {
		t.Fatalf("after %v the stream ended with %s %s", time.Since(start), last.Kind, last.Data)
	}
	if time.Since(start) < 300*time.Millisecond {
		t.Skip("the what-if finished before the read deadline; the test proves nothing on this machine")
	}
}
