package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/escalate-sim/escalate/cmd/escalate/internal/serve"
)

// The page's summary download is, byte for byte, what escalate run
// --format json writes for the page's command, and replay confirms it.
func TestServeSummaryIsRunJSON(t *testing.T) {
	srv := serve.New(serve.Config{})
	ts := newLoopbackServer(t, srv)
	resp, err := http.Post(ts+"/api/run", "application/json", strings.NewReader(`{"state": {"scenario": "guinea-2009", "runs": 2000,
		"sets": ["intervention.unowa.staff=6"], "events": ["guinea:12:0.3:coup"], "disable": ["ohchr"]}}`))
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	got, err := http.Get(ts + "/api/download/summary.json")
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(got.Body)
	got.Body.Close()
	want, errs, code := escalate(t, "run", "guinea-2009", "--runs", "2000", "--set", "intervention.unowa.staff=6", "--event", "guinea:12:0.3:coup", "--disable", "ohchr", "--format", "json")
	if code != 0 {
		t.Fatal(errs)
	}
	if string(data) != want {
		t.Errorf("download differs from escalate run:\n%s\nwant\n%s", data, want)
	}
	path := filepath.Join(t.TempDir(), "summary.json")
	os.WriteFile(path, data, 0o644)
	if out, errs, code := escalate(t, "replay", path); code != 0 || !strings.Contains(out, "byte-identical") {
		t.Errorf("replay: %d %s %s", code, out, errs)
	}
}

// newLoopbackServer serves h on a loopback port until the test ends.
func newLoopbackServer(t *testing.T, h http.Handler) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &http.Server{Handler: h}
	go s.Serve(ln)
	t.Cleanup(func() { s.Close() })
	return "http://" + ln.Addr().String()
}

// A taken default port moves to the next; an explicit one does not.
func TestListenNextFreePort(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	addr := taken.Addr().String()
	ln, loopback, err := listenServe(addr, false)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	if ln.Addr().String() == addr || !loopback {
		t.Errorf("got %s (loopback %v), want the port after %s", ln.Addr(), loopback, addr)
	}
	if _, _, err := listenServe(addr, true); err == nil {
		t.Error("an explicit --listen on a taken port succeeded")
	}
	for _, bad := range []string{"8080", "127.0.0.1:http2", "127.0.0.1:70000"} {
		if _, _, err := listenServe(bad, true); exitCode(err) != 2 {
			t.Errorf("--listen %s: %v", bad, err)
		}
	}
}

