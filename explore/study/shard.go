package study

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"sort"
	"strings"
)

// ShardFormat names the format of a shard's points file, shard.json.
const ShardFormat = "escalate-explore-shard-1"

// ShardFile is what an explore shard writes: its job (with Shard set) and
// every strategy's outcome at each of its points, from which escalate
// merge rebuilds the explore.json and experiments.csv of one process.
type ShardFile struct {
	Format  string       `json:"format"`
	Version string       `json:"version"`
	Job     Job          `json:"job"`
	Points  []ShardPoint `json:"points"`
}

// ShardPoint is one point's outcomes; its coordinates and values follow
// from the job's design.
type ShardPoint struct {
	Index    int       `json:"index"` // from 0
	Outcomes []Outcome `json:"outcomes"`
}

// ShardWriter streams a shard file: the header, then one point a line.
type ShardWriter struct {
	w     *bufio.Writer
	count int
}

// NewShardWriter writes the header of a shard of job j by tool version.
func NewShardWriter(w io.Writer, version string, j *Job) (*ShardWriter, error) {
	head, err := json.Marshal(struct {
		Format  string `json:"format"`
		Version string `json:"version"`
		Job     *Job   `json:"job"`
	}{ShardFormat, version, j})
	if err != nil {
		return nil, err
	}
	bw := bufio.NewWriter(w)
	bw.Write(head[:len(head)-1])
	_, err = bw.WriteString(",\n\"points\": [")
	return &ShardWriter{w: bw}, err
}

// Write adds one point's result.
func (s *ShardWriter) Write(pr PointResult) error {
	b, err := json.Marshal(ShardPoint{Index: pr.Index, Outcomes: pr.Outcomes})
	if err != nil {
		return err
	}
	if s.count > 0 {
		s.w.WriteByte(',')
	}
	s.count++
	s.w.WriteByte('\n')
	_, err = s.w.Write(b)
	return err
}

// Close ends the file.
func (s *ShardWriter) Close() error {
	s.w.WriteString("\n]}\n")
	return s.w.Flush()
}

