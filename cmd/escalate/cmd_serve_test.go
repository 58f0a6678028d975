package main

import (
	"bytes"
	"context"
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
	srv := serve.New(serve.Config{SummaryJSON: serveSummaryJSON})
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
