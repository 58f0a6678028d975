package scenarios

import (
	"errors"

	"github.com/BurntSushi/toml"
)

// The TOML library records where every key is defined but has no public
// accessor for it. It does put that position on the error a value's
// UnmarshalTOML returns, so positions asks for each key's value into a
// probe that always fails and reads the line off the error.

type probe struct{}

var errProbe = errors.New("probe")

func (probe) UnmarshalTOML(any) error { return errProbe }

// positions maps every key path in data (as toml.Key.String() writes it) to
// its line. It is only called to report an error; Parse has bounded the
// nesting (maxKeyDepth), which its walk re-decodes at every level.
func positions(data []byte) map[string]int {
	out := map[string]int{}
	var top map[string]toml.Primitive
	md, err := toml.Decode(string(data), &top)
	if err != nil {
		return out
	}
	var walk func(map[string]toml.Primitive)
	walk = func(m map[string]toml.Primitive) {
		for _, prim := range m {
			var pe toml.ParseError
			if err := md.PrimitiveDecode(prim, probe{}); errors.As(err, &pe) {
				out[pe.LastKey] = pe.Position.Line
			}
			var sub map[string]toml.Primitive
			if md.PrimitiveDecode(prim, &sub) == nil {
				walk(sub)
			}
		}
	}
	walk(top)
	return out
}
