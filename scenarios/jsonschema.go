package scenarios

import (
	"encoding/json"
	"math"
	"slices"
	"strings"

	"github.com/escalate-sim/escalate/sim"
)

// JSONSchema returns a JSON Schema (draft-07) of scenario files, derived
// from the key table the loader enforces, for editors whose TOML language
// server completes and checks keys against one (Even Better TOML / taplo:
// a first line `#:schema ./escalate.schema.json`). It states every key
// with its type, range, allowed strings, default and meaning, which keys
// are required or not allowed under which dynamics, and how many countries, missions,
// shocks and events a file may have. What relates keys (thresholds in
// order, rows summing to 1, references to countries and missions, months
// within the horizon) only the loader checks:
// [Parse] remains the judge. The output is deterministic, and
// a copy is committed as scenarios/escalate.schema.json.
func JSONSchema() []byte {
	defs := map[string]any{}
	for _, t := range allTables {
		if t != topTable {
			defs[defName(t)] = tableSchema(t)
		}
	}
	s := tableSchema(topTable)
	s["properties"].(map[string]any)[uncertainKey] = uncertainSchema() // uncertain.go
	s["$schema"] = "http://json-schema.org/draft-07/schema#"
	s["title"] = "escalate scenario file"
	s["definitions"] = defs
	s["if"] = map[string]any{
		"required": []string{"model"},
		"properties": map[string]any{"model": map[string]any{
			"required":   []string{"dynamics"},
			"properties": map[string]any{"dynamics": map[string]any{"const": "markov"}},
		}},
	}
	s["then"] = requiredUnder(topTable, markovOnly)
	s["else"] = requiredUnder(topTable, tensionOnly)
	out, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		panic("scenarios: JSON Schema: " + err.Error()) // only maps, strings and numbers
	}
	return append(out, '\n')
}

// defName names a table's definition: its path without the ID and NAME
// placeholders ("country.shock", "model.transitions").
func defName(t *table) string {
	parts := strings.Split(t.path, ".")
	var keep []string
	for _, p := range parts {
		if p != "ID" && p != "NAME" {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, ".")
}

// maxEntries bounds the named tables under an entity key, as the decoder
// does.
var maxEntries = map[string]int{
	"country":      sim.MaxCountries,
	"intervention": sim.MaxInterventions,
	"shock":        sim.MaxShocks,
	"event":        sim.MaxEvents,
}

func tableSchema(t *table) map[string]any {
	props := map[string]any{}
	var required []string
	for i := range t.fields {
		f := &t.fields[i]
		props[f.key] = fieldSchema(f)
		if f.required && f.only == anyDynamics {
			required = append(required, f.key)
		}
	}
	for key, sub := range t.entities {
		ref := map[string]any{"$ref": "#/definitions/" + defName(sub)}
		if singleTables[sub] {
			props[key] = ref
			continue
		}
		e := map[string]any{
			"type":                 "object",
			"description":          sub.doc + onlyText(sub.only),
			"propertyNames":        map[string]any{"pattern": idPattern.String()},
			"additionalProperties": ref,
		}
		if n, ok := maxEntries[key]; ok {
			e["maxProperties"] = n
		}
		if sub == countryTable {
			e["minProperties"] = 1
			required = append(required, key)
		}
		props[key] = e
	}
	s := map[string]any{
		"type":                 "object",
		"properties":           props,
		"additionalProperties": false,
	}
	if t.doc != "" && t != topTable {
		s["description"] = t.doc + onlyText(t.only)
	}
	if len(required) > 0 {
		slices.Sort(required)
		s["required"] = required
	}
	return s
}

func onlyText(o only) string {
	switch o {
	case tensionOnly:
		return " Tension dynamics only."
	case markovOnly:
		return " Markov dynamics only."
	}
	return ""
}

// number is the schema of one number of f's range.
func number(f *field, integer bool) map[string]any {
	if !integer {
		return map[string]any{"type": "number", "minimum": f.min, "maximum": f.max}
	}
	s := map[string]any{"type": "integer", "minimum": int64(f.min)}
	if f.max < math.MaxInt64 {
		s["maximum"] = int64(f.max)
	} // else any TOML integer from the minimum up
	return s
}

func fieldSchema(f *field) map[string]any {
	var s map[string]any
	switch f.kind {
	case kFloat:
		s = number(f, false)
	case kInt:
		s = number(f, true)
	case kString:
		s = map[string]any{"type": "string"}
	case kEnum:
		s = map[string]any{"type": "string", "enum": f.enum}
	case kStringList:
		s = map[string]any{"type": "array", "items": map[string]any{"type": "string"}}
	case kStageMap:
		stages := map[string]any{}
		for _, st := range sim.StageNames() {
			stages[st] = number(f, false)
		}
		s = map[string]any{"type": "object", "properties": stages, "additionalProperties": false}
	case kWeightMap:
		s = map[string]any{"type": "object", "propertyNames": map[string]any{"pattern": idPattern.String()},
			"additionalProperties": number(f, false)}
	case kPathMap:
		s = map[string]any{"type": "object"}
	case kMonthMap:
		s = map[string]any{"type": "object", "propertyNames": map[string]any{"pattern": "^[1-9][0-9]*$"},
			"additionalProperties": number(f, false)}
	}
	doc := f.doc
	if f.unit != "" {
		doc += " Unit: " + f.unit + "."
	}
	if f.def != "" && f.value == nil {
		doc += " Default: " + f.def + "."
	}
	s["description"] = doc + onlyText(f.only)
	if f.value != nil {
		s["default"] = f.value
	}
	return s
}

// requiredUnder is a schema that requires, in t and the tables under it,
// the keys and tables required only under the dynamics o, and forbids
// those of the other dynamics (a boolean false schema).
func requiredUnder(t *table, o only) map[string]any {
	other := func(x only) bool { return x != anyDynamics && x != o }
	var required []string
	props := map[string]any{}
	for _, f := range t.fields {
		switch {
		case f.required && f.only == o:
			required = append(required, f.key)
		case other(f.only):
			props[f.key] = false
		}
	}
	for key, sub := range t.entities {
		if other(sub.only) {
			props[key] = false
			continue
		}
		if singleTables[sub] && sub.only == o {
			required = append(required, key)
		}
		inner := requiredUnder(sub, o)
		if inner == nil {
			continue
		}
		if singleTables[sub] {
			props[key] = inner
		} else {
			props[key] = map[string]any{"additionalProperties": inner}
		}
	}
	if len(required) == 0 && len(props) == 0 {
		return nil
	}
	s := map[string]any{}
	if len(required) > 0 {
		slices.Sort(required)
		s["required"] = required
	}
	if len(props) > 0 {
		s["properties"] = props
	}
	return s
}
