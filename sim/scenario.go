package sim

import (
	"fmt"
	"math"
	"slices"
	"strconv"
)

// Dynamics selects how a country's stage evolves.
type Dynamics uint8

const (
	// Tension dynamics: a continuous tension in [0, 1] with thresholds.
	Tension Dynamics = iota
	// Markov dynamics: a Markov chain over the three stages.
	Markov
)

func (d Dynamics) String() string {
	switch d {
	case Tension:
		return "tension"
	case Markov:
		return "markov"
	}
	return fmt.Sprintf("Dynamics(%d)", uint8(d))
}

// Kind is the kind of a mission component.
type Kind uint8

const (
	// Mediation (preventive diplomacy, good offices) pulls tension down.
	Mediation Kind = iota
	// RuleOfLaw (legal and social mechanisms) builds a capacity that lowers
	// structural pressure and outlasts the mission.
	RuleOfLaw
	// Monitoring (human rights, political agreements) deters: it scales
	// shocks and events down and removes the detection lag of triggers.
	Monitoring
)

// NumKinds is the number of intervention kinds.
const NumKinds = 3

var kindNames = [NumKinds]string{"mediation", "rule_of_law", "monitoring"}

func (k Kind) String() string {
	if int(k) < NumKinds {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// ParseKind returns the kind with the given name.
func ParseKind(name string) (Kind, error) {
	for i, n := range kindNames {
		if n == name {
			return Kind(i), nil
		}
	}
	return 0, fmt.Errorf("unknown kind %q (want mediation, rule_of_law or monitoring)", name)
}

// KindNames returns the names of the intervention kinds in order.
func KindNames() []string { return kindNames[:] }

// Limits on scenario sizes and values. They keep every run finite and the
// memory of the aggregates bounded; the scenario loader reports them as
// ordinary range errors.
const (
	MaxHorizon        = 1200 // months (100 years)
	MaxCountries      = 64
	MaxInterventions  = 64
	MaxShocks         = 32 // per country
	MaxEvents         = 240
	MaxStaff          = 100000
	MaxRatePerYear    = 120 // shock events per year (10 a month)
	MaxCostPerStaffMo = 1e7
	// MaxRuns bounds a job's runs (and a run index) at 2^53: every count
	// then fits an int64 with room for sums over months, and stays an
	// exact number for JSON readers, which hold numbers as float64.
	MaxRuns = 1 << 53
)

// Scenario is a validated, fully resolved scenario: every default filled in,
// every reference an index. Build one with the scenarios package, or by hand
// and check it with Validate.
type Scenario struct {
	Name        string `json:"name"`        // short name, e.g. "guinea-2009"
	Title       string `json:"title"`       // display title
	Description string `json:"description"` // prose about the case
	Horizon     int    `json:"horizon_months"`
	Runs        int64  `json:"runs"` // default number of runs
	Seed        uint64 `json:"seed"` // default seed
	// Headline is the id of the country whose war is the default headline
	// outcome of comparisons and sweeps ("" for war in any country): in a
	// scenario whose "any country" is at war in every run, P(war) would
	// tell no strategy from another.
	Headline string `json:"headline,omitempty"`

	Model         Model          `json:"model"`
	Countries     []Country      `json:"countries"`
	Interventions []Intervention `json:"interventions"`
}

// Model holds the parameters shared by all countries.
type Model struct {
	Dynamics Dynamics `json:"dynamics"`

	// Tension dynamics: stage thresholds and hysteresis.
	EscalationThreshold float64 `json:"escalation_threshold"`
	WarThreshold        float64 `json:"war_threshold"`
	Hysteresis          float64 `json:"hysteresis"`

	// DetectionLag is the number of months between a stage being reached
	// and a trigger firing, in countries without active monitoring.
	DetectionLag int `json:"detection_lag_months"`
	// RuleOfLawDecay is the share of rule-of-law capacity lost per month
	// while no rule-of-law mission is active.
	RuleOfLawDecay float64 `json:"rule_of_law_decay"`

	// Markov dynamics: months per step and the per-step transition matrix,
	// Transitions[from][to].
	MonthsPerStep int                           `json:"months_per_step"`
	Transitions   [NumStages][NumStages]float64 `json:"transitions"`
}

// Country is one country's parameters.
type Country struct {
	ID   string `json:"id"`
	Name string `json:"name"`

	// InitialStage is used by Markov dynamics; tension dynamics derive the
	// initial stage from InitialTension.
	InitialStage   Stage   `json:"initial_stage"`
	InitialTension float64 `json:"initial_tension"`

	StructuralPressure float64            `json:"structural_pressure"`
	Reversion          float64            `json:"reversion"`
	Volatility         float64            `json:"volatility"`
	Momentum           [NumStages]float64 `json:"momentum"`
	Spillover          []Spillover        `json:"spillover"`
	Shocks             []Shock            `json:"shocks"`
	Events             []Event            `json:"events"`
}

// Spillover adds Weight to a country's tension in every month after one in
// which the country with index From was at war.
type Spillover struct {
	From   int     `json:"from"`
	Weight float64 `json:"weight"`
}

// SizeDist is the distribution of a shock's size.
type SizeDist uint8

const (
	// Exponential sizes with the given mean.
	Exponential SizeDist = iota
	// Fixed sizes, always equal to the mean.
	Fixed
)

func (d SizeDist) String() string {
	switch d {
	case Exponential:
		return "exponential"
	case Fixed:
		return "fixed"
	}
	return fmt.Sprintf("SizeDist(%d)", uint8(d))
}

// Shock is a Poisson process of random tension increases.
type Shock struct {
	Name         string   `json:"name"`
	RatePerYear  float64  `json:"rate_per_year"`
	MeanSize     float64  `json:"mean_size"`
	Distribution SizeDist `json:"distribution"`
}

// Event is a scheduled change of tension at a given month (1..Horizon).
type Event struct {
	Name  string  `json:"name"`
	Month int     `json:"month"`
	Size  float64 `json:"size"`
}

// Intervention is one mission component.
type Intervention struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Kind      Kind   `json:"kind"`
	Countries []int  `json:"countries"` // indices into Scenario.Countries

	// The mission is launched at StartMonth, or, when Triggered, in the
	// month Trigger is first reached in one of its countries and detected.
	StartMonth int   `json:"start_month"`
	Triggered  bool  `json:"triggered"`
	Trigger    Stage `json:"trigger"`
	// It first acts StartupDelay months after launch and then for Duration
	// months (0: to the horizon).
	StartupDelay int `json:"startup_delay_months"`
	Duration     int `json:"duration_months"`
	// EndMonth, if not 0, ends the mission: it acts in no month >= EndMonth,
	// whatever its duration (a decision "end" taken in month M is
	// EndMonth M+1). Valid values are 0 and 1..MaxHorizon+1; one after the
	// horizon ends nothing.
	EndMonth int `json:"end_month,omitempty"`
	// StaffFrom changes the staff at given months: from StaffFrom[k].Month
	// on (until the next change), while it acts, the mission has
	// StaffFrom[k].Staff, and its capacity, effect, regional split and
	// cost follow. Staff is the staff before the first change. Months are
	// absolute (not counted from launch), strictly increasing, in
	// 1..MaxHorizon; a change after the horizon never happens.
	StaffFrom []StaffChange `json:"staff_from,omitempty"`

	Staff             float64            `json:"staff"`
	StaffScale        float64            `json:"staff_scale"`
	Expertise         float64            `json:"expertise"`
	Consent           float64            `json:"consent"`
	CostPerStaffMonth float64            `json:"cost_per_staff_month"`
	Effect            [NumStages]float64 `json:"effect"`
}

// StaffChange is a change of a mission's staff from a given month on.
type StaffChange struct {
	Month int     `json:"month"`
	Staff float64 `json:"staff"`
}

// StaffAt returns the staff the mission has in month m while it acts: the
// last change at or before m, or Staff before the first.
func (iv *Intervention) StaffAt(m int) float64 {
	staff := iv.Staff
	for _, ch := range iv.StaffFrom {
		if ch.Month > m {
			break
		}
		staff = ch.Staff
	}
	return staff
}

// StaffVaries reports whether the mission's staff changes at some month
// of its schedule (a change to the staff already in force changes
// nothing). Only then do the cost aggregates count its staff in units of
// ReferenceStaff rather than of Staff.
func (iv *Intervention) StaffVaries() bool {
	for _, ch := range iv.StaffFrom {
		if ch.Staff != iv.Staff {
			return true
		}
	}
	return false
}

// ReferenceStaff is the staff whose share-months InterventionResult's
// StaffShare counts: the largest staff of the schedule (Staff when the
// staff never changes), so that every share fits in ShareUnit.
func (iv *Intervention) ReferenceStaff() float64 {
	ref := iv.Staff
	for _, ch := range iv.StaffFrom {
		ref = max(ref, ch.Staff)
	}
	return ref
}

// MeanCost returns the mission's mean cost per run in r, a result of runs
// runs: staff-months times cost per staff-month. A mission whose staff
// never changes counts its acting months times its staff; one whose staff
// changes, its staff share-months (StaffShare) times ReferenceStaff.
func (iv *Intervention) MeanCost(ir *InterventionResult, runs int64) float64 {
	if !iv.StaffVaries() {
		return iv.Staff * iv.CostPerStaffMonth * histMean(ir.ActiveMonths, runs)
	}
	if runs == 0 {
		return 0
	}
	var units int64
	for _, u := range ir.StaffShare {
		units += u
	}
	return iv.ReferenceStaff() * iv.CostPerStaffMonth * float64(units) / ShareUnit / float64(runs)
}

// Capacity returns the share of its full effect that a mission with the
// given staff achieves: expertise * (1 - exp(-staff/staffScale)). Zero staff
// gives zero; more staff never gives less.
func Capacity(staff, staffScale, expertise float64) float64 {
	if staff <= 0 {
		return 0
	}
	return expertise * -math.Expm1(-staff/staffScale)
}

// FieldError is a validation error about one key of a scenario. Path is the
// key path as written in scenario files ("country.guinea.volatility").
type FieldError struct {
	Path string
	Msg  string
}

func (e *FieldError) Error() string { return e.Path + ": " + e.Msg }

// Validate checks the invariants the engine relies on. It returns a
// *FieldError naming the first offending key.
func (s *Scenario) Validate() error {
	bad := func(path, format string, args ...any) error {
		return &FieldError{Path: path, Msg: fmt.Sprintf(format, args...)}
	}
	finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	in := func(path string, v, lo, hi float64) error {
		if !finite(v) || v < lo || v > hi {
			return bad(path, "must be between %g and %g, got %g", lo, hi, v)
		}
		return nil
	}
	if s.Horizon < 1 || s.Horizon > MaxHorizon {
		return bad("horizon_months", "must be between 1 and %d, got %d", MaxHorizon, s.Horizon)
	}
	if s.Runs < 1 || s.Runs > MaxRuns {
		return bad("runs", "must be between 1 and %d (2^53), got %d", int64(MaxRuns), s.Runs)
	}
	if s.Headline != "" && !slices.ContainsFunc(s.Countries, func(c Country) bool { return c.ID == s.Headline }) {
		return bad("headline", "names no country of the scenario: %q", s.Headline)
	}
	m := &s.Model
	switch m.Dynamics {
	case Tension:
		if err := in("model.escalation_threshold", m.EscalationThreshold, 0, 1); err != nil {
			return err
		}
		if err := in("model.war_threshold", m.WarThreshold, 0, 1); err != nil {
			return err
		}
		if !(m.EscalationThreshold < m.WarThreshold) {
			return bad("model.war_threshold", "must be greater than escalation_threshold (%g), got %g", m.EscalationThreshold, m.WarThreshold)
		}
		if err := in("model.hysteresis", m.Hysteresis, 0, m.EscalationThreshold); err != nil {
			return err
		}
	case Markov:
		if m.MonthsPerStep < 1 || m.MonthsPerStep > MaxHorizon {
			return bad("model.months_per_step", "must be between 1 and %d, got %d", MaxHorizon, m.MonthsPerStep)
		}
		if s.Horizon%m.MonthsPerStep != 0 {
			return bad("horizon_months", "must be a multiple of model.months_per_step (%d), got %d", m.MonthsPerStep, s.Horizon)
		}
		for from := range NumStages {
			sum := 0.0
			for to := range NumStages {
				p := m.Transitions[from][to]
				if err := in("model.transitions."+Stage(from).String()+"."+Stage(to).String(), p, 0, 1); err != nil {
					return err
				}
				sum += p
			}
			if math.Abs(sum-1) > 1e-9 {
				return bad("model.transitions."+Stage(from).String(), "probabilities must sum to 1, got %.12g", sum)
			}
		}
	default:
		return bad("model.dynamics", "unknown dynamics %d", m.Dynamics)
	}
	if m.DetectionLag < 0 || m.DetectionLag > MaxHorizon {
		return bad("model.detection_lag_months", "must be between 0 and %d, got %d", MaxHorizon, m.DetectionLag)
	}
	if err := in("model.rule_of_law_decay", m.RuleOfLawDecay, 0, 1); err != nil {
		return err
	}
	if len(s.Countries) == 0 {
		return bad("country", "a scenario needs at least one country")
	}
	if len(s.Countries) > MaxCountries {
		return bad("country", "at most %d countries, got %d", MaxCountries, len(s.Countries))
	}
	seen := make(map[string]bool)
	for i := range s.Countries {
		c := &s.Countries[i]
		p := "country." + c.ID
		if c.ID == "" || seen[c.ID] {
			return bad(p, "country ids must be unique and non-empty")
		}
		seen[c.ID] = true
		if c.InitialStage >= NumStages {
			return bad(p+".initial_stage", "unknown stage %d", c.InitialStage)
		}
		checks := []struct {
			key    string
			v      float64
			lo, hi float64
		}{
			{"initial_tension", c.InitialTension, 0, 1},
			{"structural_pressure", c.StructuralPressure, 0, 1},
			{"reversion", c.Reversion, 0, 1},
			{"volatility", c.Volatility, 0, 1},
			{"momentum.latent", c.Momentum[Latent], -1, 1},
			{"momentum.escalating", c.Momentum[Escalating], -1, 1},
			{"momentum.war", c.Momentum[War], -1, 1},
		}
		for _, ck := range checks {
			if err := in(p+"."+ck.key, ck.v, ck.lo, ck.hi); err != nil {
				return err
			}
		}
		for _, sp := range c.Spillover {
			if sp.From < 0 || sp.From >= len(s.Countries) || sp.From == i {
				return bad(p+".spillover", "refers to country index %d, which is not another country", sp.From)
			}
			if err := in(p+".spillover."+s.Countries[sp.From].ID, sp.Weight, 0, 1); err != nil {
				return err
			}
		}
		if len(c.Shocks) > MaxShocks {
			return bad(p+".shock", "at most %d shock processes, got %d", MaxShocks, len(c.Shocks))
		}
		for _, sh := range c.Shocks {
			sp := p + ".shock." + sh.Name
			if err := in(sp+".rate_per_year", sh.RatePerYear, 0, MaxRatePerYear); err != nil {
				return err
			}
			if err := in(sp+".mean_size", sh.MeanSize, 0, 1); err != nil {
				return err
			}
			if sh.Distribution > Fixed {
				return bad(sp+".distribution", "unknown distribution %d", sh.Distribution)
			}
		}
		if len(c.Events) > MaxEvents {
			return bad(p+".event", "at most %d events, got %d", MaxEvents, len(c.Events))
		}
		for _, ev := range c.Events {
			ep := p + ".event." + ev.Name
			if ev.Month < 1 || ev.Month > s.Horizon {
				return bad(ep+".month", "must be between 1 and horizon_months (%d), got %d", s.Horizon, ev.Month)
			}
			if err := in(ep+".size", ev.Size, -1, 1); err != nil {
				return err
			}
		}
		if m.Dynamics == Markov && (len(c.Spillover) > 0 || len(c.Shocks) > 0 || len(c.Events) > 0) {
			return bad(p, "spillover, shocks and events need dynamics = \"tension\"")
		}
	}
	if len(s.Interventions) > MaxInterventions {
		return bad("intervention", "at most %d interventions, got %d", MaxInterventions, len(s.Interventions))
	}
	seen = make(map[string]bool)
	for _, iv := range s.Interventions {
		p := "intervention." + iv.ID
		if iv.ID == "" || seen[iv.ID] {
			return bad(p, "intervention ids must be unique and non-empty")
		}
		seen[iv.ID] = true
		if iv.Kind >= NumKinds {
			return bad(p+".kind", "unknown kind %d", iv.Kind)
		}
		if len(iv.Countries) == 0 {
			return bad(p+".country", "an intervention needs a country or countries")
		}
		covered := make(map[int]bool)
		for _, c := range iv.Countries {
			if c < 0 || c >= len(s.Countries) || covered[c] {
				return bad(p+".countries", "country index %d is out of range or repeated", c)
			}
			covered[c] = true
		}
		if iv.Triggered {
			if iv.Trigger != Escalating && iv.Trigger != War {
				return bad(p+".trigger", "must be escalating or war, got %s", iv.Trigger)
			}
		} else if iv.StartMonth < 0 || iv.StartMonth > MaxHorizon {
			// A start after the horizon is a mission that never acts.
			return bad(p+".start_month", "must be between 0 and %d, got %d", MaxHorizon, iv.StartMonth)
		}
		if iv.StartupDelay < 0 || iv.StartupDelay > MaxHorizon {
			return bad(p+".startup_delay_months", "must be between 0 and %d, got %d", MaxHorizon, iv.StartupDelay)
		}
		if iv.Duration < 0 || iv.Duration > MaxHorizon {
			return bad(p+".duration_months", "must be between 0 (to the horizon) and %d, got %d", MaxHorizon, iv.Duration)
		}
		if iv.EndMonth < 0 || iv.EndMonth > MaxHorizon+1 {
			return bad(p+".end_month", "must be 0 (no end) or between 1 and %d, got %d", MaxHorizon+1, iv.EndMonth)
		}
		if len(iv.StaffFrom) > MaxHorizon {
			return bad(p+".staff_from", "at most %d changes, got %d", MaxHorizon, len(iv.StaffFrom))
		}
		for k, ch := range iv.StaffFrom {
			cp := p + ".staff_from." + strconv.Itoa(ch.Month)
			if ch.Month < 1 || ch.Month > MaxHorizon {
				return bad(cp, "month must be between 1 and %d, got %d", MaxHorizon, ch.Month)
			}
			if k > 0 && ch.Month <= iv.StaffFrom[k-1].Month {
				return bad(cp, "months must be strictly increasing, got %d after %d", ch.Month, iv.StaffFrom[k-1].Month)
			}
			if err := in(cp, ch.Staff, 0, MaxStaff); err != nil {
				return err
			}
		}
		fields := []struct {
			key    string
			v      float64
			lo, hi float64
		}{
			{"staff", iv.Staff, 0, MaxStaff},
			{"staff_scale", iv.StaffScale, 1e-9, MaxStaff},
			{"expertise", iv.Expertise, 0, 1},
			{"consent", iv.Consent, 0, 1},
			{"cost_per_staff_month", iv.CostPerStaffMonth, 0, MaxCostPerStaffMo},
			{"effect.latent", iv.Effect[Latent], 0, 1},
			{"effect.escalating", iv.Effect[Escalating], 0, 1},
			{"effect.war", iv.Effect[War], 0, 1},
		}
		for _, f := range fields {
			if err := in(p+"."+f.key, f.v, f.lo, f.hi); err != nil {
				return err
			}
		}
	}
	return nil
}
