package resultfile

import (
	"fmt"
	"github.com/escalate-sim/escalate/scenarios"
	"math/bits"
	"strings"

	"github.com/escalate-sim/escalate/internal/numfmt"
	"github.com/escalate-sim/escalate/sim"
)

// Provenance records what produced a result. It holds nothing that varies
// between equivalent runs (no worker count, no time), so the same inputs
// always give the same bytes.
type Provenance struct {
	// Tool is "escalate VERSION".
	Tool string `json:"tool"`
	// Source is the scenario as the job names it; for a comparison of two
	// files, both, separated by a space.
	Source string `json:"source"`
	// ScenarioSHA256 is the resolved scenario's Fingerprint (for a
	// comparison, the first 16 hex digits of each variant's, joined by
	// commas).
	ScenarioSHA256 string `json:"scenario_sha256"`
	// Strategy is the strategy run, or the variants compared (IDs joined
	// by commas).
	Strategy string `json:"strategy,omitempty"`
	// Overrides are the overrides, PATH=VALUE, as Recipe.Sets.
	Overrides []string `json:"overrides,omitempty"`
	// Runs and Seed are those of the whole job (a shard's summary has
	// fewer runs at its top level).
	Runs int64  `json:"runs"`
	Seed uint64 `json:"seed"`
	// Command is the job as an escalate command line, for people;
	// nothing reads it back.
	Command string `json:"command"`
	// Job is the job that reproduces the result, as a value: replay runs
	// it. Files written before it was recorded lack it.
	Job *Recipe `json:"job,omitempty"`
}

// Recipe is the recorded part of a job: everything that determines its
// result, with the run count and seed resolved (a job stopped by a
// precision target records the runs it used, which reproduce it).
type Recipe struct {
	// Kind is "run", "compare" or "sweep".
	Kind string `json:"kind"`
	// Sources are the scenarios as named (a shipped name or a path): one,
	// or two for a comparison of two files.
	Sources []string `json:"sources"`
	// Runs (per strategy or point) and Seed are those used: with them
	// every random draw is fixed.
	Runs int64  `json:"runs"`
	Seed uint64 `json:"seed"`
	// Strategy is the strategy run (run, sweep, compare with Vary).
	Strategy string `json:"strategy,omitempty"`
	// Strategies are those compared, the baseline first.
	Strategies []string `json:"strategies,omitempty"`
	// Sets are the overrides, PATH=VALUE, applied in order.
	Sets []string `json:"sets,omitempty"`
	// Vary are the varied key paths, PATH=FROM:TO:STEP or PATH=a,b,c.
	Vary []string `json:"vary,omitempty"`
	// Country chooses the headline outcome: war in that country instead
	// of in any country.
	Country string `json:"country,omitempty"`
	// Events, Shocks and Disable are additions made after the strategy
	// and Sets (--event COUNTRY:MONTH:SIZE[:LABEL], --shock
	// COUNTRY:RATE:MEAN[:NAME], --disable ID; see scenarios.Additions),
	// applied in the order events, shocks, disables.
	Events  []string `json:"events,omitempty"`
	Shocks  []string `json:"shocks,omitempty"`
	Disable []string `json:"disable,omitempty"`
	// Shard is set for one part of a job split across machines.
	Shard *Shard `json:"shard,omitempty"`
	// Streams is the random streams' version, "v2" for the faster
	// sampler; empty for v1, which every result made before versions
	// existed used.
	Streams string `json:"streams,omitempty"`
}

// Shard is part Index of Count of a job's runs.
type Shard struct {
	Index int64 `json:"index"`
	Count int64 `json:"count"`
}

// Check reports whether s is one of Count parts, 0/N to N-1/N.
func (s Shard) Check() error {
	if s.Count < 1 || s.Index < 0 || s.Index >= s.Count {
		return fmt.Errorf("shard %d/%d is not one of the job's shards (0/N to N-1/N)", s.Index, s.Count)
	}
	return nil
}

// Span returns the run indices [first, first+n) of the shard out of runs:
// consecutive shards cover 0..runs-1 exactly once, in equal parts give or
// take one run.
func (s Shard) Span(runs int64) (first, n int64) {
	lo := mulDiv(s.Index, runs, s.Count)
	hi := mulDiv(s.Index+1, runs, s.Count)
	return lo, hi - lo
}

