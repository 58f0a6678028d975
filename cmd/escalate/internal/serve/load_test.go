package serve

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/escalate-sim/escalate/plots"
	"github.com/escalate-sim/escalate/sim"
)

// timedRun posts one what-if and returns the time to the first picture
// and to the final result, reading the stream as a browser does.
func timedRun(client *http.Client, url, body string) (first, full time.Duration, err error) {
	start := time.Now()
	resp, err := client.Post(url+"/api/run", "application/json", strings.NewReader(body))
	if err != nil {
		return 0, 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		return 0, 0, fmt.Errorf("status %d", resp.StatusCode)
	}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<22)
	for sc.Scan() {
		line := sc.Text()
		switch line {
		case "event: progress":
			if first == 0 {
				first = time.Since(start)
			}
		case "event: done":
			full = time.Since(start)
			if first == 0 {
				first = full
			}
			return first, full, nil
		case "event: problem":
			sc.Scan()
			return 0, 0, fmt.Errorf("problem: %s", sc.Text())
		}
	}
	return 0, 0, fmt.Errorf("stream ended without a result: %v", sc.Err())
}

func percentile(ds []time.Duration, q float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(q*float64(len(s))+0.5) - 1
	return s[max(0, min(i, len(s)-1))]
}

// loadSeconds is how long the load test runs: 3 s in go test ./..., more
// on demand (ESCALATE_LOAD_SECONDS=30 for the 20 clients x 30 s).
func loadSeconds(t *testing.T) time.Duration {
	if s := os.Getenv("ESCALATE_LOAD_SECONDS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			t.Fatalf("ESCALATE_LOAD_SECONDS=%q: want whole seconds", s)
		}
		return time.Duration(n) * time.Second
	}
	if testing.Short() {
		return time.Second
	}
	return 3 * time.Second
}

// TestLoad: 20 clients on loopback send what-ifs back to back (each a
// different change of guinea-2009, 10,000 runs, so that most wait for one
// of the job slots); none fails, latency percentiles are printed, and no
// goroutine is left afterwards.
func TestLoad(t *testing.T) {
	const clients = 20
	before := runtime.NumGoroutine()
	srv := httptest.NewServer(New(Config{}))
	dur := loadSeconds(t)
	var (
		mu     sync.Mutex
		fulls  []time.Duration
		firsts []time.Duration
		errs   []error
		wg     sync.WaitGroup
	)
	stop := time.Now().Add(dur)
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := &http.Client{Timeout: time.Minute}
			defer client.CloseIdleConnections()
			for i := 0; time.Now().Before(stop); i++ {
				body := fmt.Sprintf(`{"state": {"scenario": "guinea-2009", "sets": ["intervention.unowa.staff=%d"]}, "client": "c%d"}`, 1+(c+i)%30, c)
				first, full, err := timedRun(client, srv.URL, body)
				mu.Lock()
				if err != nil {
					errs = append(errs, err)
				} else {
					firsts, fulls = append(firsts, first), append(fulls, full)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	srv.Close()
	if len(errs) > 0 {
		t.Errorf("%d of %d what-ifs failed; first: %v", len(errs), len(errs)+len(fulls), errs[0])
	}
	if len(fulls) == 0 {
		t.Fatal("no what-if finished")
	}
	t.Logf("%d clients x %v: %d what-ifs of 10,000 runs; full result p50 %v p90 %v p95 %v p99 %v max %v; first picture p50 %v p95 %v",
		clients, dur, len(fulls), percentile(fulls, .5), percentile(fulls, .9), percentile(fulls, .95), percentile(fulls, .99), percentile(fulls, 1),
		percentile(firsts, .5), percentile(firsts, .95))
	waitGoroutines(t, before)
}

// cpuTime is the process's user+system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkWhatIf is the first target: a 10,000-run what-if of a
// shipped scenario, first picture and full result, one browser.
//
//	go test ./cmd/escalate/internal/serve -run XXX -bench WhatIf -benchtime 20x
func BenchmarkWhatIf(b *testing.B) {
	srv := httptest.NewServer(New(Config{}))
	defer srv.Close()
	client := &http.Client{}
	var firsts, fulls []time.Duration
	cpu0 := cpuTime()
	for i := 0; b.Loop(); i++ {
		body := fmt.Sprintf(`{"state": {"scenario": "guinea-2009", "sets": ["intervention.unowa.staff=%d"]}}`, 1+i%30)
		first, full, err := timedRun(client, srv.URL, body)
		if err != nil {
			b.Fatal(err)
		}
		firsts, fulls = append(firsts, first), append(fulls, full)
	}
	b.ReportMetric(float64(percentile(firsts, .5).Microseconds())/1000, "first-p50-ms")
	b.ReportMetric(float64(percentile(firsts, .95).Microseconds())/1000, "first-p95-ms")
	b.ReportMetric(float64(percentile(fulls, .5).Microseconds())/1000, "full-p50-ms")
	b.ReportMetric(float64(percentile(fulls, .95).Microseconds())/1000, "full-p95-ms")
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(len(fulls)), "cpu-ms/whatif")
}

// BenchmarkThreeBrowsers: three clients sending what-ifs at once (the
// issue's p95 < 2 s target).
func BenchmarkThreeBrowsers(b *testing.B) {
	srv := httptest.NewServer(New(Config{}))
	defer srv.Close()
	var mu sync.Mutex
	var fulls, firsts []time.Duration
	for b.Loop() {
		var wg sync.WaitGroup
		for c := range 3 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				body := fmt.Sprintf(`{"state": {"scenario": "guinea-2009", "sets": ["intervention.ecowas.staff=%d"]}, "client": "b%d"}`, 2+c, c)
				first, full, err := timedRun(http.DefaultClient, srv.URL, body)
				if err != nil {
					b.Error(err)
					return
				}
				mu.Lock()
				fulls, firsts = append(fulls, full), append(firsts, first)
				mu.Unlock()
			}()
		}
		wg.Wait()
	}
	b.ReportMetric(float64(percentile(firsts, .95).Microseconds())/1000, "first-p95-ms")
	b.ReportMetric(float64(percentile(fulls, .5).Microseconds())/1000, "full-p50-ms")
	b.ReportMetric(float64(percentile(fulls, .95).Microseconds())/1000, "full-p95-ms")
}

