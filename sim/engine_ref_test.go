package sim

// This file is a frozen copy of the engine (engine.go) as it stood before
// the speed work of issue 13, with its identifiers prefixed "ref", and
// with the two model changes of issue 12 made in the same commits as the
// engine's: a monitoring mission without staff detects nothing early
// (item 14), and peak tension's exact range is kept (item 16). It is
// the reference implementation that equivalence_test.go runs beside the
// optimised engine: every aggregate and every record must come out the
// same, byte for byte, so that a speed-up cannot change a result. Change
// it only for a deliberate change of the model, in the same commit as the
// engine, and say so in the commit message.

import (
	"math"
	"reflect"
	"slices"
)

// refProgram is a scenario compiled for the hot loop: flat arrays, constants
// computed once, stream keys hashed once.
type refProgram struct {
	sc        *Scenario
	h         int
	dynamics  Dynamics
	e, w, hys float64
	lag       int
	decay     float64
	perStep   int
	trans     [NumStages][NumStages]float64
	countries []refCountryProgram
	ivs       []refInterventionProgram
	nShocks   int // shock processes over all countries
	// covering[c] lists the interventions acting in country c.
	covering [][]int
}

type refCountryProgram struct {
	x0                  float64
	s0                  Stage
	pressure, reversion float64
	volatility          float64
	momentum            [NumStages]float64
	spill               []Spillover
	shocks              []refShockProgram
	// Scheduled events by month (0..H), the raising and the calming ones
	// summed apart, since deterrence scales only the first; nil without
	// events.
	events             []refMonthEvents
	noiseKey, stageKey uint64
}

// refMonthEvents are one month's scheduled events: the sum of the raising
// sizes and of the calming (negative) ones.
type refMonthEvents struct{ up, down float64 }

type refShockProgram struct {
	lambda, mean      float64 // events per month, mean size
	fixed             bool
	countKey, sizeKey uint64
	slot              int // index of its streams in the worker
}

type refInterventionProgram struct {
	kind      Kind
	countries []int
	regional  bool
	start     int
	triggered bool
	trigger   Stage
	delay     int
	duration  int
	staff     float64
	scale     float64
	expertise float64
	consent   float64
	effect    [NumStages]float64
	capacity  float64            // capacity when all staff serve one country
	effCap    [NumStages]float64 // effect times capacity, one country
	mode      refEffectMode
	key       uint64
}

// refEffectMode is how an intervention acts under the scenario's dynamics.
type refEffectMode uint8

const (
	refPullTension   refEffectMode = iota // mediation, tension: lowers tension
	refScaleUp                            // monitoring: scales shocks or upward moves down
	refMediateChain                       // mediation, markov: scales upward moves, eases war
	refBuildCapacity                      // rule of law: builds capacity R
)

