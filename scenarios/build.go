package scenarios

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/escalate-sim/escalate/sim"
)

// scenario decodes the whole tree. Errors go to d.errs; the returned value
// is only meaningful when there are none.
func (d *decoder) scenario() *sim.Scenario {
	top := d.view(nil, d.tree, topTable)
	sc := &sim.Scenario{Name: d.f.Name}
	top.decodeFields(res{sc: sc}, false)

	d.model(top, sc)

	ids, tables := top.entities("country")
	if len(ids) == 0 && len(d.errs) == 0 {
		d.fail([]string{"country"}, "a scenario needs at least one [country.ID] table")
	}
	if len(ids) > sim.MaxCountries {
		d.fail([]string{"country"}, "at most %d countries, got %d", sim.MaxCountries, len(ids))
		ids = ids[:sim.MaxCountries]
	}
	d.ids = make(map[string]int, len(ids))
	for i, id := range ids {
		d.ids[id] = i
	}
	for _, id := range ids {
		sc.Countries = append(sc.Countries, d.country(id, tables[id], sc))
	}

	ids, tables = top.entities("intervention")
	if len(ids) > sim.MaxInterventions {
		d.fail([]string{"intervention"}, "at most %d interventions, got %d", sim.MaxInterventions, len(ids))
		ids = ids[:sim.MaxInterventions]
	}
	for _, id := range ids {
		sc.Interventions = append(sc.Interventions, d.intervention(id, tables[id], sc))
	}

	// Strategies are checked once, on the file as written.
	if d.withStrategies {
		d.f.Strategies = d.strategies(top, sc)
	}
	return sc
}

func (d *decoder) model(top *view, sc *sim.Scenario) {
	m := &sc.Model
	var raw any = map[string]any{}
	if x, ok := top.m["model"]; ok {
		raw = x
	}
	// The dynamics decide which keys are allowed, so read it first.
	if mm, ok := raw.(map[string]any); ok {
		if s, ok := mm["dynamics"].(string); ok && s == "markov" {
			d.dynamics = sim.Markov
		}
	}
	mv := d.view([]string{"model"}, raw, modelTable)
	switch mv.str("dynamics") {
	case "markov":
		m.Dynamics = sim.Markov
	default:
		m.Dynamics = sim.Tension
	}
	mv.decodeFields(res{sc: sc}, true)
	if m.Dynamics == sim.Tension {
		// The checks that relate keys, here rather than left to
		// sim.Validate (which stops at the first problem), so that
		// validate reports them beside every other problem of the file.
		if d.good("model.escalation_threshold", "model.war_threshold") && !(m.EscalationThreshold < m.WarThreshold) {
			d.fail(mv.at("war_threshold"), "must be greater than escalation_threshold (%g), got %g", m.EscalationThreshold, m.WarThreshold)
		}
		if d.good("model.escalation_threshold", "model.hysteresis") && m.Hysteresis > m.EscalationThreshold {
			d.fail(mv.at("hysteresis"), "must be between 0 and %g (escalation_threshold), got %g", m.EscalationThreshold, m.Hysteresis)
		}
		return
	}
	if sc.Horizon > 0 && m.MonthsPerStep > 0 && d.good("model.months_per_step") && sc.Horizon%m.MonthsPerStep != 0 {
		d.fail([]string{"horizon_months"}, "must be a multiple of model.months_per_step (%d), got %d", m.MonthsPerStep, sc.Horizon)
	}
	raw, ok := mv.m["transitions"]
	if !ok {
		d.fail([]string{"model", "transitions"}, "markov dynamics need a [model.transitions] table with rows latent, escalating and war")
		return
	}
	tv := d.view([]string{"model", "transitions"}, raw, transitionsTable)
	tv.decodeFields(res{sc: sc}, false)
	for from := range sim.NumStages {
		row := sim.Stage(from).String()
		sum := 0.0
		for _, p := range m.Transitions[from] {
			sum += p
		}
		if d.good(strings.Join(tv.at(row), ".")) && tv.has(row) && math.Abs(sum-1) > 1e-9 {
			d.fail(tv.at(row), "probabilities must sum to 1, got %.12g", sum)
		}
	}
}