// TestMemoryFlat: 1,000 consecutive what-ifs with the default limits. The
// history keeps every what-if's numbers (about a kilobyte each) but the
// aggregates of only the newest 50, so the heap grows by the numbers
// alone, not by aggregates.
func TestMemoryFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: 1,000 what-ifs")
	}
	s := New(Config{})
	heap := func() uint64 {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	var at300 uint64
	for i := range 1000 {
		body := fmt.Sprintf(`{"state": {"scenario": "guinea-2009", "runs": 64, "sets": ["intervention.unowa.staff=%d"]}}`, 1+i%40)
		if w := do(t, s, "POST", "/api/run", body); w.Code != 200 || !strings.Contains(w.Body.String(), "event: done") {
			t.Fatalf("what-if %d: %d", i, w.Code)
		}
		if i == 299 {
			at300 = heap()
		}
	}
	at1000 := heap()
	runtime.KeepAlive(s) // else the server itself is garbage by now
	perEntry := (float64(at1000) - float64(at300)) / 700
	t.Logf("heap after 300 what-ifs %.1f MB, after 1000 %.1f MB: %.0f bytes per what-if kept", float64(at300)/1e6, float64(at1000)/1e6, perEntry)
	if perEntry > 4096 {
		t.Errorf("the heap grows by %.0f bytes per what-if: the history keeps more than numbers", perEntry)
	}
}

// BenchmarkPictureSVG and BenchmarkPictureJSON compare the two ways of
// drawing a batch's picture: the plots package's dashboard as SVG (the
// downloads) against the aggregates the page draws itself (what streams).
func BenchmarkPictureSVG(b *testing.B) {
	v, res := benchView(b)
	_ = v
	for b.Loop() {
		fig, err := plots.Dashboard(res.summary, "")
		if err != nil {
			b.Fatal(err)
		}
		var buf bytes.Buffer
		if err := fig.Encode(&buf, "svg"); err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(buf.Len()))
	}
}

func BenchmarkPictureJSON(b *testing.B) {
	v, _ := benchView(b)
	for b.Loop() {
		data, err := json.Marshal(v)
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(len(data)))
	}
}

func benchView(b *testing.B) (*View, *result) {
	bl, err := build(State{Scenario: "guinea-2009"}, Limits{}.withDefaults())
	if err != nil {
		b.Fatal(err)
	}
	var v *View
	var res *result
	_, err = SimEngine{}.Compare(b.Context(), Job{Variants: []*sim.Scenario{bl.Scenario}, Seed: bl.Seed, Runs: bl.Runs}, func(done int64, c *sim.Comparison) error {
		v, res, err = view(bl, nil, []*sim.Scenario{bl.Scenario}, c, done)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	return v, res
}
