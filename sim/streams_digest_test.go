package sim_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/escalate-sim/escalate/sim"
)

// The reference engine draws stream version 1 only, so version 2 is held
// fixed by digests: every shipped scenario compared with its strategies
// under v2 (aggregates, paired statistics and records, from a shard's
// first run, on two workers) must hash to the value in
// testdata/streams-v2-digests.txt (go test ./sim -run StreamsV2Digests
// -update rewrites it). A change of a line is a change of published v2
// results; the speed work on the engine must leave every line as it is.
func TestStreamsV2Digests(t *testing.T) {
	runs := int64(1500)
	vsm := shippedVariants(t)
	var names []string
	for n := range vsm {
		names = append(names, n)
	}
	slices.Sort(names)
	var got bytes.Buffer
	for _, name := range names {
		var recs []sim.CountryRecord
		cmp, err := sim.Compare(context.Background(), vsm[name], sim.Options{
			Seed: 7, FirstRun: 33, Runs: runs, Workers: 2, Streams: sim.StreamsV2,
			Records: func(r []sim.CountryRecord) error { recs = append(recs, r...); return nil },
		})
		if err != nil {
			t.Fatal(err)
		}
		a, err := json.Marshal(cmp)
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(recs)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&got, "%s %x %x\n", name, sha256.Sum256(a), sha256.Sum256(b))
	}
	path := filepath.Join("testdata", "streams-v2-digests.txt")
	if *update {
		if err := os.WriteFile(path, got.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got.Bytes(), want) {
		t.Errorf("v2 results differ from %s:\ngot\n%swant\n%s", path, got.Bytes(), want)
	}
}