func (d *decoder) country(id string, raw any, sc *sim.Scenario) sim.Country {
	path := []string{"country", id}
	v := d.view(path, raw, countryTable)
	c := sim.Country{ID: id}
	v.decodeFields(res{sc: sc, c: &c}, false)
	if sc.Model.Dynamics == sim.Markov {
		st, _ := sim.ParseStage(v.str("initial_stage"))
		c.InitialStage = st
		return c
	}
	for _, w := range v.weights("spillover") {
		from, ok := d.ids[w.id]
		switch {
		case !ok:
			d.fail(append(v.at("spillover"), w.id), "no country %q in this scenario (countries: %s)", w.id, d.countryList())
		case w.id == id:
			d.fail(append(v.at("spillover"), w.id), "a country cannot spill over onto itself")
		default:
			c.Spillover = append(c.Spillover, sim.Spillover{From: from, Weight: w.w})
		}
	}
	names, tables := v.entities("shock")
	if len(names) > sim.MaxShocks {
		d.fail(v.at("shock"), "at most %d shock processes, got %d", sim.MaxShocks, len(names))
		names = names[:sim.MaxShocks]
	}
	for _, n := range names {
		sv := d.view(v.at("shock", n), tables[n], shockTable)
		sh := sim.Shock{Name: n}
		sv.decodeFields(res{sc: sc, sh: &sh}, false)
		if sv.str("distribution") == "fixed" {
			sh.Distribution = sim.Fixed
		}
		c.Shocks = append(c.Shocks, sh)
	}
	names, tables = v.entities("event")
	if len(names) > sim.MaxEvents {
		d.fail(v.at("event"), "at most %d events, got %d", sim.MaxEvents, len(names))
		names = names[:sim.MaxEvents]
	}
	for _, n := range names {
		ev := d.view(v.at("event", n), tables[n], eventTable)
		e := sim.Event{Name: n}
		ev.decodeFields(res{sc: sc, ev: &e}, false)
		if sc.Horizon > 0 && e.Month > sc.Horizon {
			if d.horizonOverridden() {
				continue // after a horizon shortened by an override: outside the window
			}
			d.fail(ev.at("month"), "must be within horizon_months (%d), got %d", sc.Horizon, e.Month)
		}
		c.Events = append(c.Events, e)
	}
	return c
}

// horizonOverridden reports whether an override of horizon_months
// changed the file's horizon: then events and starts after it fall outside
// the simulated window instead of being mistakes.
func (d *decoder) horizonOverridden() bool {
	_, ok := d.origins["horizon_months"]
	return ok
}

func (d *decoder) countryList() string {
	ids := make([]string, len(d.ids))
	for id, i := range d.ids {
		ids[i] = id
	}
	return strings.Join(ids, ", ")
}

func (d *decoder) countryIndex(path []string, id string) (int, bool) {
	i, ok := d.ids[id]
	if !ok {
		d.fail(path, "no country %q in this scenario (countries: %s)", id, d.countryList())
	}
	return i, ok
}