// ParseShard reads a shard file; path names it in errors. It checks that
// the file is whole: a valid job with a shard, and outcomes for exactly
// the points of that shard, each a possible one.
func ParseShard(path string, data []byte) (*ShardFile, error) {
	var sf ShardFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&sf); err != nil {
		return nil, fmt.Errorf("%s: not a shard of escalate explore: %w", path, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%s: data after the shard", path)
	}
	if sf.Format != ShardFormat {
		return nil, fmt.Errorf("%s: format %q, want %q", path, sf.Format, ShardFormat)
	}
	j := &sf.Job
	if err := j.Check(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if j.Shard == nil {
		return nil, fmt.Errorf("%s: the job has no shard", path)
	}
	for i, p := range sf.Points {
		if len(p.Outcomes) != len(j.Strategies) {
			return nil, fmt.Errorf("%s: point %d: %d outcomes for %d strategies", path, i+1, len(p.Outcomes), len(j.Strategies))
		}
		if i > 0 && p.Index != sf.Points[i-1].Index+1 || p.Index < 0 {
			return nil, fmt.Errorf("%s: point %d: index %d out of order", path, i+1, p.Index)
		}
		for v, o := range p.Outcomes {
			if err := o.check(j.Runs, v == 0); err != nil {
				return nil, fmt.Errorf("%s: point index %d, strategy %s: %w", path, p.Index, j.Strategies[v], err)
			}
		}
	}
	return &sf, nil
}

// check refuses an outcome that no run could give.
func (o Outcome) check(runs int64, baseline bool) error {
	p := o.Paired
	switch {
	case o.Wars < 0 || o.Wars > runs:
		return fmt.Errorf("%d runs at war of %d", o.Wars, runs)
	case o.PWar != float64(o.Wars)/float64(runs):
		return fmt.Errorf("P(war) %g is not %d/%d", o.PWar, o.Wars, runs)
	case !finite(o.PWarCI[0], o.PWarCI[1], o.WarMonths, o.WarMonthsVar, o.Cost) || o.WarMonths < 0 || o.WarMonthsVar < 0 || o.Cost < 0:
		return errors.New("an outcome is negative or not a number")
	case p.Runs != runs || p.Both < 0 || p.BaseOnly < 0 || p.VariantOnly < 0 || p.Both+p.VariantOnly != o.Wars || p.Both+p.BaseOnly+p.VariantOnly > runs:
		return fmt.Errorf("paired counts disagree with %d runs, %d at war", runs, o.Wars)
	case baseline && (p.BaseOnly != 0 || p.VariantOnly != 0 || p.SumDiff != 0):
		return errors.New("the baseline differs from itself")
	}
	return nil
}

func finite(xs ...float64) bool {
	for _, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}

// OrderShards checks that parts (read from the directories names) are the
// shards of one job, each once, each holding its span of the n points of
// the design, and returns their indices in shard order.
func OrderShards(names []string, parts []*ShardFile, n int) ([]int, error) {
	ref := parts[0]
	whole := func(j Job) *Job { j.Shard = nil; return &j }
	for i, p := range parts[1:] {
		var diff []string
		if p.Version != ref.Version {
			diff = append(diff, fmt.Sprintf("tool %q vs %q", p.Version, ref.Version))
		}
		a, b := p.Job, ref.Job
		if a.Source != b.Source {
			diff = append(diff, fmt.Sprintf("scenario %s vs %s", a.Source, b.Source))
		}
		if a.ScenarioSHA256 != b.ScenarioSHA256 && len(diff) == 0 {
			diff = append(diff, "scenario content (SHA-256 differs: was the file edited between shards?)")
		}
		if a.Shard.Count != b.Shard.Count {
			diff = append(diff, fmt.Sprintf("split into %d vs %d shards", a.Shard.Count, b.Shard.Count))
		}
		if len(diff) == 0 && !reflect.DeepEqual(whole(a), whole(b)) {
			diff = append(diff, jobDiff(whole(a), whole(b))...)
		}
		if len(diff) > 0 {
			return nil, fmt.Errorf("%s and %s are not shards of the same exploration: %s", names[i+1], names[0], strings.Join(diff, "; "))
		}
	}
	count := ref.Job.Shard.Count
	seen := map[int64]int{}
	var problems, dups, missing []string
	for i, p := range parts {
		k := p.Job.Shard.Index
		if j, ok := seen[k]; ok {
			dups = append(dups, fmt.Sprintf("shard %d/%d in both %s and %s", k, count, names[j], names[i]))
			continue
		}
		seen[k] = i
		lo, hi := p.Job.Span(n)
		if len(p.Points) != hi-lo || len(p.Points) > 0 && p.Points[0].Index != lo {
			problems = append(problems, fmt.Sprintf("%s holds %d points, shard %d/%d has points %d to %d", names[i], len(p.Points), k, count, lo+1, hi))
		}
	}
	for k := int64(0); k < count; k++ {
		if _, ok := seen[k]; !ok {
			missing = append(missing, fmt.Sprintf("%d/%d", k, count))
		}
	}
	if len(dups) > 0 {
		problems = append(problems, "duplicate "+strings.Join(dups, ", "))
	}
	if len(missing) > 0 {
		problems = append(problems, "missing shards "+strings.Join(missing, ", "))
	}
	if len(problems) > 0 {
		return nil, errors.New(strings.Join(problems, "; "))
	}
	order := make([]int, 0, len(seen))
	for _, i := range seen {
		order = append(order, i)
	}
	sort.Slice(order, func(a, b int) bool { return parts[order[a]].Job.Shard.Index < parts[order[b]].Job.Shard.Index })
	return order, nil
}

// jobDiff names the fields in which two jobs differ, as "seed 10 vs 9".
func jobDiff(a, b *Job) []string {
	fields := func(j *Job) map[string]string {
		data, _ := json.Marshal(j)
		var m map[string]json.RawMessage
		json.Unmarshal(data, &m)
		out := map[string]string{}
		for k, v := range m {
			out[k] = string(v)
		}
		return out
	}
	fa, fb := fields(a), fields(b)
	keys := map[string]bool{}
	for k := range fa {
		keys[k] = true
	}
	for k := range fb {
		keys[k] = true
	}
	var diff []string
	for k := range keys {
		if fa[k] != fb[k] {
			diff = append(diff, fmt.Sprintf("%s %s vs %s", k, orNone(fa[k]), orNone(fb[k])))
		}
	}
	sort.Strings(diff)
	return diff
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}
