package study

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/escalate-sim/escalate/job/resultfile"
	"github.com/escalate-sim/escalate/scenarios"
)

func readShardFixture(t testing.TB) []byte {
	data, err := os.ReadFile("testdata/shard.json")
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// The fixture, shard 1/2 of a 3-point design, reads back; every edit that
// no run could make is refused, naming the file.
func TestParseShard(t *testing.T) {
	data := readShardFixture(t)
	sf, err := ParseShard("testdata/shard.json", data)
	if err != nil {
		t.Fatal(err)
	}
	if lo, hi := sf.Job.Span(3); lo != 1 || hi != 3 || len(sf.Points) != 2 || sf.Points[0].Index != 1 {
		t.Errorf("span %d..%d, %d points from %d; want points 1 and 2", lo, hi, len(sf.Points), sf.Points[0].Index)
	}
	for _, tc := range []struct{ old, new, want string }{
		{`"wars":8,"p_war":0.4`, `"wars":9,"p_war":0.4`, "is not 9/20"},
		{`"wars":8,"p_war":0.4`, `"wars":-8,"p_war":-0.4`, "runs at war of 20"},
		{`"design":"lhs"`, `"design":"grid"`, `design "grid"`},
		{`"shard":{"index":1,"count":2}`, `"shard":{"index":2,"count":2}`, "not one of the job's shards"},
		{`,"shard":{"index":1,"count":2}`, ``, "has no shard"},
		{`{"index":2,`, `{"index":4,`, "out of order"},
		{`"format":"escalate-explore-shard-1"`, `"format":"x"`, "format"},
		{`"both":8,"base_only":0`, `"both":7,"base_only":1`, "paired counts"},
		{`"war_months":3.35`, `"war_months":-3.35`, "negative"},
		{`"sum_diff":-44`, `"sum_diff":-44,"extra":1`, "unknown field"},
		{`]}`, `]`, "not a shard"},
	} {
		if !bytes.Contains(data, []byte(tc.old)) {
			t.Fatalf("fixture lacks %s", tc.old)
		}
		bad := bytes.Replace(data, []byte(tc.old), []byte(tc.new), 1)
		_, err := ParseShard("shard.json", bad)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "shard.json: ") {
			t.Errorf("%s -> %s: error %v, want one naming shard.json and saying %q", tc.old, tc.new, err, tc.want)
		}
	}
}

// Shards of one job split the points into contiguous parts that cover
// each exactly once, as resultfile.Shard.Span splits runs.
func TestJobSpanCovers(t *testing.T) {
	for _, n := range []int{0, 1, 7, 32, 12288} {
		for count := int64(1); count <= 9; count++ {
			next := 0
			for i := range count {
				j := Job{Shard: &resultfile.Shard{Index: i, Count: count}}
				lo, hi := j.Span(n)
				if lo != next || hi < lo {
					t.Fatalf("n %d, shard %d/%d: points %d..%d after %d", n, i, count, lo, hi, next)
				}
				if hi-lo > n/int(count)+1 {
					t.Errorf("n %d, shard %d/%d: %d points, more than an equal part", n, i, count, hi-lo)
				}
				next = hi
			}
			if next != n {
				t.Errorf("n %d in %d shards: covered %d", n, count, next)
			}
		}
	}
}