func (d *decoder) intervention(id string, raw any, sc *sim.Scenario) sim.Intervention {
	horizon := sc.Horizon
	v := d.view([]string{"intervention", id}, raw, interventionTable)
	iv := sim.Intervention{ID: id}
	kind, _ := sim.ParseKind(v.str("kind"))
	iv.Kind = kind // before the other keys: the effect's default depends on it
	v.decodeFields(res{sc: sc, iv: &iv}, false)
	switch {
	case v.has("country") && v.has("countries"):
		d.fail(v.at("countries"), "give either country or countries, not both")
	case v.has("country"):
		if i, ok := d.countryIndex(v.at("country"), v.str("country")); ok {
			iv.Countries = []int{i}
		}
	case v.has("countries"):
		list := v.strings("countries")
		if len(list) == 0 {
			d.fail(v.at("countries"), "must name at least one country")
		}
		for _, c := range list {
			i, ok := d.countryIndex(v.at("countries"), c)
			if ok && slices.Contains(iv.Countries, i) {
				d.fail(v.at("countries"), "country %q is listed twice", c)
				continue
			}
			if ok {
				iv.Countries = append(iv.Countries, i)
			}
		}
	default:
		d.fail(v.at("country"), "required: the country (or countries) the mission works in")
	}
	if trig := v.str("trigger"); trig != "none" {
		if v.has("start_month") {
			// Blame the key an override (a strategy, a setting) brought in,
			// so that the message says where it came from.
			at := v.at("trigger")
			if _, ok := d.origins[strings.Join(v.at("start_month"), ".")]; ok {
				at = v.at("start_month")
			}
			d.fail(at, "give either start_month or trigger, not both (set trigger = \"none\" to use start_month)")
		}
		st, _ := sim.ParseStage(trig)
		iv.Triggered, iv.Trigger = true, st
	}
	iv.StaffFrom = v.months("staff_from", horizon)
	if horizon > 0 && iv.EndMonth > horizon+1 && !d.horizonOverridden() {
		d.fail(v.at("end_month"), "must be 0 (no end) or between 1 and horizon_months + 1 (%d), got %d", horizon+1, iv.EndMonth)
	}
	if !iv.Triggered && horizon > 0 && iv.StartMonth > horizon && !d.horizonOverridden() {
		// In the file a start after the horizon is a mistake; after
		// an override shortened the run it is a mission that never starts.
		d.fail(v.at("start_month"), "must be between 0 and horizon_months (%d), got %d", horizon, iv.StartMonth)
	}
	return iv
}

func (d *decoder) strategies(top *view, sc *sim.Scenario) []Strategy {
	ids, tables := top.entities("strategy")
	var out []Strategy
	for _, id := range ids {
		v := d.view([]string{"strategy", id}, tables[id], strategyTable)
		st := Strategy{ID: id}
		st.Name = v.strOr("name", id)
		st.Description = v.str("description")
		st.Disable = v.strings("disable")
		for _, iv := range st.Disable {
			if iv == "*" {
				continue
			}
			if !slices.ContainsFunc(sc.Interventions, func(x sim.Intervention) bool { return x.ID == iv }) {
				d.fail(v.at("disable"), "no intervention %q in this scenario", iv)
			}
		}
		if x, _, ok := v.get("set"); ok {
			m, isMap := x.(map[string]any)
			if !isMap {
				d.fail(v.at("set"), "must be a table of key paths, like set = { \"intervention.ID.staff\" = 30 }")
			}
			for _, leaf := range flatten(nil, m) {
				var path []string
				for _, seg := range leaf.path {
					path = append(path, strings.Split(seg, ".")...)
				}
				ov := Override{Path: path, Value: leaf.value, Origin: "strategy." + id, source: append(v.at("set"), leaf.path...)}
				if err := d.f.checkPath(path); err != nil {
					d.fail(append(v.at("set"), leaf.path...), "%v", err)
					continue
				}
				st.Set = append(st.Set, ov)
			}
		}
		out = append(out, st)
	}
	return out
}

type leaf struct {
	path  []string
	value any
}

// flatten lists the leaves of a strategy's set table. Quoted dotted keys
// ("intervention.unowa.staff" = 30) arrive as one key; a nested table of
// the same paths is accepted too. A table value whose keys are stages is
// kept whole, so `effect = { war = 0.1 }` sets the stage map.
func flatten(prefix []string, m map[string]any) []leaf {
	var out []leaf
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		p := append(slices.Clone(prefix), k)
		if sub, ok := m[k].(map[string]any); ok && len(sub) > 0 {
			out = append(out, flatten(p, sub)...)
			continue
		}
		out = append(out, leaf{p, m[k]})
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// String describes the strategy for listings.
func (s Strategy) String() string {
	if s.Description == "" {
		return fmt.Sprintf("%s (%s)", s.ID, s.Name)
	}
	return fmt.Sprintf("%s (%s): %s", s.ID, s.Name, s.Description)
}