func refCompile(sc *Scenario) *refProgram {
	p := &refProgram{
		sc:       sc,
		h:        sc.Horizon,
		dynamics: sc.Model.Dynamics,
		e:        sc.Model.EscalationThreshold,
		w:        sc.Model.WarThreshold,
		hys:      sc.Model.Hysteresis,
		lag:      sc.Model.DetectionLag,
		decay:    sc.Model.RuleOfLawDecay,
		perStep:  max(sc.Model.MonthsPerStep, 1),
		trans:    sc.Model.Transitions,
	}
	p.countries = make([]refCountryProgram, len(sc.Countries))
	for i := range sc.Countries {
		c := &sc.Countries[i]
		cp := &p.countries[i]
		cp.x0 = c.InitialTension
		cp.s0 = c.InitialStage
		if p.dynamics == Tension {
			cp.s0 = StageOf(c.InitialTension, Latent, p.e, p.w, 0)
		}
		cp.pressure, cp.reversion, cp.volatility = c.StructuralPressure, c.Reversion, c.Volatility
		cp.momentum = c.Momentum
		cp.spill = c.Spillover
		cp.noiseKey = streamKey("noise", c.ID)
		cp.stageKey = streamKey("stage", c.ID)
		for _, sh := range c.Shocks {
			lambda := sh.RatePerYear / 12
			cp.shocks = append(cp.shocks, refShockProgram{
				lambda: lambda, mean: sh.MeanSize,
				fixed:    sh.Distribution == Fixed,
				countKey: streamKey("shock", c.ID, sh.Name),
				sizeKey:  streamKey("shock-size", c.ID, sh.Name),
				slot:     p.nShocks,
			})
			p.nShocks++
		}
		if len(c.Events) > 0 {
			cp.events = make([]refMonthEvents, sc.Horizon+1)
			for _, ev := range c.Events {
				if ev.Size > 0 {
					cp.events[ev.Month].up += ev.Size
				} else {
					cp.events[ev.Month].down += ev.Size
				}
			}
		}
	}
	p.covering = make([][]int, len(sc.Countries))
	p.ivs = make([]refInterventionProgram, len(sc.Interventions))
	for i := range sc.Interventions {
		iv := &sc.Interventions[i]
		p.ivs[i] = refInterventionProgram{
			kind: iv.Kind, countries: iv.Countries, regional: len(iv.Countries) > 1,
			start: iv.StartMonth, triggered: iv.Triggered, trigger: iv.Trigger,
			delay: iv.StartupDelay, duration: iv.Duration,
			staff: iv.Staff, scale: iv.StaffScale, expertise: iv.Expertise,
			consent: iv.Consent, effect: iv.Effect,
			capacity: Capacity(iv.Staff, iv.StaffScale, iv.Expertise),
			key:      streamKey("consent", iv.ID),
		}
		ip := &p.ivs[i]
		for st := range NumStages {
			ip.effCap[st] = ip.effect[st] * ip.capacity
		}
		switch {
		case iv.Kind == RuleOfLaw:
			ip.mode = refBuildCapacity
		case iv.Kind == Monitoring:
			ip.mode = refScaleUp
		case p.dynamics == Markov:
			ip.mode = refMediateChain
		default:
			ip.mode = refPullTension
		}
		for _, c := range iv.Countries {
			p.covering[c] = append(p.covering[c], i)
		}
	}
	return p
}

// refRunState is one worker's scratch space for one refProgram. It is allocated
// once per worker and reused for every run: the hot loop allocates nothing.
type refRunState struct {
	p *refProgram

	x, xNext []float64
	stage    []Stage
	rol      []float64 // rule-of-law capacity R in [0, 1)

	// Per-month effects of the active interventions, by country.
	mediation []float64 // tension removed (tension) or unused (markov)
	keep      []float64 // share of shocks kept (tension) or of upward moves kept (markov)
	rolKeep   []float64 // product of (1 - build) over active rule-of-law missions
	warShift  []float64 // markov: share of war→war moved to war→escalating

	// Interventions.
	consented []bool
	launched  []bool
	launch    []int
	detected  []int // triggered: the earliest month of detection so far
	from, to  []int // months in which each intervention acts, inclusive
	activeN   []int
	// shares[i][k] sums this run's staff share of regional mandate i in
	// its k'th country, in 1/ShareUnit (nil for single-country missions,
	// whose share is activeN[i] whole units).
	shares [][]int64

	// Per-run outcomes by country.
	everWar   []bool
	firstWar  []int
	warMonths []int
	onsets    []int
	peak      []float64
	anyEver   bool
	anyMonths int

	// onMonth, if set, is called after every month with its index: tests
	// use it to read the exact path in x, stage and rol.
	onMonth func(m int)

	noise     []*stream // by country
	stages    []*stream // by country (markov)
	counts    []*stream // by shock slot: the gaps between events
	nextShock []float64 // by shock slot: the next event's time, in months
	sizes     []*stream // by shock slot
	consent   []*stream // by intervention
}

func newRefRunState(p *refProgram) *refRunState {
	nc, ni := len(p.countries), len(p.ivs)
	s := &refRunState{
		p:         p,
		x:         make([]float64, nc),
		xNext:     make([]float64, nc),
		stage:     make([]Stage, nc),
		rol:       make([]float64, nc),
		mediation: make([]float64, nc),
		keep:      make([]float64, nc),
		rolKeep:   make([]float64, nc),
		warShift:  make([]float64, nc),
		consented: make([]bool, ni),
		launched:  make([]bool, ni),
		launch:    make([]int, ni),
		detected:  make([]int, ni),
		from:      make([]int, ni),
		to:        make([]int, ni),
		activeN:   make([]int, ni),
		shares:    make([][]int64, ni),
		everWar:   make([]bool, nc),
		firstWar:  make([]int, nc),
		warMonths: make([]int, nc),
		onsets:    make([]int, nc),
		peak:      make([]float64, nc),
	}
	streams := func(n int) []*stream {
		out := make([]*stream, n)
		for i := range out {
			out[i] = new(stream)
		}
		return out
	}
	for c := range nc {
		s.keep[c], s.rolKeep[c] = 1, 1
	}
	for i := range p.ivs {
		if p.ivs[i].regional {
			s.shares[i] = make([]int64, len(p.ivs[i].countries))
		}
	}
	s.noise, s.stages = streams(nc), streams(nc)
	s.counts, s.sizes = streams(p.nShocks), streams(p.nShocks)
	s.nextShock = make([]float64, p.nShocks)
	s.consent = streams(ni)
	return s
}

