package scenarios

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/escalate-sim/escalate/sim"
)

// CanonicalVersion is the version of the canonical encoding, written on
// its first line. It changes only when the encoding of existing keys
// changes, never when a key is added.
const CanonicalVersion = 1

// Canonical returns the canonical encoding of a resolved scenario: the
// text that [Fingerprint] hashes. It is derived from the key table, not
// from Go structs, so that a scenario keeps its fingerprint when the code
// gains a field or a key:
//
//   - the first line is "# escalate scenario, canonical encoding v1";
//   - then the top-level keys, [model], [model.transitions] (Markov
//     dynamics only), each [country.ID] with its [country.ID.shock.NAME]
//     and [country.ID.event.NAME] tables, and each [intervention.ID], in
//     the scenario's order (the file's), each table's keys in the order of
//     the format reference;
//   - a key is written as "key = value" only when its value differs from
//     its default (so a key added later, at its default, adds nothing),
//     and only under the dynamics it belongs to; the scenario's name (its
//     file name) and strategies are not part of it;
//   - numbers as the shortest decimal that reads back exactly (Go's
//     strconv 'g' format, -1 precision; -0 as 0), strings JSON-quoted,
//     tables by stage as { latent = x, escalating = y, war = z }, spillover
//     as { ID = weight } in the file's order, staff_from as { month = staff }
//     by month, lists as ["a", "b"]; lines end
//     with "\n".
//
// The result is itself a scenario file that decodes to the same scenario.
func Canonical(sc *sim.Scenario) []byte {
	return canonical(sc, defaultTables)
}

// Fingerprint is the hex SHA-256 of [Canonical]: the same for every route
// to the same model (comments, layout, key order, strategies and
// overrides, defaults written out or left out).
func Fingerprint(sc *sim.Scenario) string {
	sum := sha256.Sum256(Canonical(sc))
	return hex.EncodeToString(sum[:])
}

// tableSet is the tables the encoding walks, replaceable by a test that
// adds a key.
type tableSet struct {
	top, model, transitions, country, shock, event, intervention *table
}

var defaultTables = tableSet{topTable, modelTable, transitionsTable, countryTable, shockTable, eventTable, interventionTable}

// res is the scenario and the entity (country, shock, event or
// intervention) that the key table's ptr and get functions reach: the one
// being decoded, or the one being encoded.
type res struct {
	sc *sim.Scenario
	c  *sim.Country
	sh *sim.Shock
	ev *sim.Event
	iv *sim.Intervention
}

// weights is a spillover table in the file's order.
type weights []weight

func (r res) spillover() any {
	var w weights
	for _, s := range r.c.Spillover {
		id := fmt.Sprint(s.From)
		if s.From >= 0 && s.From < len(r.sc.Countries) {
			id = r.sc.Countries[s.From].ID
		}
		w = append(w, weight{id, s.Weight})
	}
	return w
}

func (r res) noSpillover() any { return weights(nil) }

// monthMap is a staff schedule, by month in increasing order.
type monthMap []sim.StaffChange

func (r res) staffFrom() any { return monthMap(r.iv.StaffFrom) }

func (r res) countryIDs() []string {
	var ids []string
	for _, i := range r.iv.Countries {
		if i >= 0 && i < len(r.sc.Countries) {
			ids = append(ids, r.sc.Countries[i].ID)
		} else {
			ids = append(ids, fmt.Sprint(i))
		}
	}
	return ids
}

// country is the one country of a mission, or nil for a regional mandate,
// whose list countries writes: one model, one encoding, whichever key the
// file used.
func (r res) country() any {
	if ids := r.countryIDs(); len(ids) == 1 {
		return ids[0]
	}
	return nil
}

func (r res) countries() any {
	if ids := r.countryIDs(); len(ids) != 1 {
		return ids
	}
	return nil
}

func (r res) trigger() any {
	if !r.iv.Triggered {
		return "none"
	}
	return r.iv.Trigger.String()
}

