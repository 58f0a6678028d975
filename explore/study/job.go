package study

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/escalate-sim/escalate/job/resultfile"
	"github.com/escalate-sim/escalate/scenarios"
)

// JobKind is the Kind of an exploration's Job.
const JobKind = "explore"

// Job is an exploration as a value: everything that determines its
// result, with the seed resolved and the uncertain keys listed in full
// (the file's [uncertain] table merged with --uncertain), so that the job
// reproduces the result without the command line that started it.
// explore.json records it; escalate replay runs it again, and escalate
// merge checks that shards belong to one job by it.
type Job struct {
	Kind string `json:"kind"` // "explore"
	// Source is the scenario as named: a shipped name or a path.
	Source string `json:"source"`
	// ScenarioSHA256 is ScenarioPrint of the file: it changes when any
	// strategy's scenario does, whatever the file's layout or comments.
	ScenarioSHA256 string `json:"scenario_sha256"`
	// Strategies are the file's strategies, the baseline first.
	Strategies []string `json:"strategies"`
	// Uncertain are the uncertain keys as --uncertain reads them,
	// PATH=DIST, in the design's order.
	Uncertain []string `json:"uncertain"`
	Design    string   `json:"design"`
	Samples   int      `json:"samples"`
	Runs      int64    `json:"runs"`
	Seed      uint64   `json:"seed"`
	Country   string   `json:"country,omitempty"`
	Satisfice *float64 `json:"satisfice,omitempty"`
	Find      string   `json:"find,omitempty"`
	// Shard is set for one part of the design's points.
	Shard *resultfile.Shard `json:"shard,omitempty"`
}

// NewJob records the study s of the scenario named source.
func NewJob(source string, s *Study) (*Job, error) {
	cfg := s.cfg
	print, err := ScenarioPrint(cfg.File)
	if err != nil {
		return nil, err
	}
	j := &Job{Kind: JobKind, Source: source, ScenarioSHA256: print, Design: cfg.Design, Samples: cfg.Samples,
		Runs: cfg.Runs, Seed: cfg.Seed, Country: cfg.Country, Find: cfg.Find}
	for _, st := range s.Strategies {
		j.Strategies = append(j.Strategies, st.ID)
	}
	for _, u := range cfg.Uncertain {
		j.Uncertain = append(j.Uncertain, u.Key()+"="+u.Dist.String())
	}
	if !math.IsNaN(cfg.Satisfice) {
		j.Satisfice = ptr(cfg.Satisfice)
	}
	return j, nil
}