// OrderShards puts shards in order and refuses missing, duplicate and
// foreign ones.
func TestOrderShards(t *testing.T) {
	sf, err := ParseShard("s1", readShardFixture(t))
	if err != nil {
		t.Fatal(err)
	}
	shard := func(i int64, pts ...int) *ShardFile {
		c := *sf
		c.Job.Shard = &resultfile.Shard{Index: i, Count: 2}
		c.Points = nil
		for _, p := range pts {
			c.Points = append(c.Points, ShardPoint{Index: p, Outcomes: sf.Points[0].Outcomes})
		}
		return &c
	}
	other := shard(0, 0)
	other.Job.Seed = 4
	for _, tc := range []struct {
		name  string
		parts []*ShardFile
		want  string
	}{
		{"in order", []*ShardFile{shard(1, 1, 2), shard(0, 0)}, ""},
		{"missing", []*ShardFile{shard(1, 1, 2)}, "missing shards 0/2"},
		{"duplicate", []*ShardFile{shard(1, 1, 2), shard(1, 1, 2), shard(0, 0)}, "duplicate shard 1/2 in both a and b"},
		{"other seed", []*ShardFile{shard(1, 1, 2), other}, "b and a are not shards of the same exploration: seed 4 vs 3"},
		{"short", []*ShardFile{shard(1, 1), shard(0, 0)}, "a holds 1 points, shard 1/2 has points 2 to 3"},
	} {
		names := []string{"a", "b", "c"}[:len(tc.parts)]
		order, err := OrderShards(names, tc.parts, 3)
		switch {
		case tc.want == "" && (err != nil || len(order) != 2 || order[0] != 1):
			t.Errorf("%s: order %v, error %v; want [1 0]", tc.name, order, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
	}
}

func FuzzParseShard(f *testing.F) {
	f.Add(readShardFixture(f))
	f.Add([]byte(`{"format":"escalate-explore-shard-1","points":[{"index":0,"outcomes":[]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		sf, err := ParseShard("shard.json", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "shard.json: ") {
				t.Errorf("error does not name the file: %v", err)
			}
			return
		}
		for _, p := range sf.Points {
			if len(p.Outcomes) != len(sf.Job.Strategies) {
				t.Fatalf("accepted %d outcomes for %d strategies", len(p.Outcomes), len(sf.Job.Strategies))
			}
		}
		// What is accepted is a job that names what it does.
		if sf.Job.Command() == "" {
			t.Fatal("no command")
		}
	})
}

func FuzzRecordedJob(f *testing.F) {
	f.Add([]byte(`{"design":"sobol","job":{"kind":"explore","source":"guinea-2009","scenario_sha256":"x","strategies":["none"],"uncertain":["a.b=uniform:0:1"],"design":"sobol","samples":8,"runs":10,"seed":1}}`))
	f.Add([]byte(`{"design":"sobol"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		j, err := RecordedJob("explore.json", data)
		if err != nil && !strings.HasPrefix(err.Error(), "explore.json: ") {
			t.Errorf("error does not name the file: %v", err)
		}
		if j != nil && (j.Check() != nil || j.Shard != nil) {
			t.Errorf("accepted an invalid job %+v", j)
		}
	})
}

// For every design, the points run in three parts, written to shard files,
// read back and summarised in order give the report of one Run, to the
// byte of its JSON.
func TestShardsEqualOneRun(t *testing.T) {
	f, err := scenarios.Open("guinea-2009")
	if err != nil {
		t.Fatal(err)
	}
	var extra []scenarios.Uncertain
	for _, s := range []string{"country.guinea.volatility=uniform:0.03:0.09", "intervention.unowa.startup_delay_months=integer:0:6"} {
		u, err := scenarios.ParseUncertain(s)
		if err != nil {
			t.Fatal(err)
		}
		extra = append(extra, u)
	}
	us, err := f.WithUncertain(extra...)
	if err != nil {
		t.Fatal(err)
	}
	for _, design := range Designs {
		st, err := New(Config{File: f, Uncertain: us, Design: design, Samples: 4, Runs: 50, Seed: 7, Satisfice: 0.2, Find: "p_war > 0.3", Workers: 2})
		if err != nil {
			t.Fatal(err)
		}
		one, err := st.Run(context.Background(), nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		j, err := NewJob("guinea-2009", st)
		if err != nil {
			t.Fatal(err)
		}
		sum := st.NewSummary()
		for i := range int64(3) {
			j.Shard = &resultfile.Shard{Index: i, Count: 3}
			var buf bytes.Buffer
			sw, err := NewShardWriter(&buf, "test", j)
			if err != nil {
				t.Fatal(err)
			}
			lo, hi := j.Span(len(st.Points))
			if err := st.RunPoints(context.Background(), lo, hi, sw.Write, nil); err != nil {
				t.Fatal(err)
			}
			if err := sw.Close(); err != nil {
				t.Fatal(err)
			}
			sf, err := ParseShard("shard.json", buf.Bytes())
			if err != nil {
				t.Fatalf("%s shard %d: %v", design, i, err)
			}
			for _, p := range sf.Points {
				if err := sum.Add(PointResult{Point: st.Points[p.Index], Outcomes: p.Outcomes}); err != nil {
					t.Fatal(err)
				}
			}
		}
		merged, err := sum.Report()
		if err != nil {
			t.Fatal(err)
		}
		a, _ := json.Marshal(one)
		b, _ := json.Marshal(merged)
		if !bytes.Equal(a, b) || !reflect.DeepEqual(one.PWar, merged.PWar) {
			t.Errorf("%s: the shards' report differs from one run's", design)
		}
		// A point out of order is refused.
		if err := st.NewSummary().Add(PointResult{Point: st.Points[1], Outcomes: make([]Outcome, len(st.Strategies))}); err == nil {
			t.Errorf("%s: point 2 accepted first", design)
		}
	}
}
