// Package resultfile reads, writes, checks and merges the files escalate
// writes: summary.json (a run), aggregates.json (a run's or a shard's raw
// counts), comparison.json and sweep.json, and their CSV companions.
//
// Each format has one strict, size-limited reader (unknown fields, damaged
// counts and series that do not fit their horizon are errors naming the
// file, never a panic later), one writer, one validity check and, where it
// applies, one merge. Every file records its provenance, including the job
// that produced it as a structured Recipe, so that a result can be replayed
// without re-reading a command line.
//
// The package depends on sim alone, so that plots and other readers can
// check a file without running anything.
package resultfile
