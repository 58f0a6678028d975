package scenarios

import (
	"strings"
)

// KeyLabel describes a key path for people: what it belongs to, what it
// measures and in which unit, for chart axes and legends.
type KeyLabel struct {
	// Subject is the display name of what the key belongs to: a mission
	// ("UNOWA good offices"), a country ("Guinea"), a country's shock or
	// event ("Guinea, shock army"); empty for the model and the top level.
	Subject string
	// Quantity names the key: "start-up delay", "staff", "war threshold",
	// "effect (escalating)", "spillover from Sierra Leone".
	Quantity string
	// Unit is the key's unit as the format reference gives it ("months",
	// "people", "USD"), or empty.
	Unit string
}

// String is the label of an axis: "UNOWA good offices: start-up delay
// (months)".
func (k KeyLabel) String() string {
	s := k.Quantity
	if k.Unit != "" {
		s += " (" + k.Unit + ")"
	}
	if k.Subject != "" {
		s = k.Subject + ": " + s
	}
	return s
}

// Value is the short label of one value of the key, for a legend where
// every entry shares the subject: "start-up delay 6 mo", "staff 30",
// "staff from month 13: 6".
func (k KeyLabel) Value(v string) string {
	switch k.Unit {
	case "months":
		return k.Quantity + " " + v + " mo"
	case "USD":
		return k.Quantity + " $" + v
	}
	if q := k.Quantity; q != "" && q[len(q)-1] >= '0' && q[len(q)-1] <= '9' {
		// Two numbers in a row read as one: "staff from month 13: 6".
		return q + ": " + v
	}
	return k.Quantity + " " + v
}

// Label describes a key path that an override may set (see
// [ParseSetting]); the path must name a key of this file's schema through
// entities that exist in the file, else Label returns the error the
// override would give.
func (f *File) Label(path string) (KeyLabel, error) {
	parts, err := ParsePath(path)
	if err != nil {
		return KeyLabel{}, err
	}
	r, err := f.resolve(parts)
	if err != nil {
		return KeyLabel{}, err
	}
	var l KeyLabel
	for _, o := range r.owner {
		switch kind, id := o[0], o[1]; kind {
		case "shock", "event":
			l.Subject += ", " + kind + " " + id
		default:
			l.Subject = f.displayName(kind, id)
		}
	}
	key := r.field.key
	l.Quantity = r.field.label
	if l.Quantity == "" {
		l.Quantity = strings.ReplaceAll(key, "_", " ")
	}
	l.Unit = r.field.unit
	switch {
	case r.sub == "":
	case r.spec == transitionsTable:
		l.Quantity = "P(" + key + " → " + r.sub + ") per step"
	case r.field.kind == kMonthMap:
		l.Quantity = "staff from month " + r.sub
	case r.field.kind == kWeightMap:
		l.Quantity += " from " + f.displayName("country", r.sub)
	default:
		l.Quantity += " (" + r.sub + ")"
	}
	return l, nil
}

// displayName is the name key of table kind.id, or the id.
func (f *File) displayName(kind, id string) string {
	tables, _ := f.tree[kind].(map[string]any)
	entity, _ := tables[id].(map[string]any)
	if name, ok := entity["name"].(string); ok && strings.TrimSpace(name) != "" {
		return name
	}
	return id
}
