package sim_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/escalate-sim/escalate/scenarios"
	"github.com/escalate-sim/escalate/sim"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// Each stream version's results are fixed: guinea-2009's summary at 400
// runs under v1 and v2 is compared with testdata/streams-VERSION.json
// (go test ./sim -run StreamGoldens -update rewrites them). A change of
// either file is a change of published results.
func TestStreamGoldens(t *testing.T) {
	f, err := scenarios.Open("guinea-2009")
	if err != nil {
		t.Fatal(err)
	}
	sc, err := f.Scenario()
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []sim.Streams{sim.StreamsV1, sim.StreamsV2} {
		r, err := sim.Run(context.Background(), sc, sim.Options{Seed: sc.Seed, Runs: 400, Streams: v})
		if err != nil {
			t.Fatal(err)
		}
		got, err := json.MarshalIndent(sim.Summarize(sc, r, sc.Seed), "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, '\n')
		path := filepath.Join("testdata", "streams-"+v.String()+".json")
		if *update {
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run with -update to create it)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("streams %v: guinea-2009 summary differs from %s; if deliberate, run go test ./sim -run StreamGoldens -update", v, path)
		}
	}
}

// The zero Streams is v1, v1 is what the engine always drew (the reference
// engine), v2 draws other shocks but the same distribution: on every
// shipped tension scenario its P(war) agrees with v1's within Monte Carlo
// error, and scenarios without shocks (global-baseline) are unchanged.
func TestStreamVersions(t *testing.T) {
	const runs = 20000
	for name, vs := range shippedVariants(t) {
		sc := vs[0]
		run := func(v sim.Streams) *sim.Result {
			r, err := sim.Run(context.Background(), sc, sim.Options{Seed: 2, Runs: runs, Streams: v})
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		zero, v1, v2 := run(0), run(sim.StreamsV1), run(sim.StreamsV2)
		if !reflect.DeepEqual(zero, v1) {
			t.Errorf("%s: Streams 0 differs from v1", name)
		}
		hasShocks := false
		for _, c := range sc.Countries {
			hasShocks = hasShocks || len(c.Shocks) > 0
		}
		if !hasShocks {
			if !reflect.DeepEqual(v1, v2) {
				t.Errorf("%s: no shocks, yet v2 differs from v1", name)
			}
			continue
		}
		if reflect.DeepEqual(v1, v2) {
			t.Errorf("%s: v2 gives v1's results although the scenario has shocks", name)
		}
		a, b := float64(v1.AnyWar.EverWar)/runs, float64(v2.AnyWar.EverWar)/runs
		if len(sc.Countries) == 1 {
			a, b = float64(v1.Countries[0].EverWar)/runs, float64(v2.Countries[0].EverWar)/runs
		}
		se := math.Sqrt((a*(1-a) + b*(1-b)) / runs)
		if math.Abs(a-b) > 4*se {
			t.Errorf("%s: P(war) %.4f with v1, %.4f with v2: more than 4 standard errors apart", name, a, b)
		}
	}
	if _, err := sim.Run(context.Background(), vsFirst(t), sim.Options{Runs: 1, Streams: 3}); err == nil {
		t.Error("stream version 3: no error")
	}
	for _, s := range []string{"v1", "v2"} {
		v, err := sim.ParseStreams(s)
		if err != nil || v.String() != s {
			t.Errorf("ParseStreams(%q) = %v, %v", s, v, err)
		}
	}
	if _, err := sim.ParseStreams("v3"); err == nil {
		t.Error("ParseStreams(v3): no error")
	}
}

func vsFirst(t *testing.T) *sim.Scenario {
	for _, vs := range shippedVariants(t) {
		return vs[0]
	}
	t.Fatal("no shipped scenario")
	return nil
}