func canonical(sc *sim.Scenario, ts tableSet) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# escalate scenario, canonical encoding v%d\n", CanonicalVersion)
	r := res{sc: sc}
	writeKeys(&b, ts.top, r)
	b.WriteString("[model]\n")
	writeKeys(&b, ts.model, r)
	if sc.Model.Dynamics == sim.Markov {
		b.WriteString("[model.transitions]\n")
		writeKeys(&b, ts.transitions, r)
	}
	for i := range sc.Countries {
		c := &sc.Countries[i]
		r := res{sc: sc, c: c}
		fmt.Fprintf(&b, "[country.%s]\n", c.ID)
		writeKeys(&b, ts.country, r)
		for j := range c.Shocks {
			fmt.Fprintf(&b, "[country.%s.shock.%s]\n", c.ID, c.Shocks[j].Name)
			r.sh = &c.Shocks[j]
			writeKeys(&b, ts.shock, r)
		}
		for j := range c.Events {
			fmt.Fprintf(&b, "[country.%s.event.%s]\n", c.ID, c.Events[j].Name)
			r.ev = &c.Events[j]
			writeKeys(&b, ts.event, r)
		}
	}
	for i := range sc.Interventions {
		iv := &sc.Interventions[i]
		fmt.Fprintf(&b, "[intervention.%s]\n", iv.ID)
		writeKeys(&b, ts.intervention, res{sc: sc, iv: iv})
	}
	return b.Bytes()
}

// writeKeys writes the keys of t whose values differ from their defaults.
func writeKeys(b *bytes.Buffer, t *table, r res) {
	for i := range t.fields {
		f := &t.fields[i]
		if !allowed(f.only, r.sc.Model.Dynamics) {
			continue
		}
		var v any
		switch {
		case f.ptr != nil:
			v = deref(f.ptr(r))
		case f.get != nil:
			v = f.get(r)
		}
		if v == nil {
			continue
		}
		text := canonicalValue(v)
		var def any = f.value
		if f.dflt != nil {
			def = f.dflt(r)
		}
		if def != nil && canonicalValue(def) == text {
			continue
		}
		fmt.Fprintf(b, "%s = %s\n", f.key, text)
	}
}

// deref returns the value a field's ptr points to.
func deref(p any) any {
	switch x := p.(type) {
	case *float64:
		return *x
	case *int:
		return *x
	case *int64:
		return *x
	case *uint64:
		return *x
	case *string:
		return *x
	case *[sim.NumStages]float64:
		return *x
	}
	panic(fmt.Sprintf("scenarios: a key's value of type %T", p))
}

func canonicalValue(v any) string {
	switch x := v.(type) {
	case float64:
		if x == 0 {
			x = 0 // -0 reads the same
		}
		return strconv.FormatFloat(x, 'g', -1, 64)
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case uint64:
		return strconv.FormatUint(x, 10)
	case string:
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(x) // a string always encodes
		return strings.TrimSuffix(b.String(), "\n")
	case []string:
		q := make([]string, len(x))
		for i, s := range x {
			q[i] = canonicalValue(s)
		}
		return "[" + strings.Join(q, ", ") + "]"
	case [sim.NumStages]float64:
		parts := make([]string, sim.NumStages)
		for st := range sim.NumStages {
			parts[st] = sim.Stage(st).String() + " = " + canonicalValue(x[st])
		}
		return "{ " + strings.Join(parts, ", ") + " }"
	case monthMap:
		if len(x) == 0 {
			return "{}"
		}
		parts := make([]string, len(x))
		for i, ch := range x {
			parts[i] = strconv.Itoa(ch.Month) + " = " + canonicalValue(ch.Staff)
		}
		return "{ " + strings.Join(parts, ", ") + " }"
	case weights:
		if len(x) == 0 {
			return "{}"
		}
		parts := make([]string, len(x))
		for i, w := range x {
			parts[i] = w.id + " = " + canonicalValue(w.w)
		}
		return "{ " + strings.Join(parts, ", ") + " }"
	}
	panic(fmt.Sprintf("scenarios: no canonical encoding for %T", v))
}
