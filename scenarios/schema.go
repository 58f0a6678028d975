package scenarios

import (
	"math"
	"strings"

	"github.com/escalate-sim/escalate/sim"
)

// kind is the type of value a key holds.
type kind int

const (
	kFloat      kind = iota
	kInt             // an integer
	kString          // a string
	kEnum            // a string from a fixed list
	kStringList      // an array of strings
	kStageMap        // an inline table of one number per stage
	kWeightMap       // an inline table of numbers keyed by country id
	kPathMap         // a table of values keyed by key paths
	kMonthMap        // an inline table of numbers keyed by month
)

func (k kind) String() string {
	return [...]string{"number", "integer", "string", "string", "array of strings",
		"table of numbers by stage", "table of numbers by country id", "table of key paths", "table of numbers by month"}[k]
}

// only restricts a key to one dynamics.
type only int

const (
	anyDynamics only = iota
	tensionOnly
	markovOnly
)

// field declares one key.
type field struct {
	key      string
	kind     kind
	min, max float64 // inclusive range of numbers (and of each number in a map)
	enum     []string
	required bool
	only     only
	// value is the default, typed as the decoder returns it (float64,
	// int64 or string), for a key whose default is a constant.
	value any
	// def documents a default that depends on the rest of the file ("the
	// ID", "to the horizon"); the decoder supplies those.
	def  string
	unit string
	// label names the key on chart axes when its words alone read badly
	// ("start-up delay" for startup_delay_months); else the key's words.
	label string
	doc   string
	// ptr points to where the key's value lives in the scenario being
	// decoded or encoded: the decoder fills it (decodeFields) and the
	// canonical encoding reads it.
	ptr func(r res) any
	// get reads the value of a key that the decoder handles itself (an
	// enum, a reference, a key whose meaning depends on others) for the
	// canonical encoding. A key with neither is not part of a resolved
	// scenario (a strategy's).
	get func(r res) any
	// dflt is the default of a key whose default depends on the rest of
	// the scenario (a name's ID), when value does not give it.
	dflt func(r res) any
}

// table declares a table: its keys and its named sub-tables.
type table struct {
	path   string // as documented, e.g. "country.ID"
	doc    string
	fields []field
	// entities maps a key to the table each of its named entries follows,
	// e.g. "shock" → the shock table for [country.ID.shock.NAME].
	entities map[string]*table
	only     only
}

func (t *table) field(key string) *field {
	for i := range t.fields {
		if t.fields[i].key == key {
			return &t.fields[i]
		}
	}
	return nil
}

// keys lists every key the table accepts, for "did you mean" hints.
func (t *table) keys() []string {
	var ks []string
	for _, f := range t.fields {
		ks = append(ks, f.key)
	}
	for k := range t.entities {
		ks = append(ks, k)
	}
	return ks
}

var unit01 = [2]float64{0, 1}