// activeIn reports whether intervention i acts in month m: a mission
// launched in month L first acts in month L+delay+1 and then for its
// duration. The window is worked out once, at launch (setWindow).
func (s *refRunState) activeIn(i, m int) bool {
	return m >= s.from[i] && m <= s.to[i]
}

// setWindow launches intervention i in month launch and fixes the months in
// which it acts; a mission without consent never acts.
func (s *refRunState) setWindow(i, launch int) {
	iv := &s.p.ivs[i]
	s.launched[i] = true
	s.launch[i] = launch
	if !s.consented[i] {
		return
	}
	s.from[i] = launch + iv.delay + 1
	s.to[i] = s.p.h
	if iv.duration > 0 {
		s.to[i] = min(s.to[i], s.from[i]+iv.duration-1)
	}
}

// monitored reports whether a monitoring mission with staff acts in
// country c in month m (the same window as activeIn): a stage reached there
// and then is detected at once.
func (s *refRunState) monitored(c, m int) bool {
	for _, i := range s.p.covering[c] {
		// A mission without capacity (no staff or no expertise) has no
		// effect of any kind, earlier detection included.
		if s.p.ivs[i].kind == Monitoring && s.p.ivs[i].capacity > 0 && s.activeIn(i, m) {
			return true
		}
	}
	return false
}

// run simulates run index run and adds it to res. The run's outcomes stay
// in s until the next run, for pairing and records.
func (s *refRunState) run(seed uint64, run int64, res *Result) {
	p := s.p
	h := p.h

	for c := range p.countries {
		cp := &p.countries[c]
		s.noise[c].reset(seed, cp.noiseKey, run)
		if p.dynamics == Markov {
			s.stages[c].reset(seed, cp.stageKey, run)
		}
		for k := range cp.shocks {
			sh := &cp.shocks[k]
			s.counts[sh.slot].reset(seed, sh.countKey, run)
			s.nextShock[sh.slot] = math.Inf(1)
			if sh.lambda > 0 {
				s.nextShock[sh.slot] = s.counts[sh.slot].ExpFloat64() / sh.lambda
			}
			s.sizes[sh.slot].reset(seed, sh.sizeKey, run)
		}
		s.x[c] = cp.x0
		s.stage[c] = cp.s0
		s.rol[c] = 0
		s.everWar[c] = false
		s.firstWar[c] = -1
		s.warMonths[c] = 0
		s.onsets[c] = 0
		s.peak[c] = cp.x0
	}
	for i := range p.ivs {
		iv := &p.ivs[i]
		s.consent[i].reset(seed, iv.key, run)
		s.consented[i] = s.consent[i].Float64() < iv.consent
		s.launched[i] = false
		s.detected[i] = math.MaxInt
		s.from[i], s.to[i] = math.MaxInt, -1 // never, until launched
		if !iv.triggered {
			s.setWindow(i, iv.start)
		}
		s.activeN[i] = 0
		clear(s.shares[i])
	}

	anyEver, anyFirst, anyMonths, anyOnsets := false, -1, 0, 0
	anyPrev := false
	s.record(res, 0)
	// A war under way in month 0 is the first war episode.
	for c := range p.countries {
		if s.stage[c] == War {
			s.everWar[c] = true
			s.firstWar[c] = 0
			s.onsets[c] = 1
			anyPrev = true
		}
	}
	if anyPrev {
		anyEver, anyFirst, anyOnsets = true, 0, 1
	}
	s.checkTriggers(0)
	if s.onMonth != nil {
		s.onMonth(0)
	}

	for m := 1; m <= h; m++ {
		s.applyInterventions(m)
		if p.dynamics == Tension {
			s.stepTension(m)
		} else if m%p.perStep == 0 {
			s.stepMarkov()
		}
		s.record(res, m)

		anyNow := false
		for c := range p.countries {
			if s.stage[c] != War {
				continue
			}
			anyNow = true
			s.warMonths[c]++
			if !s.everWar[c] {
				s.everWar[c] = true
				s.firstWar[c] = m
			}
		}
		if anyNow {
			anyMonths++
			if !anyPrev {
				anyOnsets++
			}
			if !anyEver {
				anyEver, anyFirst = true, m
			}
		}
		anyPrev = anyNow
		s.checkTriggers(m)
		if s.onMonth != nil {
			s.onMonth(m)
		}
	}

	// Run outcomes into the aggregates.
	for c := range p.countries {
		cr := &res.Countries[c]
		st := s.stage[c]
		cr.FinalStage[st]++
		refAddOutcome(&cr.Outcome, s.everWar[c], s.firstWar[c], s.warMonths[c], s.onsets[c])
		if cr.PeakTension != nil {
			cr.PeakTension[tensionBin(s.peak[c])]++
			cr.PeakTensionRange[0] = min(cr.PeakTensionRange[0], s.peak[c])
			cr.PeakTensionRange[1] = max(cr.PeakTensionRange[1], s.peak[c])
		}
	}
	refAddOutcome(&res.AnyWar, anyEver, anyFirst, anyMonths, anyOnsets)
	for i := range p.ivs {
		ir := &res.Interventions[i]
		if s.consented[i] {
			ir.Consented++
		}
		if s.launched[i] && s.launch[i] <= h {
			ir.Launched++
		}
		ir.ActiveMonths[s.activeN[i]]++
		if s.activeN[i] > 0 {
			ir.FirstActive[s.launch[i]+p.ivs[i].delay+1]++
		}
		if s.shares[i] == nil {
			ir.StaffShare[0] += int64(s.activeN[i]) * ShareUnit
		} else {
			addInto(ir.StaffShare, s.shares[i])
		}
	}
	res.Runs++

	s.anyEver, s.anyMonths = anyEver, anyMonths
}

