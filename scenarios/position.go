package scenarios

import (
	"errors"
	"strings"

	"github.com/BurntSushi/toml"
)

// The TOML library records where every key is defined but has no public
// accessor for it. It does put that position on the error a value's
// UnmarshalTOML returns, so positions asks for a key's value into a probe
// that always fails and reads the line off the error. Each such error
// costs the library a pass over the whole file, so keys are probed one at
// a time, only for the errors reported (at most maxErrors), never all.

type probe struct{}

var errProbe = errors.New("probe")

func (probe) UnmarshalTOML(any) error { return errProbe }

// positions finds the lines of key paths in one file.
type positions struct {
	md    toml.MetaData
	top   map[string]toml.Primitive
	keys  []toml.Key     // every key path, in file order
	names []string       // the same as toml.Key.String writes them
	lines map[string]int // probed so far; 0 if the library has no line
	// tables decoded so far, by key path: a table of many keys is decoded
	// once, not once for each error inside it.
	tables map[string]map[string]toml.Primitive
}

// newPositions decodes data for probing; a file that does not decode has
// no positions.
func newPositions(data []byte) *positions {
	p := &positions{lines: map[string]int{}, tables: map[string]map[string]toml.Primitive{}}
	md, err := toml.Decode(string(data), &p.top)
	if err != nil {
		return p
	}
	p.md = md
	p.keys = md.Keys()
	for _, k := range p.keys {
		p.names = append(p.names, k.String())
	}
	return p
}

// probe returns the line on which the library says path is defined, or 0.
func (p *positions) probe(path []string) int {
	key := toml.Key(path).String()
	if l, ok := p.lines[key]; ok {
		return l
	}
	l := 0
	m := p.top
	for i, k := range path {
		prim, ok := m[k]
		if !ok {
			break
		}
		if i == len(path)-1 {
			var pe toml.ParseError
			if err := p.md.PrimitiveDecode(prim, probe{}); errors.As(err, &pe) {
				l = pe.Position.Line
			}
			break
		}
		tkey := toml.Key(path[:i+1]).String()
		sub, ok := p.tables[tkey]
		if !ok {
			if p.md.PrimitiveDecode(prim, &sub) != nil {
				sub = nil
			}
			p.tables[tkey] = sub
		}
		if sub == nil {
			break
		}
		m = sub
	}
	p.lines[key] = l
	return l
}

// line returns the line on which path is defined; for a table defined only
// through its sub-tables ([country.a.shock.x] defines country.a.shock), the
// line of the first key inside it; else the line of its nearest ancestor
// in the file; else 0.
func (p *positions) line(path []string) int {
	if len(path) == 0 {
		return 0
	}
	if l := p.probe(path); l > 0 {
		return l
	}
	prefix := toml.Key(path).String() + "."
	for i, name := range p.names {
		if strings.HasPrefix(name, prefix) {
			if l := p.probe(p.keys[i]); l > 0 {
				return l
			}
		}
	}
	for q := path[:len(path)-1]; len(q) > 0; q = q[:len(q)-1] {
		if l := p.probe(q); l > 0 {
			return l
		}
	}
	return 0
}