var (
	shockTable = &table{
		path: "country.ID.shock.NAME",
		doc:  "A random shock process: a Poisson number of events per month, each raising tension by a random size.",
		only: tensionOnly,
		fields: []field{
			{key: "rate_per_year", kind: kFloat, label: "rate", min: 0, max: sim.MaxRatePerYear, required: true, unit: "events per year", ptr: func(r res) any { return &r.sh.RatePerYear }, doc: "Mean number of events per year; each month draws Poisson(rate_per_year/12) events."},
			{key: "mean_size", kind: kFloat, min: 0, max: 1, required: true, unit: "tension", ptr: func(r res) any { return &r.sh.MeanSize }, doc: "Mean tension added by one event (scaled down by monitoring's deterrence)."},
			{key: "distribution", kind: kEnum, enum: []string{"exponential", "fixed"}, value: "exponential", get: func(r res) any { return r.sh.Distribution.String() }, doc: "Distribution of an event's size: exponential with mean `mean_size`, or always `mean_size`."},
		},
	}
	eventTable = &table{
		path: "country.ID.event.NAME",
		doc:  "A scheduled event (an election, an anniversary, a referendum, an agreement).",
		only: tensionOnly,
		fields: []field{
			{key: "month", kind: kInt, min: 1, max: sim.MaxHorizon, required: true, unit: "month", ptr: func(r res) any { return &r.ev.Month }, doc: "Month in which it happens (1..horizon_months)."},
			{key: "size", kind: kFloat, min: -1, max: 1, required: true, unit: "tension", ptr: func(r res) any { return &r.ev.Size }, doc: "Tension added that month; negative for a calming event. Positive sizes are scaled down by monitoring's deterrence."},
		},
	}
	countryTable = &table{
		path:     "country.ID",
		doc:      "A country. ID is a short key (ASCII letters, digits, _ and -) used in references; countries keep the order of the file.",
		entities: map[string]*table{"shock": shockTable, "event": eventTable},
		fields: []field{
			{key: "name", kind: kString, def: "the ID", ptr: func(r res) any { return &r.c.Name }, dflt: func(r res) any { return r.c.ID }, doc: "Display name."},
			{key: "initial_tension", kind: kFloat, min: 0, max: 1, required: true, only: tensionOnly, unit: "tension", ptr: func(r res) any { return &r.c.InitialTension }, doc: "Tension in month 0; the initial stage follows from the thresholds."},
			{key: "initial_stage", kind: kEnum, enum: sim.StageNames(), value: "latent", only: markovOnly, get: func(r res) any { return r.c.InitialStage.String() }, doc: "Stage in month 0."},
			{key: "structural_pressure", kind: kFloat, min: 0, max: 1, required: true, only: tensionOnly, unit: "tension", ptr: func(r res) any { return &r.c.StructuralPressure }, doc: "The level tension reverts to without shocks or missions (the structural attractor), before rule-of-law capacity lowers it."},
			{key: "reversion", kind: kFloat, min: 0, max: 1, value: float64(sim.DefaultReversion), only: tensionOnly, unit: "per month", ptr: func(r res) any { return &r.c.Reversion }, doc: "Share of the gap to the attractor closed each month."},
			{key: "volatility", kind: kFloat, min: 0, max: 1, value: float64(sim.DefaultVolatility), only: tensionOnly, unit: "tension per month", ptr: func(r res) any { return &r.c.Volatility }, doc: "Standard deviation of the monthly normal noise."},
			{key: "momentum", kind: kStageMap, min: -1, max: 1, def: "0 in every stage", only: tensionOnly, unit: "tension per month", ptr: func(r res) any { return &r.c.Momentum }, dflt: func(r res) any { return [sim.NumStages]float64{} }, doc: "Drift added each month by stage: self-reinforcing violence. Stages left out are 0."},
			{key: "spillover", kind: kWeightMap, min: 0, max: 1, def: "none", only: tensionOnly, unit: "tension per month", get: func(r res) any { return r.spillover() }, dflt: func(r res) any { return r.noSpillover() }, doc: "`{ neighbour = weight }`: weight added in every month after one in which that neighbour was at war."},
		},
	}
	interventionTable = &table{
		path: "intervention.ID",
		doc:  "A mission component. It is launched at `start_month` or by a `trigger`, acts after its start-up delay for its duration, in one country or, as a regional mandate, in several.",
		fields: []field{
			{key: "name", kind: kString, def: "the ID", ptr: func(r res) any { return &r.iv.Name }, dflt: func(r res) any { return r.iv.ID }, doc: "Display name."},
			{key: "kind", kind: kEnum, enum: sim.KindNames(), required: true, get: func(r res) any { return r.iv.Kind.String() }, doc: "What it does: mediation lowers tension each month; rule_of_law builds a capacity R that lowers structural pressure and decays after the mission; monitoring deters shocks and events and removes the detection lag."},
			{key: "country", kind: kString, get: func(r res) any { return r.country() }, doc: "The country it works in (give `country` or `countries`)."},
			{key: "countries", kind: kStringList, get: func(r res) any { return r.countries() }, doc: "The countries of a regional mandate; staff is split between them in proportion to their tension in the previous month."},
			{key: "start_month", kind: kInt, min: 0, max: sim.MaxHorizon, def: "0 unless `trigger` is given", unit: "month", ptr: func(r res) any { return &r.iv.StartMonth }, dflt: func(r res) any { return 0 }, doc: "Month in which it is launched."},
			{key: "trigger", kind: kEnum, enum: []string{"escalating", "war", "none"}, value: "none", get: func(r res) any { return r.trigger() }, doc: "Launch it instead when one of its countries first reaches this stage (or worse) and it is detected: `model.detection_lag_months` later, or at once in a monitored country. `\"none\"` launches it at `start_month` (a strategy or an override can so undo a trigger)."},
			{key: "startup_delay_months", kind: kInt, label: "start-up delay", min: 0, max: sim.MaxHorizon, value: int64(0), unit: "months", ptr: func(r res) any { return &r.iv.StartupDelay }, doc: "Planning, funding and recruitment between launch and effect. A mission launched in month L first acts in month L + delay + 1."},
			{key: "duration_months", kind: kInt, label: "duration", min: 1, max: sim.MaxHorizon, def: "to the horizon", unit: "months", ptr: func(r res) any { return &r.iv.Duration }, dflt: func(r res) any { return 0 }, doc: "Number of months it acts."},
			{key: "end_month", kind: kInt, label: "end month", min: 0, max: sim.MaxHorizon + 1, value: int64(0), unit: "month", ptr: func(r res) any { return &r.iv.EndMonth }, doc: "A timed decision to end it: it acts in no month from this one on, whatever its duration (ending it in month M is `end_month = M + 1`). 0: no end; at most horizon_months + 1."},
			{key: "staff", kind: kFloat, min: 0, max: sim.MaxStaff, required: true, unit: "people", ptr: func(r res) any { return &r.iv.Staff }, doc: "Civilian experts deployed (before any change of `staff_from`)."},
			{key: "staff_from", kind: kMonthMap, label: "staff from month", min: 0, max: sim.MaxStaff, def: "none", unit: "people", get: func(r res) any { return r.staffFrom() }, dflt: func(r res) any { return monthMap(nil) }, doc: "Timed decisions to resize it: `{ 9 = 20, 15 = 0 }` gives it 20 staff from month 9 and none from month 15 (months 1..horizon_months, absolute, not counted from launch); capacity, effect, regional split and cost follow the staff in force. Resizing it in month M is a change from M + 1."},
			{key: "staff_scale", kind: kFloat, min: 1e-9, max: sim.MaxStaff, value: float64(sim.DefaultStaffScale), unit: "people", ptr: func(r res) any { return &r.iv.StaffScale }, doc: "Capacity is expertise × (1 − exp(−staff / staff_scale)): zero staff, zero effect; more staff never lowers capacity (nor P(war) in expectation)."},
			{key: "expertise", kind: kFloat, min: 0, max: 1, value: float64(sim.DefaultExpertise), ptr: func(r res) any { return &r.iv.Expertise }, doc: "Quality of the staff; multiplies capacity."},
			{key: "consent", kind: kFloat, min: 0, max: 1, value: float64(sim.DefaultConsent), unit: "probability", ptr: func(r res) any { return &r.iv.Consent }, doc: "Probability that the host accepts the mission, drawn once per run. Without consent it has no effect and no cost."},
			{key: "cost_per_staff_month", kind: kFloat, label: "cost per staff-month", min: 0, max: sim.MaxCostPerStaffMo, value: float64(sim.DefaultCostPerStaffMonth), unit: "USD", ptr: func(r res) any { return &r.iv.CostPerStaffMonth }, doc: "Cost of one staff member for one month of activity."},
			{key: "effect", kind: kStageMap, min: 0, max: 1, def: "by kind, see the model chapter", ptr: func(r res) any { return &r.iv.Effect }, dflt: func(r res) any { return sim.DefaultEffect(r.iv.Kind, r.sc.Model.Dynamics) }, doc: "Effect at full capacity by stage of the country in the previous month. Stages left out take the kind's default."},
		},
	}
	strategyTable = &table{
		path: "strategy.NAME",
		doc:  "A strategy: a named variant of the scenario, with some keys changed or interventions switched off, to compare with the others or to run on its own.",
		fields: []field{
			{key: "name", kind: kString, def: "the NAME", doc: "Display name."},
			{key: "description", kind: kString, value: "", doc: "What the strategy represents."},
			{key: "disable", kind: kStringList, def: "none", doc: "Intervention ids to switch off; `[\"*\"]` switches off every intervention (a \"no mission\" baseline)."},
			{key: "set", kind: kPathMap, def: "none", doc: "Overrides, keyed by quoted key paths: `set = { \"intervention.unowa.staff\" = 30 }`."},
		},
	}
	modelTable = &table{
		path: "model",
		doc:  "Parameters shared by all countries.",
		fields: []field{
			{key: "dynamics", kind: kEnum, enum: []string{"tension", "markov"}, value: "tension", get: func(r res) any { return r.sc.Model.Dynamics.String() }, doc: "Continuous tension with thresholds, or a Markov chain over the stages."},
			{key: "escalation_threshold", kind: kFloat, min: 0, max: 1, value: float64(sim.DefaultEscalationThreshold), only: tensionOnly, unit: "tension", ptr: func(r res) any { return &r.sc.Model.EscalationThreshold }, doc: "E: tension at or above which a country is escalating."},
			{key: "war_threshold", kind: kFloat, min: 0, max: 1, value: float64(sim.DefaultWarThreshold), only: tensionOnly, unit: "tension", ptr: func(r res) any { return &r.sc.Model.WarThreshold }, doc: "W: tension at or above which a country is at war; must exceed E."},
			{key: "hysteresis", kind: kFloat, min: 0, max: 1, value: float64(sim.DefaultHysteresis), only: tensionOnly, unit: "tension", ptr: func(r res) any { return &r.sc.Model.Hysteresis }, doc: "h: a country stays at war down to W − h and escalating down to E − h; at most E."},
			{key: "detection_lag_months", kind: kInt, label: "detection lag", min: 0, max: sim.MaxHorizon, value: int64(sim.DefaultDetectionLag), unit: "months", ptr: func(r res) any { return &r.sc.Model.DetectionLag }, doc: "Months between a stage being reached and a trigger firing, in a country where no monitoring mission acts that month."},
			{key: "rule_of_law_decay", kind: kFloat, label: "rule-of-law decay", min: 0, max: 1, value: float64(sim.DefaultRuleOfLawDecay), unit: "per month", ptr: func(r res) any { return &r.sc.Model.RuleOfLawDecay }, doc: "Share of rule-of-law capacity lost per month while no rule-of-law mission acts."},
			{key: "months_per_step", kind: kInt, label: "months per step", min: 1, max: sim.MaxHorizon, value: int64(sim.DefaultMonthsPerStep), only: markovOnly, unit: "months", ptr: func(r res) any { return &r.sc.Model.MonthsPerStep }, doc: "Months per Markov step; horizon_months must be a multiple."},
		},
		entities: map[string]*table{"transitions": transitionsTable},
	}
	transitionsTable = &table{
		path: "model.transitions",
		doc:  "Markov dynamics: per-step transition probabilities, one row per stage, each summing to 1 (within 1e-9).",
		only: markovOnly,
		fields: []field{
			{key: "latent", kind: kStageMap, min: 0, max: 1, required: true, ptr: func(r res) any { return &r.sc.Model.Transitions[sim.Latent] }, doc: "`{ latent = p, escalating = p, war = p }` from latent. Stages left out are 0."},
			{key: "escalating", kind: kStageMap, min: 0, max: 1, required: true, ptr: func(r res) any { return &r.sc.Model.Transitions[sim.Escalating] }, doc: "The row from escalating."},
			{key: "war", kind: kStageMap, min: 0, max: 1, required: true, ptr: func(r res) any { return &r.sc.Model.Transitions[sim.War] }, doc: "The row from war."},
		},
	}
	topTable = &table{
		path: "",
		doc:  "The top level of a scenario file.",
		fields: []field{
			{key: "title", kind: kString, def: "the file name", ptr: func(r res) any { return &r.sc.Title }, dflt: func(r res) any { return r.sc.Name }, doc: "Display title, used in summaries and charts."},
			{key: "description", kind: kString, value: "", ptr: func(r res) any { return &r.sc.Description }, doc: "The real case and the sources of the numbers."},
			{key: "horizon_months", kind: kInt, label: "horizon", min: 1, max: sim.MaxHorizon, required: true, unit: "months", ptr: func(r res) any { return &r.sc.Horizon }, doc: "H: months 1..H are simulated after the initial month 0."},
			{key: "runs", kind: kInt, min: 1, max: sim.MaxRuns, value: int64(defaultRuns), unit: "runs", ptr: func(r res) any { return &r.sc.Runs }, doc: "Default number of runs, when a run does not ask for another."},
			{key: "headline", kind: kString, value: "", ptr: func(r res) any { return &r.sc.Headline }, doc: "Country ID whose war is the headline outcome of comparisons and sweeps when none is asked for (default \"\": war in any country). Name one where some country is at war in every run."},
			{key: "seed", kind: kInt, min: 0, max: math.MaxInt64, value: int64(1), ptr: func(r res) any { return &r.sc.Seed }, doc: "Default seed, when a run does not ask for another."},
		},
		entities: map[string]*table{
			"model":        modelTable,
			"country":      countryTable,
			"intervention": interventionTable,
			"strategy":     strategyTable,
		},
	}
)

// allTables lists every table, in the order the reference documents them.
var allTables = []*table{topTable, modelTable, transitionsTable, countryTable, shockTable, eventTable, interventionTable, strategyTable}

// singleTables are entity keys that hold one table rather than a set of
// named tables.
var singleTables = map[*table]bool{modelTable: true, transitionsTable: true}

// defaultRuns is the run count of a scenario that does not set one.
const defaultRuns = 10000

// suggest returns the accepted key closest to k, for "did you mean" hints.
// Suggest returns the option nearest to k (by edit distance, at most two
// edits, or a case or prefix match), or "" if none is near: the "did you
// mean" of error messages.
func Suggest(k string, accepted []string) string {
	best, bestD := "", 3
	for _, a := range accepted {
		if strings.EqualFold(a, k) || strings.HasPrefix(a, k+"_") {
			return a
		}
		if d := editDistance(k, a); d < bestD {
			best, bestD = a, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