// appendRecords appends the last run's per-country outcomes to recs.
func (s *refRunState) appendRecords(recs []CountryRecord, variant int, run int64) []CountryRecord {
	var consented, launched uint64
	var month [MaxInterventions]int16
	for i := range s.p.ivs {
		if s.consented[i] {
			consented |= 1 << i
		}
		if s.launched[i] {
			launched |= 1 << i
			month[i] = int16(s.launch[i])
		}
	}
	for c := range s.p.countries {
		recs = append(recs, CountryRecord{
			Variant: variant, Run: run, Country: c,
			FinalStage: s.stage[c], EverWar: s.everWar[c], FirstWar: s.firstWar[c],
			WarMonths: s.warMonths[c], Onsets: s.onsets[c], PeakTension: s.peak[c],
			Cost: s.countryCost(c), Consented: consented, Launched: launched, LaunchMonth: month,
		})
	}
	return recs
}

func refAddOutcome(o *Outcome, ever bool, first, months, onsets int) {
	if ever {
		o.EverWar++
		o.FirstWar[first]++
	}
	o.WarMonths[months]++
	o.Onsets[onsets]++
}

// record adds month m's stages and tensions to the aggregates and updates
// the per-run trackers that depend on the previous month's stage.
func (s *refRunState) record(res *Result, m int) {
	for c := range s.p.countries {
		cr := &res.Countries[c]
		cr.Occupancy[m][s.stage[c]]++
		if cr.Tension != nil {
			x := s.x[c]
			cr.Tension[m][tensionBin(x)]++
			cr.TensionMin[m] = min(cr.TensionMin[m], x)
			cr.TensionMax[m] = max(cr.TensionMax[m], x)
		}
	}
}

// countryCost is the cost of this run attributed to country c: each
// mission's staff-months there times its cost, a regional mandate's staff
// counted where it served.
func (s *refRunState) countryCost(c int) float64 {
	cost := 0.0
	for _, i := range s.p.covering[c] {
		iv := &s.p.sc.Interventions[i]
		months := float64(s.activeN[i])
		if s.shares[i] != nil {
			k := slices.Index(iv.Countries, c)
			months = float64(s.shares[i][k]) / ShareUnit
		}
		cost += iv.Staff * iv.CostPerStaffMonth * months
	}
	return cost
}

