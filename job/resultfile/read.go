package resultfile

import (
	"bytes"
	"encoding/json"
	"fmt"
	"github.com/escalate-sim/escalate/internal/inputfile"
	"io"
	"path/filepath"
)

// Size limits of the files the readers accept: a 1,200-month scenario
// with 64 countries holds about 8 million counts in aggregates.json.
const (
	MaxResultSize     = 256 << 20 // summary, comparison and sweep
	MaxAggregatesSize = 512 << 20
)

// Bounds on what a file may hold: a comparison's strategies, and a
// sweep's points (beyond which a user has almost certainly mistyped a
// step).
const (
	MaxStrategies  = 1000
	MaxSweepPoints = 10000
)

// ReadLimited reads a file of at most limit bytes.
func ReadLimited(path string, limit int64) ([]byte, error) {
	return inputfile.Read(path, "a result file", limit)
}

// Kinds of result file, as Kind names them.
const (
	KindSummary    = "summary"
	KindComparison = "comparison"
	KindSweep      = "sweep"
)

// Kind tells a summary, a comparison and a sweep apart by their
// distinctive top-level keys; path names the file in errors.
func Kind(path string, data []byte) (string, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return "", fmt.Errorf("%s: not a JSON result of escalate: %w", path, err)
	}
	switch {
	case top["strategies"] != nil:
		return KindComparison, nil
	case top["points"] != nil:
		return KindSweep, nil
	case top["countries"] != nil:
		return KindSummary, nil
	}
	return "", fmt.Errorf("%s: not a summary.json, comparison.json or sweep.json of escalate", filepath.Base(path))
}

// decodeStrict decodes JSON that must hold only known fields.
func decodeStrict(path string, data []byte, v any, what string) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%s: not a %s written by escalate: %w", path, what, err)
	}
	return nil
}

// parse decodes the file what at path strictly and checks it.
func parse[T any](path string, data []byte, what string, check func(*T) error) (*T, error) {
	var v T
	if err := decodeStrict(path, data, &v, what); err != nil {
		return nil, err
	}
	if err := check(&v); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &v, nil
}

// Marshal encodes a result file as escalate writes it: indented JSON
// ending in a newline. Equal results give equal bytes.
func Marshal(v any) ([]byte, error) {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}

// Write writes v to w as Marshal encodes it.
func Write(w io.Writer, v any) error {
	data, err := Marshal(v)
	if err != nil {
		return err
	}
	_, err = w.Write(data)
	return err
}

// Parse reads a result file of any kind (Kind tells which) with its
// kind's reader and returns it (a *Summary, *Comparison or *Sweep) with
// its provenance.
func Parse(path string, data []byte) (any, *Provenance, error) {
	kind, err := Kind(path, data)
	if err != nil {
		return nil, nil, err
	}
	switch kind {
	case KindSummary:
		s, err := ParseSummary(path, data)
		if err != nil {
			return nil, nil, err
		}
		return s, &s.Provenance, nil
	case KindComparison:
		c, err := ParseComparison(path, data)
		if err != nil {
			return nil, nil, err
		}
		return c, &c.Provenance, nil
	}
	s, err := ParseSweep(path, data)
	if err != nil {
		return nil, nil, err
	}
	return s, &s.Provenance, nil
}

// KindOf is the kind of a result file value: KindSummary for a *Summary,
// KindComparison for a *Comparison, KindSweep for a *Sweep, "" otherwise.
func KindOf(v any) string {
	switch v.(type) {
	case *Summary:
		return KindSummary
	case *Comparison:
		return KindComparison
	case *Sweep:
		return KindSweep
	}
	return ""
}