// Ctrl-C (the context ending) stops the server within a second, even with
// a what-if streaming.
func TestServeStopsWithinASecond(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	ln, _, err := listenServe("127.0.0.1:0", true)
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	var out bytes.Buffer
	done := make(chan error, 1)
	go func() { done <- serveUntilDone(ctx, ln, serve.New(serve.Config{}), url, &out) }()
	time.Sleep(100 * time.Millisecond)
	resp, err := http.Post(url+"/api/run", "application/json", strings.NewReader(`{"state": {"scenario": "guinea-2009", "runs": 1000000}}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	buf := make([]byte, 64)
	resp.Body.Read(buf) // streaming
	start := time.Now()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("the server did not stop")
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("stopping took %v", d)
	}
	if !strings.Contains(out.String(), "Workshop page: "+url) || !strings.Contains(out.String(), "Stopped.") {
		t.Errorf("output %q", out.String())
	}
}

func TestServeFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"serve", "a", "b"}, 2, "at most one shipped scenario"},
		{[]string{"serve", "atlantis"}, 1, "no such file and no shipped scenario"},
		{[]string{"serve", "--listen", "nonsense"}, 2, "want HOST:PORT"},
	} {
		_, errs, code := escalate(t, tc.args...)
		if code != tc.code || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d %q", tc.args, code, errs)
		}
	}
}

// The page's comparison with a pinned baseline downloads as a scenario
// file (both as strategies, the events and shocks either added as tables,
// zeroed for the other) and the comparison.json escalate compare writes
// for it: the same paired numbers as the page, and replay confirms them.
func TestServeComparisonReplays(t *testing.T) {
	srv := serve.New(serve.Config{})
	ts := newLoopbackServer(t, srv)
	post := func(path, body string) string {
		resp, err := http.Post(ts+path, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d %s", path, resp.StatusCode, data)
		}
		return string(data)
	}
	get := func(path string) ([]byte, string) {
		resp, err := http.Get(ts + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d %s", path, resp.StatusCode, data)
		}
		_, name, _ := strings.Cut(resp.Header.Get("Content-Disposition"), "filename=")
		return data, strings.Trim(name, `"`)
	}
	post("/api/run", `{"state": {"scenario": "guinea-2009", "strategy": "historical", "runs": 3000, "events": ["guinea:6:0.2:riot"]}}`)
	post("/api/baseline", `{"entry": 1}`)
	stream := post("/api/run", `{"state": {"scenario": "guinea-2009", "strategy": "fast", "runs": 3000,
		"sets": ["intervention.unowa.staff=6"], "events": ["guinea:12:0.3:coup"], "shocks": ["guinea:2:0.05"], "disable": ["inquiry"]}}`)
	i := strings.LastIndex(stream, "data: ")
	var page struct {
		Outcome struct {
			PWar float64 `json:"p_war"`
		}
		Baseline struct {
			Outcome struct {
				PWar float64 `json:"p_war"`
			}
			Vs struct {
				PWarDiff     float64    `json:"p_war_diff"`
				PWarDiffCI95 [2]float64 `json:"p_war_diff_ci95"`
			}
		}
	}
	if err := json.Unmarshal([]byte(strings.TrimSpace(stream[i+len("data: "):])), &page); err != nil {
		t.Fatal(err)
	}
	toml, name := get("/api/download/comparison.toml")
	if name != "guinea-2009-workshop.toml" {
		t.Errorf("file name %q", name)
	}
	data, _ := get("/api/download/comparison.json")
	var cmp struct {
		Strategies []struct {
			PWar       float64 `json:"p_war"`
			VsBaseline struct {
				PWarDiff     float64    `json:"p_war_diff"`
				PWarDiffCI95 [2]float64 `json:"p_war_diff_ci95"`
			} `json:"vs_baseline"`
		}
	}
	if err := json.Unmarshal(data, &cmp); err != nil || len(cmp.Strategies) != 2 {
		t.Fatalf("%v: %s", err, data)
	}
	if cmp.Strategies[0].PWar != page.Baseline.Outcome.PWar || cmp.Strategies[1].PWar != page.Outcome.PWar ||
		cmp.Strategies[1].VsBaseline.PWarDiff != page.Baseline.Vs.PWarDiff || cmp.Strategies[1].VsBaseline.PWarDiffCI95 != page.Baseline.Vs.PWarDiffCI95 {
		t.Errorf("escalate compare on the file: %+v; the page: %+v", cmp.Strategies, page)
	}
	dir := t.TempDir()
	scen := filepath.Join(dir, name)
	os.WriteFile(scen, toml, 0o644)
	cj := filepath.Join(dir, "comparison.json")
	os.WriteFile(cj, data, 0o644)
	if out, errs, code := escalate(t, "replay", cj, "--scenario", scen); code != 0 || !strings.Contains(out, "byte-identical") {
		t.Errorf("replay: %d %s %s\n%s", code, out, errs, toml)
	}
}

// A pasted scenario's summary records the job as of pasted.toml (the
// scenario given as bytes): saved under that name, replay confirms it.
func TestServePastedSummaryReplays(t *testing.T) {
	ts := newLoopbackServer(t, serve.New(serve.Config{}))
	src, errs, code := escalate(t, "show", "workshop-intro")
	if code != 0 {
		t.Fatal(errs)
	}
	state, _ := json.Marshal(map[string]any{"state": map[string]any{
		"source": src, "runs": 800, "events": []string{"arcadia:3:0.2:riot"}, "disable": []string{"mediators"},
	}})
	resp, err := http.Post(ts+"/api/run", "application/json", bytes.NewReader(state))
	if err != nil {
		t.Fatal(err)
	}
	stream, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(stream), "event: done") {
		t.Fatalf("the what-if did not finish:\n%s", stream)
	}
	got, err := http.Get(ts + "/api/download/summary.json")
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(got.Body)
	got.Body.Close()
	if got.StatusCode != 200 || !strings.Contains(string(data), `"command": "escalate run pasted.toml --runs 800 --seed `) {
		t.Fatalf("summary.json: %d\n%s", got.StatusCode, data)
	}
	dir := t.TempDir()
	scen := filepath.Join(dir, "pasted.toml")
	os.WriteFile(scen, []byte(src), 0o644)
	path := filepath.Join(dir, "summary.json")
	os.WriteFile(path, data, 0o644)
	if out, errs, code := escalate(t, "replay", path, "--scenario", scen); code != 0 || !strings.Contains(out, "byte-identical") {
		t.Errorf("replay: %d %s %s", code, out, errs)
	}
}
