package scenarios

import (
	"errors"
	"fmt"
	"strings"
)

// Error is a problem with a scenario: the file, the line where the TOML
// library records one (0 if not), the key path, and what is wrong.
type Error struct {
	File string // path, or the shipped scenario's name
	Line int    // 1-based; 0 when unknown
	Key  string // key path, e.g. "country.guinea.volatility"; empty for syntax errors
	Msg  string
	// Origin says where a value came from when it did not come from the
	// file: a front end's setting ("intervention.unowa.staff=-1", as
	// ParseSetting records it, or as the front end relabels it), a
	// strategy ("strategy.fast").
	Origin string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	b.WriteString(": ")
	if e.Key != "" {
		b.WriteString(e.Key)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	if e.Origin != "" {
		fmt.Fprintf(&b, " (set by %s)", e.Origin)
	}
	return b.String()
}

// Errors is a list of problems found in one file, in file order.
type Errors []*Error

// maxErrors bounds how many problems one file reports: enough to fix a
// file in one pass, not a wall of text.
const maxErrors = 20

func (es Errors) Error() string {
	var b strings.Builder
	for i, e := range es {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Unwrap lets errors.As find the individual errors.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// AsErrors returns the scenario errors in err, if any.
func AsErrors(err error) Errors {
	var es Errors
	if errors.As(err, &es) {
		return es
	}
	var e *Error
	if errors.As(err, &e) {
		return Errors{e}
	}
	return nil
}
