package resultfile

import (
	"fmt"

	"github.com/escalate-sim/escalate/sim"
)

// The result files: each is sim's summary with the provenance that
// reproduces it, and is what --format json prints.
type (
	// Summary is summary.json and the --format json output of run and merge:
	// the summary with the provenance that reproduces it.
	Summary struct {
		*sim.Summary
		// Shard is set in the summary of one shard of a job.
		Shard      *Shard     `json:"shard,omitempty"`
		Provenance Provenance `json:"provenance"`
	}

	// Comparison is comparison.json and the --format json output of compare.
	Comparison struct {
		*sim.ComparisonSummary
		Provenance Provenance `json:"provenance"`
	}

	// Sweep is sweep.json and the --format json output of sweep.
	Sweep struct {
		*sim.SweepSummary
		Provenance Provenance `json:"provenance"`
	}
)

// ParseSummary decodes a summary.json written by escalate run (or merge)
// strictly and checks it with CheckSummary; path names it in errors.
func ParseSummary(path string, data []byte) (*Summary, error) {
	return parse(path, data, "summary.json", func(s *Summary) error {
		if s.Summary == nil || s.Provenance.Source == "" || s.Provenance.ScenarioSHA256 == "" {
			return fmt.Errorf("not a summary.json written by escalate run (no provenance)")
		}
		return CheckSummary(s.Summary)
	})
}

// ParseComparison decodes a comparison.json strictly and checks it with
// CheckComparison.
func ParseComparison(path string, data []byte) (*Comparison, error) {
	return parse(path, data, "comparison.json", func(c *Comparison) error { return CheckComparison(c.ComparisonSummary) })
}

// ParseSweep decodes a sweep.json strictly and checks it with CheckSweep.
func ParseSweep(path string, data []byte) (*Sweep, error) {
	return parse(path, data, "sweep.json", func(s *Sweep) error { return CheckSweep(s.SweepSummary) })
}