// checkTriggers launches triggered interventions in the month their stage
// is detected in one of their countries: a stage reached (or still held)
// in month m is detected in month m + lag, or in month m itself where a
// monitoring mission acts. Of a regional mandate's countries the earliest
// detection counts, whatever their order; a monitoring mission arriving
// while the stage holds detects it at once.
func (s *refRunState) checkTriggers(m int) {
	for i := range s.p.ivs {
		iv := &s.p.ivs[i]
		if !iv.triggered || s.launched[i] {
			continue
		}
		for _, c := range iv.countries {
			if s.stage[c] < iv.trigger {
				continue
			}
			s.detected[i] = min(s.detected[i], m+s.p.lag)
			if s.detected[i] > m && s.monitored(c, m) {
				s.detected[i] = m
			}
		}
		if s.detected[i] <= m {
			s.setWindow(i, m)
		}
	}
}

// applyInterventions works out which interventions act in month m and
// accumulates their effects by country, using the stages of month m-1.
func (s *refRunState) applyInterventions(m int) {
	p := s.p
	if len(p.ivs) == 0 {
		// Nothing acts: the effect arrays keep their neutral values, set
		// once in newRefRunState, and capacity decays.
		for c := range p.countries {
			if s.rol[c] != 0 {
				s.rol[c] *= 1 - p.decay
			}
		}
		return
	}
	for c := range p.countries {
		s.mediation[c] = 0
		s.keep[c] = 1
		s.rolKeep[c] = 1
		s.warShift[c] = 0
	}
	for i := range p.ivs {
		if !s.activeIn(i, m) {
			continue
		}
		iv := &p.ivs[i]
		s.activeN[i]++
		if !iv.regional {
			c := iv.countries[0]
			s.addEffect(iv, c, iv.effCap[s.stage[c]])
			continue
		}
		total := s.allocationTotal(iv)
		left := int64(ShareUnit) // the last country takes the rest, so that shares sum to the whole
		for k, c := range iv.countries {
			share := s.allocationShare(iv, c, total)
			capacity := Capacity(iv.staff*share, iv.scale, iv.expertise)
			s.addEffect(iv, c, iv.effect[s.stage[c]]*capacity)
			q := left
			if k < len(iv.countries)-1 {
				q = min(int64(share*ShareUnit+0.5), left)
			}
			s.shares[i][k] += q
			left -= q
		}
	}
	for c := range p.countries {
		if s.rolKeep[c] != 1 { // a rule-of-law mission with an effect acted
			s.rol[c] = 1 - (1-s.rol[c])*s.rolKeep[c]
		} else if s.rol[c] != 0 {
			s.rol[c] *= 1 - p.decay
		}
	}
}

// addEffect adds effect e (effect by stage times capacity) of intervention
// iv in country c this month.
func (s *refRunState) addEffect(iv *refInterventionProgram, c int, e float64) {
	switch iv.mode {
	case refPullTension:
		s.mediation[c] += e
	case refScaleUp:
		s.keep[c] *= 1 - e
	case refMediateChain:
		s.keep[c] *= 1 - e
		if s.stage[c] == War {
			s.warShift[c] = 1 - (1-s.warShift[c])*(1-e)
		}
	case refBuildCapacity:
		// Only a mission with an effect holds capacity up: one with no
		// staff, no expertise or no effect in this stage leaves rolKeep
		// at 1, and capacity decays.
		s.rolKeep[c] *= 1 - e
	}
}

// A regional mandate splits its staff between its countries in proportion
// to their tension (tension dynamics) or to stage+1 (markov) in the previous
// month: "where tension is highest". When every weight is zero the split is
// even.
func (s *refRunState) allocationWeight(c int) float64 {
	if s.p.dynamics == Tension {
		return s.x[c]
	}
	return float64(s.stage[c] + 1)
}

func (s *refRunState) allocationTotal(iv *refInterventionProgram) float64 {
	total := 0.0
	for _, c := range iv.countries {
		total += s.allocationWeight(c)
	}
	return total
}

func (s *refRunState) allocationShare(iv *refInterventionProgram, c int, total float64) float64 {
	if total == 0 {
		return 1 / float64(len(iv.countries))
	}
	return s.allocationWeight(c) / total
}