// ScenarioPrint is the SHA-256 that identifies a scenario file's model:
// resultfile.Fingerprint of its scenario when it has no strategies, else
// the SHA-256 of each strategy's ID and Fingerprint, one a line.
func ScenarioPrint(f *scenarios.File) (string, error) {
	if len(f.Strategies) == 0 {
		sc, err := f.Scenario()
		if err != nil {
			return "", err
		}
		return resultfile.Fingerprint(sc), nil
	}
	h := sha256.New()
	for _, st := range f.Strategies {
		sc, err := f.Strategy(st.ID)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s %s\n", st.ID, resultfile.Fingerprint(sc))
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Check reports a job that no command line could have made.
func (j *Job) Check() error {
	var errs []string
	if j.Kind != JobKind {
		errs = append(errs, fmt.Sprintf("kind %q is not %q", j.Kind, JobKind))
	}
	if j.Source == "" {
		errs = append(errs, "no source scenario")
	}
	if !slices.Contains(Designs, j.Design) {
		errs = append(errs, fmt.Sprintf("design %q is not one of %s", j.Design, strings.Join(Designs, ", ")))
	}
	if j.Samples < 1 || j.Runs < 1 {
		errs = append(errs, fmt.Sprintf("samples %d and runs %d must be at least 1", j.Samples, j.Runs))
	}
	if len(j.Uncertain) == 0 {
		errs = append(errs, "no uncertain keys")
	}
	if len(j.Strategies) == 0 {
		errs = append(errs, "no strategies")
	}
	if j.Satisfice != nil && (math.IsNaN(*j.Satisfice) || math.IsInf(*j.Satisfice, 0)) {
		errs = append(errs, "satisfice is not a number")
	}
	if j.Shard != nil {
		if err := j.Shard.Check(); err != nil {
			errs = append(errs, err.Error())
		}
	}
	if len(errs) > 0 {
		return errors.New("job: " + strings.Join(errs, "; "))
	}
	return nil
}

// Config is the study's configuration for the job on file f, which must be
// the file the job ran on: the same strategies and ScenarioPrint.
func (j *Job) Config(f *scenarios.File, workers int) (Config, error) {
	if err := j.Check(); err != nil {
		return Config{}, err
	}
	print, err := ScenarioPrint(f)
	if err != nil {
		return Config{}, err
	}
	var ids []string
	for _, st := range f.Strategies {
		ids = append(ids, st.ID)
	}
	if len(ids) == 0 {
		ids = []string{"scenario"}
	}
	if !slices.Equal(ids, j.Strategies) {
		return Config{}, fmt.Errorf("%s: its strategies are %s, the job's were %s", f.Path, strings.Join(ids, ", "), strings.Join(j.Strategies, ", "))
	}
	if print != j.ScenarioSHA256 {
		return Config{}, fmt.Errorf("%s: the scenario has changed since the job ran (SHA-256 %.16s, recorded %.16s)", f.Path, print, j.ScenarioSHA256)
	}
	cfg := Config{File: f, Design: j.Design, Samples: j.Samples, Runs: j.Runs, Seed: j.Seed,
		Country: j.Country, Satisfice: math.NaN(), Find: j.Find, Workers: workers}
	if j.Satisfice != nil {
		cfg.Satisfice = *j.Satisfice
	}
	for _, s := range j.Uncertain {
		u, err := scenarios.ParseUncertain(s)
		if err == nil {
			err = f.CheckUncertain(u)
		}
		if err != nil {
			return Config{}, fmt.Errorf("job: uncertain key: %w", err)
		}
		cfg.Uncertain = append(cfg.Uncertain, u)
	}
	return cfg, nil
}

// Command is the job as an escalate command line, for people; nothing
// reads it back.
func (j *Job) Command() string {
	q := resultfile.ShellQuote
	var b strings.Builder
	fmt.Fprintf(&b, "escalate explore %s --design %s --samples %d --runs %d --seed %d", q(j.Source), q(j.Design), j.Samples, j.Runs, j.Seed)
	for _, u := range j.Uncertain {
		b.WriteString(" --uncertain " + q(u))
	}
	if j.Country != "" {
		b.WriteString(" --country " + q(j.Country))
	}
	if j.Satisfice != nil {
		b.WriteString(" --satisfice " + strconv.FormatFloat(*j.Satisfice, 'g', -1, 64))
	}
	if j.Find != "" {
		b.WriteString(" --find " + q(j.Find))
	}
	if j.Shard != nil {
		fmt.Fprintf(&b, " --shard %d/%d", j.Shard.Index, j.Shard.Count)
	}
	return b.String()
}

// Span returns the indices [lo, hi) of the points of a design of n points
// that the job runs: all of them, or its shard's contiguous part, split as
// resultfile.Shard.Span splits runs.
func (j *Job) Span(n int) (lo, hi int) {
	if j.Shard == nil {
		return 0, n
	}
	first, k := j.Shard.Span(int64(n))
	return int(first), int(first + k)
}

// RecordedJob returns the job an explore.json records, or nil if data is
// not an explore.json (a top-level "design" tells it apart from the other
// result files); path names the file in errors.
func RecordedJob(path string, data []byte) (*Job, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil || top["design"] == nil {
		return nil, nil // not ours: the other result files' reader explains
	}
	raw := top["job"]
	if raw == nil {
		return nil, fmt.Errorf("%s: an explore.json that records no job (written before explore recorded its job); run the exploration again", path)
	}
	var j Job
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		return nil, fmt.Errorf("%s: job: %w", path, err)
	}
	if err := j.Check(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if j.Shard != nil {
		return nil, fmt.Errorf("%s: the job of an explore.json has no shard", path)
	}
	return &j, nil
}