// mulDiv is a*b/c rounded down for 0 <= a <= c and b >= 0, without
// overflow for any int64 b.
func mulDiv(a, b, c int64) int64 {
	// In 128 bits: a*(b%c) alone overflows for shard counts past 2^32.
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	q, _ := bits.Div64(hi, lo, uint64(c))
	return int64(q)
}

// Command is the escalate command line equivalent to the recipe, for a
// person to read and type. Replay does not read it: it runs the Recipe.
func (r *Recipe) Command() string {
	var b strings.Builder
	b.WriteString("escalate " + r.Kind)
	for _, s := range r.Sources {
		b.WriteString(" " + ShellQuote(s))
	}
	fmt.Fprintf(&b, " --runs %d --seed %d", r.Runs, r.Seed)
	switch {
	case r.Kind == "compare" && len(r.Vary) > 0:
		if r.Strategy != "" {
			b.WriteString(" --strategy " + ShellQuote(r.Strategy))
		}
		b.WriteString(" --vary " + ShellQuote(r.Vary[0]))
	case r.Kind == "compare" && len(r.Sources) == 1:
		b.WriteString(" --strategies " + strings.Join(r.Strategies, ","))
	case r.Strategy != "":
		b.WriteString(" --strategy " + ShellQuote(r.Strategy))
	}
	if r.Kind != "compare" {
		for _, o := range r.Sets {
			b.WriteString(" --set " + ShellQuote(o))
		}
		for _, v := range r.Vary {
			b.WriteString(" --vary " + ShellQuote(v))
		}
		if r.Country != "" {
			b.WriteString(" --country " + ShellQuote(r.Country))
		}
	} else {
		if r.Country != "" {
			b.WriteString(" --country " + ShellQuote(r.Country))
		}
		for _, o := range r.Sets {
			b.WriteString(" --set " + ShellQuote(o))
		}
	}
	for _, group := range []struct {
		flag   string
		values []string
	}{{"--event", r.Events}, {"--shock", r.Shocks}, {"--disable", r.Disable}} {
		for _, v := range group.values {
			b.WriteString(" " + group.flag + " " + ShellQuote(v))
		}
	}
	if r.Streams != "" {
		b.WriteString(" --streams " + ShellQuote(r.Streams))
	}
	return b.String()
}

// ShellQuote quotes s for a POSIX shell when it needs it.
func ShellQuote(s string) string {
	safe := s != ""
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.' || r == '/' || r == '=' || r == ',' || r == ':') {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// Fingerprint is the SHA-256 of the resolved scenario's canonical encoding
// (scenarios.Canonical: a versioned scenario file of every value that
// differs from its default, after strategies and overrides), so two inputs
// that simulate the same model have the same fingerprint whatever their
// comments or layout, and a key added to the format with its default
// changes no fingerprint. Every result file records it; this is the one
// place that computes it.
func Fingerprint(sc *sim.Scenario) string { return scenarios.Fingerprint(sc) }

// Comment is the first line of every CSV file escalate writes to a
// directory ("# ..."; read it with pandas' comment="#" or R's
// comment.char="#").
func (p *Provenance) Comment() string {
	s := fmt.Sprintf("# %s; scenario sha256 %s", p.Tool, p.ScenarioSHA256)
	if p.Strategy != "" {
		s += "; strategy " + p.Strategy
	}
	return s + "; reproduce with: " + p.Command + "\n"
}

// Caption is the provenance line drawn at the bottom of every chart, so
// that a figure in a paper says how to reproduce it; runs is the runs the
// chart shows.
func (p *Provenance) Caption(runs int64) string {
	parts := []string{p.Tool, p.Source, numfmt.RunCount(runs), fmt.Sprintf("seed %d", p.Seed)}
	if p.Strategy != "" {
		parts = append(parts, "strategy "+p.Strategy)
	}
	parts = append(parts, p.Overrides...)
	if len(p.ScenarioSHA256) >= 12 {
		parts = append(parts, "sha256 "+p.ScenarioSHA256[:12])
	}
	return strings.Join(parts, " · ")
}