// stepTension advances every country's tension and stage by one month.
func (s *refRunState) stepTension(m int) {
	p := s.p
	for c := range p.countries {
		cp := &p.countries[c]
		x := s.x[c]
		st := s.stage[c]
		push := 0.0
		for k := range cp.shocks {
			sh := &cp.shocks[k]
			// Events of a Poisson process in (m-1, m]: the arrival times are
			// sums of exponential gaps of mean 1/lambda, drawn only when
			// an event happens. A higher rate brings the same events
			// earlier, which keeps common random numbers monotone.
			for s.nextShock[sh.slot] <= float64(m) {
				s.nextShock[sh.slot] += s.counts[sh.slot].ExpFloat64() / sh.lambda
				if sh.fixed {
					push += sh.mean
				} else {
					push += sh.mean * s.sizes[sh.slot].ExpFloat64()
				}
			}
		}
		relief := 0.0
		if cp.events != nil {
			push += cp.events[m].up
			relief = cp.events[m].down
		}
		spill := 0.0
		for _, sp := range cp.spill {
			if s.stage[sp.From] == War {
				spill += sp.Weight
			}
		}
		next := x + cp.reversion*(cp.pressure*(1-s.rol[c])-x) + cp.momentum[st] +
			push*s.keep[c] + relief + spill - s.mediation[c]
		if cp.volatility != 0 {
			next += cp.volatility * s.noise[c].NormFloat64()
		}
		// Plain comparisons: the builtin float min and max also order
		// NaNs and signed zeros, which costs branches here.
		if next < 0 {
			next = 0
		} else if next > 1 {
			next = 1
		}
		s.xNext[c] = next
	}
	for c := range p.countries {
		x := s.xNext[c]
		prev := s.stage[c]
		st := StageOf(x, prev, p.e, p.w, p.hys)
		if st == War && prev != War {
			s.onsets[c]++
		}
		s.x[c] = x
		s.stage[c] = st
		if x > s.peak[c] {
			s.peak[c] = x
		}
	}
}

// stepMarkov draws every country's next stage. Interventions and rule-of-law
// capacity scale the upward transitions by keep*(1-R), the removed mass
// staying put; mediation in war moves a share of war→war to war→escalating.
func (s *refRunState) stepMarkov() {
	p := s.p
	for c := range p.countries {
		prev := s.stage[c]
		row := p.trans[prev]
		up := s.keep[c] * (1 - s.rol[c])
		if up != 1 {
			for to := prev + 1; to < NumStages; to++ {
				removed := row[to] * (1 - up)
				row[to] -= removed
				row[prev] += removed
			}
		}
		if prev == War && s.warShift[c] != 0 {
			moved := row[War] * s.warShift[c]
			row[War] -= moved
			row[Escalating] += moved
		}
		u := s.stages[c].Float64()
		st := War
		if u < row[Latent] {
			st = Latent
		} else if u < row[Latent]+row[Escalating] {
			st = Escalating
		}
		if st == War && prev != War {
			s.onsets[c]++
		}
		s.stage[c] = st
	}
}

// refCompare runs every variant of a comparison the simple way: one
// goroutine, runs in order, each variant's run from scratch. It returns the
// aggregates and paired statistics and, if recs is true, every record.
func refCompare(variants []*Scenario, seed uint64, first, runs int64, recs bool) (*Comparison, []CountryRecord) {
	states := make([]*refRunState, len(variants))
	for v, sc := range variants {
		states[v] = newRefRunState(refCompile(sc))
	}
	out := newComparison(variants)
	var records []CountryRecord
	for run := first; run < first+runs; run++ {
		for v, s := range states {
			s.run(seed, run, out.Results[v])
			if recs {
				records = s.appendRecords(records, v, run)
			}
		}
		base := states[0]
		for v := 1; v < len(states); v++ {
			s := states[v]
			nc := len(s.p.countries)
			for u := 0; u <= nc; u++ {
				var bw, vw bool
				var bm, vm int
				if u < nc {
					bw, vw = base.everWar[u], s.everWar[u]
					bm, vm = base.warMonths[u], s.warMonths[u]
				} else {
					bw, vw = base.anyEver, s.anyEver
					bm, vm = base.anyMonths, s.anyMonths
				}
				p := &out.Paired[v][u]
				p.Runs++
				switch {
				case bw && vw:
					p.Both++
				case bw:
					p.BaseOnly++
				case vw:
					p.VariantOnly++
				}
				d := int64(vm - bm)
				p.SumDiff += d
				p.SumSqDiff += d * d
			}
		}
	}
	out.pairSelf()
	for v := range states {
		a, b := *states[0].p, *states[v].p
		a.sc, b.sc = nil, nil
		identical := reflect.DeepEqual(a, b)
		for u := range out.Paired[v] {
			out.Paired[v][u].Identical = identical
		}
	}
	return out, records
}
