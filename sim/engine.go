package sim

import (
	"math"
	"slices"
)

// program is a scenario compiled for the hot loop: flat arrays, constants
// computed once, stream keys hashed once.
type program struct {
	sc        *Scenario
	h         int
	dynamics  Dynamics
	e, w, hys float64
	lag       int
	decay     float64
	perStep   int
	trans     [NumStages][NumStages]float64
	countries []countryProgram
	ivs       []interventionProgram
	nShocks   int // shock processes over all countries
	hasSpill  bool
	// covering[c] lists the interventions acting in country c.
	covering [][]int
}

type countryProgram struct {
	x0                  float64
	s0                  Stage
	pressure, reversion float64
	volatility          float64
	momentum            [NumStages]float64
	spill               []Spillover
	shocks              []shockProgram
	// Scheduled events by month (0..H), the raising and the calming ones
	// summed apart, since deterrence scales only the first; nil without
	// events.
	events             []monthEvents
	noiseKey, stageKey uint64
}

// monthEvents are one month's scheduled events: the sum of the raising
// sizes and of the calming (negative) ones.
type monthEvents struct{ up, down float64 }

type shockProgram struct {
	lambda, mean      float64 // events per month, mean size
	fixed             bool
	countKey, sizeKey uint64
	slot              int // index of its streams in the worker
}

type interventionProgram struct {
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
	mode      effectMode
	key       uint64
	end       int // EndMonth: acts in no month >= end (0: no end)
	// spans is the staff schedule: spans[k] holds from month spans[k].from
	// until the next one; spans[0] starts at month 0 and holds staff,
	// capacity and effCap above. A mission whose staff never changes has
	// one span.
	spans []staffSpan
}

// staffSpan is a stretch of months with one staff: its capacity and effect
// when all of it serves one country, and its share-months per acting
// month in StaffShare's units (ShareUnit for the whole reference staff).
type staffSpan struct {
	from     int
	staff    float64
	capacity float64
	effCap   [NumStages]float64
	units    int64
}

// spanAt returns the index of the span in force in month m.
func spanAt(spans []staffSpan, m int) int {
	k := 0
	for k+1 < len(spans) && spans[k+1].from <= m {
		k++
	}
	return k
}

// newStaffSchedule compiles iv's staff schedule. Changes to the staff already
// in force are dropped, so that such a schedule compiles to the program of
// a mission without one.
func newStaffSchedule(iv *Intervention) []staffSpan {
	ref := iv.ReferenceStaff()
	mk := func(from int, staff float64) staffSpan {
		sg := staffSpan{from: from, staff: staff, capacity: Capacity(staff, iv.StaffScale, iv.Expertise), units: ShareUnit}
		if staff != ref {
			sg.units = int64(staff/ref*ShareUnit + 0.5)
		}
		for st := range NumStages {
			sg.effCap[st] = iv.Effect[st] * sg.capacity
		}
		return sg
	}
	spans := []staffSpan{mk(0, iv.Staff)}
	for _, ch := range iv.StaffFrom {
		if ch.Staff != spans[len(spans)-1].staff {
			spans = append(spans, mk(ch.Month, ch.Staff))
		}
	}
	return spans
}

// effectMode is how an intervention acts under the scenario's dynamics.
type effectMode uint8

const (
	pullTension   effectMode = iota // mediation, tension: lowers tension
	scaleUp                         // monitoring: scales shocks or upward moves down
	mediateChain                    // mediation, markov: scales upward moves, eases war
	buildCapacity                   // rule of law: builds capacity R
)

func compile(sc *Scenario) *program {
	p := &program{
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
	p.countries = make([]countryProgram, len(sc.Countries))
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
		p.hasSpill = p.hasSpill || len(c.Spillover) > 0
		cp.noiseKey = streamKey("noise", c.ID)
		cp.stageKey = streamKey("stage", c.ID)
		for _, sh := range c.Shocks {
			lambda := sh.RatePerYear / 12
			cp.shocks = append(cp.shocks, shockProgram{
				lambda: lambda, mean: sh.MeanSize,
				fixed:    sh.Distribution == Fixed,
				countKey: streamKey("shock", c.ID, sh.Name),
				sizeKey:  streamKey("shock-size", c.ID, sh.Name),
				slot:     p.nShocks,
			})
			p.nShocks++
		}
		if len(c.Events) > 0 {
			cp.events = make([]monthEvents, sc.Horizon+1)
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
	p.ivs = make([]interventionProgram, len(sc.Interventions))
	for i := range sc.Interventions {
		iv := &sc.Interventions[i]
		p.ivs[i] = interventionProgram{
			kind: iv.Kind, countries: iv.Countries, regional: len(iv.Countries) > 1,
			start: iv.StartMonth, triggered: iv.Triggered, trigger: iv.Trigger,
			delay: iv.StartupDelay, duration: iv.Duration,
			staff: iv.Staff, scale: iv.StaffScale, expertise: iv.Expertise,
			consent: iv.Consent, effect: iv.Effect,
			capacity: Capacity(iv.Staff, iv.StaffScale, iv.Expertise),
			key:      streamKey("consent", iv.ID),
			end:      iv.EndMonth,
			spans:    newStaffSchedule(iv),
		}
		ip := &p.ivs[i]
		for st := range NumStages {
			ip.effCap[st] = ip.effect[st] * ip.capacity
		}
		switch {
		case iv.Kind == RuleOfLaw:
			ip.mode = buildCapacity
		case iv.Kind == Monitoring:
			ip.mode = scaleUp
		case p.dynamics == Markov:
			ip.mode = mediateChain
		default:
			ip.mode = pullTension
		}
		for _, c := range iv.Countries {
			p.covering[c] = append(p.covering[c], i)
		}
	}
	return p
}

// draws are one run's random numbers for every variant of a draw group
// (see sameDraws): the noise, the shock sizes summed by month and the
// Markov uniforms depend only on the seed, the run index and the stream
// keys, never on the state, so variants that share them make them once.
// Months are indexed 0..H; entry c*(H+1)+m is country c in month m.
type draws struct {
	noise []float64 // standard normal, tension dynamics, countries with noise
	push  []float64 // sum of the shock sizes arriving in (m-1, m]
	u     []float64 // markov: the uniform that picks the stage in step month m
}

// drawSpec says which draws a group's runs need.
type drawSpec struct {
	p         *program
	streams   Streams
	needNoise []bool // by country: some variant has volatility
	hasShocks []bool // by country

	// The streams' keys hashed with seed (streamBase), by country and by
	// shock slot, once for all runs of that seed.
	seeded               bool
	seed                 uint64
	noiseBase, stageBase []uint64
	countBase, sizeBase  []uint64
}

func newDrawSpec(p *program) *drawSpec {
	nc := len(p.countries)
	d := &drawSpec{
		p: p, streams: StreamsV1, needNoise: make([]bool, nc), hasShocks: make([]bool, nc),
		noiseBase: make([]uint64, nc), stageBase: make([]uint64, nc),
		countBase: make([]uint64, p.nShocks), sizeBase: make([]uint64, p.nShocks),
	}
	d.add(p)
	return d
}

// seedWith hashes the streams' keys with seed, unless already done.
func (d *drawSpec) seedWith(seed uint64) {
	if d.seeded && d.seed == seed {
		return
	}
	for c := range d.p.countries {
		cp := &d.p.countries[c]
		d.noiseBase[c] = streamBase(seed, cp.noiseKey)
		d.stageBase[c] = streamBase(seed, cp.stageKey)
		for _, sh := range cp.shocks {
			d.countBase[sh.slot] = streamBase(seed, sh.countKey)
			d.sizeBase[sh.slot] = streamBase(seed, sh.sizeKey)
		}
	}
	d.seeded, d.seed = true, seed
}

// add makes the spec cover a further variant's needs.
func (d *drawSpec) add(p *program) {
	for c := range p.countries {
		if p.countries[c].volatility != 0 {
			d.needNoise[c] = true
		}
		if len(p.countries[c].shocks) > 0 {
			d.hasShocks[c] = true
		}
	}
}

// sameDraws reports whether a and b make the same random draws: the same
// dynamics, horizon and steps, the same countries and the same shock
// processes. Volatility may differ (it scales the same normal draws), and
// so may everything else, missions included: their consent draws are
// made per variant.
func sameDraws(a, b *program) bool {
	if a.dynamics != b.dynamics || a.h != b.h || a.perStep != b.perStep || len(a.countries) != len(b.countries) {
		return false
	}
	for c := range a.countries {
		ca, cb := &a.countries[c], &b.countries[c]
		if ca.noiseKey != cb.noiseKey || ca.stageKey != cb.stageKey || !slices.Equal(ca.shocks, cb.shocks) {
			return false
		}
	}
	return true
}

func newDraws(p *program) *draws {
	n := len(p.countries) * (p.h + 1)
	d := &draws{}
	if p.dynamics == Tension {
		d.noise, d.push = make([]float64, n), make([]float64, n)
	} else {
		d.u = make([]float64, n)
	}
	return d
}

// fill makes the draws of run index run.
func (d *draws) fill(spec *drawSpec, seed uint64, run int64) {
	p := spec.p
	h := p.h
	spec.seedWith(seed)
	var st stream
	for c := range p.countries {
		cp := &p.countries[c]
		row := c * (h + 1)
		if p.dynamics == Markov {
			st.resetBase(spec.stageBase[c], run)
			u := d.u[row : row+h+1]
			for m := p.perStep; m <= h; m += p.perStep {
				u[m] = st.Float64()
			}
			continue
		}
		if spec.needNoise[c] {
			st.resetBase(spec.noiseBase[c], run)
			z := d.noise[row : row+h+1]
			for m := 1; m < len(z); m++ {
				// NormFloat64, its fast path inlined.
				u := st.Uint64()
				j, i := int32(u), (u>>32)&127
				if absInt32(j) < zigK[i] {
					z[m] = float64(j) * zigW[i]
				} else {
					z[m] = st.normFrom(u)
				}
			}
		}
		if !spec.hasShocks[c] {
			continue
		}
		push := d.push[row : row+h+1]
		clear(push)
		for k := range cp.shocks {
			sh := &cp.shocks[k]
			if sh.lambda <= 0 {
				continue // no event ever; its streams are never read
			}
			// Events of a Poisson process in (m-1, m]: the arrival times
			// are sums of exponential gaps of mean 1/lambda, drawn only
			// when an event happens. A higher rate brings the same events
			// earlier. Each month's sizes are added in the order of the
			// processes, as the month's step adds them.
			var counts, sizes stream
			counts.resetBase(spec.countBase[sh.slot], run)
			sizes.resetBase(spec.sizeBase[sh.slot], run)
			v := spec.streams
			next := counts.exp(v) / sh.lambda
			for next <= float64(h) {
				m := max(int(math.Ceil(next)), 1) // an event at time 0 comes in month 1
				next += counts.exp(v) / sh.lambda
				if sh.fixed {
					push[m] += sh.mean
				} else {
					push[m] += sh.mean * sizes.exp(v)
				}
			}
		}
	}
}

// runState is one worker's scratch space for one program. It is allocated
// once per worker and reused for every run: the hot loop allocates nothing.
type runState struct {
	p *program

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
	active    []int // the interventions acting this month, in index order
	// span[i] is the span of intervention i's staff schedule in force
	// this month, while it acts (always 0 without a schedule).
	span []int
	// nextDetect is the earliest month in which a waiting triggered
	// mission has been detected (math.MaxInt if none).
	nextDetect int
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

	// byStage holds, for a scenario of one country (tension dynamics, no
	// spillover), the effects of the active missions by the country's
	// stage in the previous month: the stage changes then need no new
	// effects.
	byStage [NumStages]effectRow
	rows    uint8 // bit st: byStage[st] holds for the active set
	single  bool  // one country, tension dynamics, no spillover
	// plans[b], for a single-country scenario without triggered missions
	// (at most maxPlanned), is the plan of the runs whose consents are
	// the bits of b, made when first needed (nil otherwise).
	plans []*plan
	// launchPlans, for a single-country scenario with one triggered
	// mission (at most maxPlanned in all), holds the plans of the runs in
	// which that mission has launched: launchPlans[b][L] for consents b
	// and launch month L, made when first needed. Once it has launched,
	// the rest of the run follows one (followLaunchPlan).
	launchPlans [][]*plan
	trig        int // the triggered mission, with launchPlans
	// splitMonthly, set by months for a call of monthsTension, says that
	// a regional mandate acts: the effects are worked out anew
	// (effectsTension) in every month after the call's first. (Not a
	// field of segment, which every months function gets by value.)
	splitMonthly bool

	// onMonth, if set, is called after every month with its index: tests
	// use it to read the exact path in x, stage and rol.
	onMonth func(m int)

	// consentBase[i] is intervention i's consent stream key hashed with
	// the seed consentSeed (streamBase), once for all runs of that seed.
	consentBase   []uint64
	consentSeeded bool
	consentSeed   uint64

	spec  *drawSpec // the draws this state makes for itself (run)
	own   *draws
	tally tally
}

func newRunState(p *program) *runState {
	nc, ni := len(p.countries), len(p.ivs)
	s := &runState{
		p:           p,
		x:           make([]float64, nc),
		xNext:       make([]float64, nc),
		stage:       make([]Stage, nc),
		rol:         make([]float64, nc),
		mediation:   make([]float64, nc),
		keep:        make([]float64, nc),
		rolKeep:     make([]float64, nc),
		warShift:    make([]float64, nc),
		consented:   make([]bool, ni),
		launched:    make([]bool, ni),
		launch:      make([]int, ni),
		detected:    make([]int, ni),
		from:        make([]int, ni),
		to:          make([]int, ni),
		activeN:     make([]int, ni),
		active:      make([]int, 0, ni),
		shares:      make([][]int64, ni),
		consentBase: make([]uint64, ni),
		everWar:     make([]bool, nc),
		firstWar:    make([]int, nc),
		warMonths:   make([]int, nc),
		onsets:      make([]int, nc),
		peak:        make([]float64, nc),
		spec:        newDrawSpec(p),
		own:         newDraws(p),
		tally:       newTally(p),
	}
	s.span = make([]int, ni)
	triggered := 0
	for i := range p.ivs {
		if p.ivs[i].regional {
			s.shares[i] = make([]int64, len(p.ivs[i].countries))
		}
		if p.ivs[i].triggered {
			triggered++
			s.trig = i
		}
	}
	s.single = p.dynamics == Tension && nc == 1 && !p.hasSpill
	if s.single && ni > 0 && ni <= maxPlanned && triggered == 0 {
		s.plans = make([]*plan, 1<<ni)
	}
	if s.single && ni <= maxPlanned && triggered == 1 {
		s.launchPlans = make([][]*plan, 1<<ni)
	}
	return s
}

// activeIn reports whether intervention i acts in month m: a mission
// launched in month L first acts in month L+delay+1 and then for its
// duration. The window is worked out once, at launch (setWindow).
func (s *runState) activeIn(i, m int) bool {
	return m >= s.from[i] && m <= s.to[i]
}

// setWindow launches intervention i in month launch and fixes the months in
// which it acts; a mission without consent never acts.
func (s *runState) setWindow(i, launch int) {
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
	if iv.end > 0 {
		s.to[i] = min(s.to[i], iv.end-1)
	}
}

// monitored reports whether a monitoring mission with staff acts in
// country c in month m (the same window as activeIn): a stage reached there
// and then is detected at once.
func (s *runState) monitored(c, m int) bool {
	for _, i := range s.p.covering[c] {
		// A mission without capacity (no staff or no expertise) has no
		// effect of any kind, earlier detection included: the capacity
		// of the staff in force that month.
		iv := &s.p.ivs[i]
		if iv.kind == Monitoring && s.activeIn(i, m) && iv.spans[spanAt(iv.spans, m)].capacity > 0 {
			return true
		}
	}
	return false
}

// run simulates run index run and adds it to res, making its own draws.
func (s *runState) run(seed uint64, run int64, res *Result) {
	s.own.fill(s.spec, seed, run)
	s.simulate(seed, run, res, s.own)
	s.flush(res)
}

// simulate simulates run index run on draws d (made for this run by a
// spec that covers this state's program) and adds it to res. The run's
// outcomes stay in s until the next run, for pairing and records.
func (s *runState) simulate(seed uint64, run int64, res *Result, d *draws) {
	p := s.p
	h := p.h
	x, stage, rol, peak := s.x, s.stage, s.rol, s.peak
	everWar, firstWar, warMonths, onsets := s.everWar, s.firstWar, s.warMonths, s.onsets

	for c := range p.countries {
		cp := &p.countries[c]
		x[c] = cp.x0
		stage[c] = cp.s0
		rol[c] = 0
		everWar[c] = false
		firstWar[c] = -1
		warMonths[c] = 0
		onsets[c] = 0
		peak[c] = cp.x0
		s.mediation[c], s.keep[c], s.rolKeep[c], s.warShift[c] = 0, 1, 1, 0
	}
	pending := 0 // triggered missions not yet launched
	s.nextDetect = math.MaxInt
	if !s.consentSeeded || s.consentSeed != seed {
		for i := range p.ivs {
			s.consentBase[i] = streamBase(seed, p.ivs[i].key)
		}
		s.consentSeeded, s.consentSeed = true, seed
	}
	for i := range p.ivs {
		iv := &p.ivs[i]
		var cs stream
		cs.resetBase(s.consentBase[i], run)
		s.consented[i] = cs.Float64() < iv.consent
		s.launched[i] = false
		s.detected[i] = math.MaxInt
		s.from[i], s.to[i] = math.MaxInt, -1 // never, until launched
		s.span[i] = 0
		if iv.triggered {
			pending++
		} else {
			s.setWindow(i, iv.start)
		}
		clear(s.shares[i])
	}

	aw := anyWar{first: -1}
	s.record(0)
	// A war under way in month 0 is the first war episode.
	for c := range p.countries {
		if stage[c] == War {
			everWar[c] = true
			firstWar[c] = 0
			onsets[c] = 1
			aw.prev = true
		}
	}
	if aw.prev {
		aw.ever, aw.first, aw.onsets = true, 0, 1
	}
	if pending > 0 {
		pending = s.checkTriggers(0, pending)
	}
	if s.onMonth != nil {
		s.onMonth(0)
	}
	switch {
	case s.plans != nil:
		s.followPlan(d, &aw)
	case pending == 0 && s.launchPlans != nil && s.onMonth == nil:
		s.followLaunchPlan(1, d, &aw)
	default:
		s.months(d, &aw, pending)
	}
	// Run outcomes into the aggregates.
	for c := range p.countries {
		cr := &res.Countries[c]
		st := stage[c]
		cr.FinalStage[st]++
		addOutcome(&cr.Outcome, everWar[c], firstWar[c], warMonths[c], onsets[c])
		if cr.PeakTension != nil {
			cr.PeakTension[tensionBin(peak[c])]++
			cr.PeakTensionRange[0] = min(cr.PeakTensionRange[0], peak[c])
			cr.PeakTensionRange[1] = max(cr.PeakTensionRange[1], peak[c])
		}
	}
	addOutcome(&res.AnyWar, aw.ever, aw.first, aw.months, aw.onsets)
	for i := range p.ivs {
		ir := &res.Interventions[i]
		if s.consented[i] {
			ir.Consented++
		}
		if s.launched[i] && s.launch[i] <= h {
			ir.Launched++
		}
		// The months of 1..H in the window [from, to].
		n := 0
		if s.from[i] <= h && s.to[i] >= s.from[i] {
			n = min(s.to[i], h) - max(s.from[i], 1) + 1
		}
		s.activeN[i] = n
		ir.ActiveMonths[n]++
		if n > 0 {
			ir.FirstActive[s.launch[i]+p.ivs[i].delay+1]++
		}
		switch {
		case s.shares[i] == nil && len(p.ivs[i].spans) == 1:
			ir.StaffShare[0] += int64(n) * ShareUnit
		case s.shares[i] == nil:
			ir.StaffShare[0] += s.scheduledUnits(i)
		default:
			addInto(ir.StaffShare, s.shares[i])
		}
	}
	res.Runs++
	if s.tally.runs++; s.tally.runs == maxTally {
		s.flush(res)
	}

	s.anyEver, s.anyMonths = aw.ever, aw.months
}

// months works out months 1..H of a run whose month 0 is done, with
// pending triggered missions waiting, doing the missions' bookkeeping
// between calls of monthsTension or monthsMarkov.
func (s *runState) months(d *draws, aw *anyWar, pending int) {
	p := s.p
	h := p.h
	stage := s.stage
	tension := p.dynamics == Tension
	// The effects of the missions change only when a mission starts or
	// stops acting, when a stage changes (effects are by stage), or every
	// month while a regional mandate acts (its split follows tension):
	// in other months last month's effects hold.
	nextChange := 1 // the next month in which the active set may change
	dirty := true
	regional := false
	// A single country's effects are tabulated by stage (byStage).
	single := s.single
	if single {
		s.byStage = [NumStages]effectRow{{0, 1, 1}, {0, 1, 1}, {0, 1, 1}}
		s.rows = 1<<NumStages - 1 // no mission acts yet
	}
	for m := 1; m <= h; m++ {
		newSet := false
		if len(p.ivs) > 0 {
			if m >= nextChange {
				nextChange = s.activeSet(m)
				newSet = true
				dirty = true
				regional = false
				for _, i := range s.active {
					regional = regional || p.ivs[i].regional
				}
			}
			switch {
			case single:
				// Rows of byStage are worked out as the stages occur.
				if dirty {
					s.rows, dirty = 0, false
				}
				if st := stage[0]; s.rows&(1<<st) == 0 {
					s.effects()
					s.byStage[st] = effectRow{s.mediation[0], s.keep[0], s.rolKeep[0]}
					s.rows |= 1 << st
				}
			case dirty || regional:
				if tension {
					s.effectsTension()
				} else {
					s.effects()
				}
				dirty = false
			}
		}
		// The months from m on run in one call, with the run's state in
		// locals, until one needs the missions' bookkeeping: the active
		// set may change, a regional mandate splits its staff anew, a
		// stage changes while missions act (their effects are by stage),
		// or a trigger may fire.
		// While a regional mandate acts, monthsTension works out the
		// effects anew at the start of each month after the first (they
		// follow last month's tensions and stages), so neither the split
		// nor a stage change needs the bookkeeping.
		run := segment{last: h, watchMonth: math.MaxInt, stopOnChange: len(s.active) > 0 && !single && !(regional && tension), rows: s.rows}
		s.splitMonthly = regional && tension
		if s.onMonth != nil || regional && !tension {
			run.last = m
		} else if len(p.ivs) > 0 {
			run.last = min(h, nextChange-1)
		}
		if pending > 0 {
			// checkTriggers can change something only in a month in
			// which a stage changes (a triggering stage first reached),
			// a monitoring mission starts or stops acting (the first
			// month of an active set), or a detection falls due; in
			// other months it leaves every detection and launch as it
			// was, so it runs after those months only.
			run.stopOnChange = true
			run.watchMonth = s.nextDetect
			if newSet {
				run.last = m
			}
		}
		var changed bool
		switch {
		case tension && single:
			m, changed = s.monthsTension1(m, run, d, aw, nil)
		case tension:
			m, changed = s.monthsTension(m, run, d, aw)
		default:
			m, changed = s.monthsMarkov(m, run, d, aw)
		}
		dirty = dirty || changed && !single
		if pending > 0 {
			before := pending
			pending = s.checkTriggers(m, pending)
			if pending != before {
				nextChange = min(nextChange, m+1)
				if pending == 0 && s.launchPlans != nil && s.onMonth == nil {
					// Every window is now known: the rest of the run
					// follows the plan of its consents and launch.
					s.followLaunchPlan(m+1, d, aw)
					return
				}
			}
		}
		if s.onMonth != nil {
			s.onMonth(m)
		}
	}
}

// plan is the missions' bookkeeping in a run of a single-country scenario
// without triggered missions (see runState.plans), which depends only on
// the missions the host accepted: the stretches of months in which the
// active set holds, each with the effects by stage.
type plan struct {
	segs []planSegment
}

type planSegment struct {
	last int // the stretch runs from the month after the previous one's last
	rows [NumStages]effectRow
}

// followPlan works out months 1..H of a run whose month 0 is done, on the
// plan for its consents: what months does, without the bookkeeping.
func (s *runState) followPlan(d *draws, aw *anyWar) {
	var bits uint64
	for i, ok := range s.consented {
		if ok {
			bits |= 1 << i
		}
	}
	pl := s.plans[bits]
	if pl == nil {
		pl = s.newPlan()
		s.plans[bits] = pl
	}
	run := segment{last: s.p.h, watchMonth: math.MaxInt, rows: 1<<NumStages - 1}
	if s.onMonth == nil {
		if run.last >= 1 {
			s.monthsTension1(1, run, d, aw, pl.segs)
		}
		return
	}
	m := 1
	for k := range pl.segs {
		for m <= pl.segs[k].last {
			run.last = m
			m, _ = s.monthsTension1(m, run, d, aw, pl.segs[k:])
			s.onMonth(m)
			m++
		}
	}
}

// followLaunchPlan works out months m..H of a run of a single-country
// scenario whose one triggered mission has launched, without callbacks
// (onMonth nil), on the plan of its consents and launch month: what
// months would do, without the bookkeeping.
func (s *runState) followLaunchPlan(m int, d *draws, aw *anyWar) {
	if m > s.p.h {
		return
	}
	var bits uint64
	for i, ok := range s.consented {
		if ok {
			bits |= 1 << i
		}
	}
	byLaunch := s.launchPlans[bits]
	if byLaunch == nil {
		byLaunch = make([]*plan, s.p.h+1)
		s.launchPlans[bits] = byLaunch
	}
	launch := s.launch[s.trig]
	pl := byLaunch[launch]
	if pl == nil {
		pl = s.newPlan()
		byLaunch[launch] = pl
	}
	segs := pl.segs
	for segs[0].last < m {
		segs = segs[1:]
	}
	run := segment{last: s.p.h, watchMonth: math.MaxInt, rows: 1<<NumStages - 1}
	s.monthsTension1(m, run, d, aw, segs)
}

// newPlan works out the plan of the current run's consents with the
// bookkeeping functions months uses: the windows (setWindow, which gives
// this run's, as no mission is triggered), the active sets and their
// effects in each stage. It leaves the run's state as it found it but for
// the scratch of effects and activeSet.
func (s *runState) newPlan() *plan {
	p := s.p
	for i := range p.ivs {
		if !p.ivs[i].triggered { // a triggered one has launched (launchPlans)
			s.setWindow(i, p.ivs[i].start)
		}
	}
	saved := s.stage[0]
	pl := &plan{}
	for m := 1; m <= p.h; {
		next := s.activeSet(m)
		sg := planSegment{last: min(p.h, next-1)}
		for st := range Stage(NumStages) {
			s.stage[0] = st
			s.effects()
			sg.rows[st] = effectRow{s.mediation[0], s.keep[0], s.rolKeep[0]}
		}
		pl.segs = append(pl.segs, sg)
		m = sg.last + 1
	}
	s.stage[0] = saved
	return pl
}

// anyWar tracks war in any country over a run: whether and when it first
// held, its months and its onsets, and whether it held last month.
type anyWar struct {
	ever, prev bool
	first      int
	months     int
	onsets     int
}

// add counts month m, whose highest stage was top.
func (a *anyWar) add(m int, top Stage) {
	now := top == War
	if now {
		a.months++
		if !a.prev {
			a.onsets++
		}
		if !a.ever {
			a.ever, a.first = true, m
		}
	}
	a.prev = now
}

// addMonths counts months m..end, whose highest stage was top in each.
func (a *anyWar) addMonths(m, end int, top Stage) {
	now := top == War
	if now {
		a.months += end - m + 1
		if !a.prev {
			a.onsets++
		}
		if !a.ever {
			a.ever, a.first = true, m
		}
	}
	a.prev = now
}

// segment says how far a call of monthsTension or monthsMarkov may run
// from its first month: to month last at most, stopping after the first
// month in which a stage changes if stopOnChange, or which is watchMonth or
// later. The missions' bookkeeping happens between calls.
type segment struct {
	last         int
	watchMonth   int
	stopOnChange bool
	// rows (monthsTension1): the stages whose effects are tabulated; a
	// change to another stage ends the segment.
	rows uint8
}

// stop reports whether a segment ends after month m.
func (g *segment) stop(m int, changed bool) bool {
	return m >= g.last || m >= g.watchMonth || changed && g.stopOnChange
}

// activeSet lists in s.active the interventions acting in month m, sets
// the span of their staff schedules in force, and returns the next
// month in which either may change (math.MaxInt if none, until a trigger
// fires).
func (s *runState) activeSet(m int) int {
	s.active = s.active[:0]
	next := math.MaxInt
	for i := range s.p.ivs {
		switch {
		case m < s.from[i]:
			next = min(next, s.from[i])
		case m <= s.to[i]:
			s.active = append(s.active, i)
			next = min(next, s.to[i]+1)
			if spans := s.p.ivs[i].spans; len(spans) > 1 {
				k := spanAt(spans, m)
				s.span[i] = k
				if k+1 < len(spans) {
					next = min(next, spans[k+1].from)
				}
			}
		}
	}
	return next
}

// scheduledUnits returns the share-months (in 1/ShareUnit of the
// reference staff) of the last run of single-country intervention i: its
// acting months in 1..H, each counted at the units of the staff in force.
func (s *runState) scheduledUnits(i int) int64 {
	spans := s.p.ivs[i].spans
	lo, hi := max(s.from[i], 1), min(s.to[i], s.p.h)
	var units int64
	for k := range spans {
		a := max(lo, spans[k].from)
		b := hi
		if k+1 < len(spans) {
			b = min(b, spans[k+1].from-1)
		}
		if b >= a {
			units += int64(b-a+1) * spans[k].units
		}
	}
	return units
}

// appendRecords appends the last run's per-country outcomes to recs.
func (s *runState) appendRecords(recs []CountryRecord, variant int, run int64) []CountryRecord {
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

func addOutcome(o *Outcome, ever bool, first, months, onsets int) {
	if ever {
		o.EverWar++
		o.FirstWar[first]++
	}
	o.WarMonths[months]++
	o.Onsets[onsets]++
}

// tally holds a state's month-by-month aggregates of the runs since the
// last flush in flat arrays of small counters: a fifth of the memory of
// Result's int64 histograms, which keeps the hot loop's writes in cache
// when many variants run together. Entry (c*(H+1)+m)*width+k is country c
// in month m. Counts stay below 65536 because the worker flushes every
// chunk of runs, and simulate flushes itself before that many.
type tally struct {
	runs       int
	occ        []uint16  // by stage
	hist       []uint16  // by tension bin (tension dynamics)
	tmin, tmax []float64 // tension extremes (tension dynamics)
}

const maxTally = 1<<16 - 1

func newTally(p *program) tally {
	n := len(p.countries) * (p.h + 1)
	t := tally{occ: make([]uint16, n*NumStages)}
	if p.dynamics == Tension {
		t.hist = make([]uint16, n*TensionBins)
		t.tmin, t.tmax = make([]float64, n), make([]float64, n)
		t.reset()
	}
	return t
}

func (t *tally) reset() {
	t.runs = 0
	clear(t.occ)
	clear(t.hist)
	for i := range t.tmin {
		t.tmin[i], t.tmax[i] = 1, 0
	}
}

// flush adds the tallied runs to res and empties the tally.
func (s *runState) flush(res *Result) {
	t := &s.tally
	if t.runs == 0 {
		return
	}
	h1 := s.p.h + 1
	for c := range res.Countries {
		cr := &res.Countries[c]
		for m := range h1 {
			i := c*h1 + m
			occ := t.occ[i*NumStages : (i+1)*NumStages]
			for st, n := range occ {
				cr.Occupancy[m][st] += int64(n)
			}
			if cr.Tension != nil {
				row := cr.Tension[m]
				for b, n := range t.hist[i*TensionBins : (i+1)*TensionBins] {
					row[b] += int64(n)
				}
				cr.TensionMin[m] = min(cr.TensionMin[m], t.tmin[i])
				cr.TensionMax[m] = max(cr.TensionMax[m], t.tmax[i])
			}
		}
	}
	t.reset()
}

// record tallies month m's stages and tensions.
func (s *runState) record(m int) {
	t := &s.tally
	h1 := s.p.h + 1
	for c, st := range s.stage {
		i := c*h1 + m
		t.occ[i*NumStages+int(st)]++
		if t.hist != nil {
			x := s.x[c]
			t.hist[i*TensionBins+tensionBin(x)]++
			t.tmin[i] = min(t.tmin[i], x)
			t.tmax[i] = max(t.tmax[i], x)
		}
	}
}

// countryCost is the cost of this run attributed to country c: each
// mission's staff-months there times its cost, a regional mandate's staff
// counted where it served.
func (s *runState) countryCost(c int) float64 {
	cost := 0.0
	for _, i := range s.p.covering[c] {
		iv := &s.p.sc.Interventions[i]
		if len(s.p.ivs[i].spans) > 1 {
			// A staff that changes: share-months of the reference
			// staff, as the aggregates count them.
			units := s.scheduledUnits(i)
			if s.shares[i] != nil {
				units = s.shares[i][slices.Index(iv.Countries, c)]
			}
			cost += iv.ReferenceStaff() * iv.CostPerStaffMonth * float64(units) / ShareUnit
			continue
		}
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
// while the stage holds detects it at once. It returns the number of
// triggered missions still waiting, and sets s.nextDetect to their
// earliest detection month.
func (s *runState) checkTriggers(m, pending int) int {
	s.nextDetect = math.MaxInt
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
			pending--
		} else {
			s.nextDetect = min(s.nextDetect, s.detected[i])
		}
	}
	return pending
}

// maxPlanned is the most missions a single-country scenario may have for
// its runs to follow plans (one per set of consents, 2^n at most).
const maxPlanned = 8

// effectRow is one country's effects in one month (see runState).
type effectRow struct{ mediation, keep, rolKeep float64 }

// effects works out the effects by country of the interventions in
// s.active, using the stages (and tensions) of the previous month, in the
// order of the interventions, as sums and products are not associative.
func (s *runState) effects() {
	p := s.p
	for c := range s.mediation {
		s.mediation[c] = 0
		s.keep[c] = 1
		s.rolKeep[c] = 1
		s.warShift[c] = 0
	}
	for _, i := range s.active {
		iv := &p.ivs[i]
		sg := &iv.spans[s.span[i]] // the staff in force
		if !iv.regional {
			c := iv.countries[0]
			s.addEffect(iv, c, sg.effCap[s.stage[c]])
			continue
		}
		total := s.allocationTotal(iv)
		// The last country takes the rest, so that shares sum to the
		// whole staff in force (ShareUnit without a schedule).
		whole := sg.units
		left := whole
		for k, c := range iv.countries {
			share := s.allocationShare(iv, c, total)
			capacity := Capacity(sg.staff*share, iv.scale, iv.expertise)
			s.addEffect(iv, c, iv.effect[s.stage[c]]*capacity)
			q := left
			if k < len(iv.countries)-1 {
				q = min(int64(share*float64(whole)+0.5), left)
			}
			s.shares[i][k] += q
			left -= q
		}
	}
}

// effectsTension is effects under tension dynamics (no mediateChain, so
// warShift stays 0), with the state in locals: the same numbers in the same
// order. A regional mandate's split reads the tensions directly.
func (s *runState) effectsTension() {
	p := s.p
	nc := len(p.countries)
	med, keep, rolKeep := s.mediation[:nc], s.keep[:nc], s.rolKeep[:nc]
	x, stage := s.x[:nc], s.stage[:nc]
	for c := range med {
		med[c], keep[c], rolKeep[c] = 0, 1, 1
	}
	for _, i := range s.active {
		iv := &p.ivs[i]
		sg := &iv.spans[s.span[i]] // the staff in force
		mode := iv.mode
		if !iv.regional {
			c := iv.countries[0]
			applyTensionEffect(mode, sg.effCap[stage[c]], &med[c], &keep[c], &rolKeep[c])
			continue
		}
		cs := iv.countries
		total := 0.0
		for _, c := range cs {
			total += x[c]
		}
		even := 1 / float64(len(cs))
		staff, scale, expertise := sg.staff, iv.scale, iv.expertise
		shares := s.shares[i][:len(cs)]
		whole := sg.units
		left := whole
		for k, c := range cs {
			share := even
			if total != 0 {
				share = x[c] / total
			}
			// Capacity(staff*share, scale, expertise), with
			// math.Expm1's two paths for this range written out
			// (capacity.go), so that no call interrupts the loop.
			var capacity float64
			y := staff * share
			// Capacity's argument to math.Expm1 ((-y)/scale, the
			// negated y/scale: division rounds alike for either sign).
			if a := -y / scale; y > 0 && -a >= expm1Tiny && -a < expm1Ln2HalfX3 {
				corr := 0.0
				reduced := -a > expm1Ln2Half
				if reduced { // k = -1: a = hi - lo
					hi := a + expm1Ln2Hi
					a = hi + expm1Ln2Lo // hi - lo, lo = -Ln2Lo
					corr = (hi - a) + expm1Ln2Lo
				}
				hfx := 0.5 * a
				hxs := a * hfx
				r1 := 1 + hxs*(expm1Q1+hxs*(expm1Q2+hxs*(expm1Q3+hxs*(expm1Q4+hxs*expm1Q5))))
				t := 3 - r1*hfx
				e := hxs * ((r1 - t) / (6.0 - a*t))
				if !reduced {
					capacity = expertise * -(a - (a*e - hxs))
				} else {
					e = (a*(e-corr) - corr)
					e -= hxs
					capacity = expertise * -(0.5*(a-e) - 0.5)
				}
			} else {
				capacity = Capacity(y, scale, expertise)
			}
			applyTensionEffect(mode, iv.effect[stage[c]]*capacity, &med[c], &keep[c], &rolKeep[c])
			q := left
			if k < len(cs)-1 {
				q = min(int64(share*float64(whole)+0.5), left)
			}
			shares[k] += q
			left -= q
		}
	}
}

// applyTensionEffect is addEffect for effectsTension, on its locals: under
// tension dynamics a mission pulls tension down (mediation), scales shocks
// (monitoring) or holds rule-of-law capacity up. Small enough to inline.
func applyTensionEffect(mode effectMode, e float64, med, keep, rolKeep *float64) {
	switch mode {
	case pullTension:
		*med += e
	case scaleUp:
		*keep *= 1 - e
	default: // buildCapacity
		*rolKeep *= 1 - e
	}
}

// addEffect adds effect e (effect by stage times capacity) of intervention
// iv in country c this month.
func (s *runState) addEffect(iv *interventionProgram, c int, e float64) {
	switch iv.mode {
	case pullTension:
		s.mediation[c] += e
	case scaleUp:
		s.keep[c] *= 1 - e
	case mediateChain:
		s.keep[c] *= 1 - e
		if s.stage[c] == War {
			s.warShift[c] = 1 - (1-s.warShift[c])*(1-e)
		}
	case buildCapacity:
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
func (s *runState) allocationWeight(c int) float64 {
	if s.p.dynamics == Tension {
		return s.x[c]
	}
	return float64(s.stage[c] + 1)
}

func (s *runState) allocationTotal(iv *interventionProgram) float64 {
	total := 0.0
	for _, c := range iv.countries {
		total += s.allocationWeight(c)
	}
	return total
}

func (s *runState) allocationShare(iv *interventionProgram, c int, total float64) float64 {
	if total == 0 {
		return 1 / float64(len(iv.countries))
	}
	return s.allocationWeight(c) / total
}

// monthsTension works out months m, m+1, ... in every country, as far as
// run allows: rule-of-law capacity, tension and stage, the month's tallies
// and the run's war trackers, in one pass per country and month. It
// returns the last month it worked out and whether a stage changed in it.
func (s *runState) monthsTension(m int, run segment, d *draws, aw *anyWar) (int, bool) {
	p := s.p
	h1 := p.h + 1
	nc := len(p.countries)
	cps := p.countries[:nc]
	x, stage, rol := s.x[:nc], s.stage[:nc], s.rol[:nc]
	keep, mediation, rolKeep := s.keep[:nc], s.mediation[:nc], s.rolKeep[:nc]
	peak, onsets := s.peak[:nc], s.onsets[:nc]
	everWar, firstWar, warMonths := s.everWar[:nc], s.firstWar[:nc], s.warMonths[:nc]
	occ, hist, tmin, tmax := s.tally.occ, s.tally.hist, s.tally.tmin, s.tally.tmax
	spill := s.xNext[:nc]
	decay := p.decay
	// StageOf by thresholds reached, as in monthsTension1.
	escAt := [NumStages]float64{p.e, p.e - p.hys, p.e - p.hys}
	warAt := [NumStages]float64{p.w, p.w, p.w - p.hys}
	for first := m; ; m++ {
		if s.splitMonthly && m > first {
			s.effectsTension()
		}
		// Spillover is added only from a neighbour at war last month: in
		// a month after one without war in any country (aw.prev false)
		// every sum is 0, and adding it is left out.
		spillOn := p.hasSpill && aw.prev
		if spillOn {
			// Spillover reads last month's stages, before any is updated.
			for c := range cps {
				sum := 0.0
				for _, sp := range cps[c].spill {
					if stage[sp.From] == War {
						sum += sp.Weight
					}
				}
				spill[c] = sum
			}
		}
		changed, top := false, Latent
		for c := range cps {
			cp := &cps[c]
			r := rol[c]
			if rolKeep[c] != 1 { // a rule-of-law mission with an effect acted
				r = 1 - (1-r)*rolKeep[c]
			} else if r != 0 {
				r *= 1 - decay
			}
			rol[c] = r
			xc := x[c]
			prev := stage[c]
			// The terms in the engine's order, those exactly zero left
			// out (see monthsTension1).
			next := xc + cp.reversion*(cp.pressure*(1-r)-xc) + cp.momentum[prev]
			up, relief := 0.0, 0.0
			if len(cp.shocks) > 0 {
				up = d.push[c*h1+m]
			}
			if cp.events != nil {
				up += cp.events[m].up
				relief = cp.events[m].down
			}
			if up != 0 {
				next += up * keep[c]
			}
			if relief != 0 {
				next += relief
			}
			if spillOn && spill[c] != 0 {
				next += spill[c]
			}
			if mediation[c] != 0 {
				next -= mediation[c]
			}
			if cp.volatility != 0 {
				next += cp.volatility * d.noise[c*h1+m]
			}
			// Plain comparisons: the builtin float min and max also order
			// NaNs and signed zeros, which costs branches here.
			if next < 0 {
				next = 0
			} else if next > 1 {
				next = 1
			}
			st := Latent
			if next >= escAt[prev] {
				st = Escalating
			}
			if next >= warAt[prev] {
				st++
			}
			if st != prev {
				changed = true
				if st == War {
					onsets[c]++
				}
				stage[c] = st
			}
			x[c] = next
			if next > peak[c] {
				peak[c] = next
			}
			i := c*h1 + m
			occ[i*NumStages+int(st)]++
			bin := int(next * TensionBins) // tensionBin: next is in [0, 1]
			if bin == TensionBins {
				bin--
			}
			hist[i*TensionBins+bin]++
			// Plain comparisons suffice: next is never NaN nor -0.
			if next < tmin[i] {
				tmin[i] = next
			}
			if next > tmax[i] {
				tmax[i] = next
			}
			top = max(top, st)
			if st == War {
				warMonths[c]++
				if !everWar[c] {
					everWar[c] = true
					firstWar[c] = m
				}
			}
		}
		aw.add(m, top)
		if run.stop(m, changed) {
			return m, changed
		}
	}
}

// monthsTension1 is monthsTension for a scenario of one country without
// spillover, its state in locals across months. It adds the same numbers
// in the same order, leaving out only terms that are exactly zero: the
// partial sums are never -0 (tension is never -0, and x + y is -0 only if
// both are), so adding or subtracting a zero cannot change them.
//
// With a plan's stretches of months (segs, the first holding month m),
// the effects follow them; without (nil), they are s.byStage.
func (s *runState) monthsTension1(m int, run segment, d *draws, aw *anyWar, segs []planSegment) (int, bool) {
	p := s.p
	cp := &p.countries[0]
	// StageOf without branches, which tension near a threshold makes
	// unpredictable: the stage is the number of thresholds reached, the
	// escalation and the war threshold lowered by the hysteresis when the
	// previous stage was at least that high (e < w, so reaching the war
	// threshold means reaching the other).
	escAt := [NumStages]float64{p.e, p.e - p.hys, p.e - p.hys}
	warAt := [NumStages]float64{p.w, p.w, p.w - p.hys}
	rev, pres, vol := cp.reversion, cp.pressure, cp.volatility
	mom := cp.momentum
	decay := p.decay
	byStage, segEnd := &s.byStage, math.MaxInt
	if len(segs) > 0 {
		byStage, segEnd = &segs[0].rows, segs[0].last
	}
	x, st, r, peak := s.x[0], s.stage[0], s.rol[0], s.peak[0]
	onsets, warMonths, everWar, firstWar := s.onsets[0], s.warMonths[0], s.everWar[0], s.firstWar[0]
	// Rows 0..H of the draws and tallies: country 0 is the first row.
	h1 := p.h + 1
	noise, push := d.noise[:h1], d.push[:h1]
	shocks := len(cp.shocks) > 0
	events := cp.events
	t := &s.tally
	occ, hist := t.occ[:h1*NumStages], t.hist[:h1*TensionBins]
	tmin, tmax := t.tmin[:h1], t.tmax[:h1]
	// The segment ends after month end at the latest (run.stop), or
	// after a stage change that needs the bookkeeping or a new row.
	end := min(run.last, max(m, run.watchMonth))
	// A change to stage st ends the segment if bit st of stopAt is set.
	stopAt := ^run.rows
	if run.stopOnChange {
		stopAt = 1<<NumStages - 1
	}
	changed := false
	for ; ; m++ {
		if m > segEnd { // the plan's next stretch
			segs = segs[1:]
			byStage, segEnd = &segs[0].rows, segs[0].last
		}
		// The missions' effects follow last month's stage.
		eff := &byStage[st]
		keep, med, rolKeep := eff.keep, eff.mediation, eff.rolKeep
		if rolKeep != 1 { // a rule-of-law mission with an effect acted
			r = 1 - (1-r)*rolKeep
		} else if r != 0 {
			r *= 1 - decay
		}
		prev := st
		next := x + rev*(pres*(1-r)-x) + mom[prev]
		up := 0.0
		if shocks {
			up = push[m]
		}
		if events != nil {
			ev := events[m]
			if up += ev.up; up != 0 {
				next += up * keep
			}
			if ev.down != 0 {
				next += ev.down
			}
		} else if up != 0 {
			next += up * keep
		}
		if med != 0 {
			next -= med
		}
		if vol != 0 {
			next += vol * noise[m]
		}
		if next < 0 {
			next = 0
		} else if next > 1 {
			next = 1
		}
		x = next
		st = 0
		if next >= escAt[prev] {
			st = 1
		}
		if next >= warAt[prev] {
			st++
		}
		changed = st != prev
		if changed && st == War {
			onsets++
		}
		if next > peak {
			peak = next
		}
		occ[m*NumStages+int(st)]++
		bin := int(next * TensionBins) // tensionBin: next is in [0, 1]
		if bin == TensionBins {
			bin--
		}
		hist[m*TensionBins+bin]++
		if next < tmin[m] {
			tmin[m] = next
		}
		if next > tmax[m] {
			tmax[m] = next
		}
		if st == War {
			warMonths++
			if !everWar {
				everWar = true
				firstWar = m
			}
		}
		if m >= end || changed && stopAt&(1<<st) != 0 {
			break
		}
	}
	s.x[0], s.stage[0], s.rol[0], s.peak[0] = x, st, r, peak
	s.onsets[0], s.warMonths[0], s.everWar[0], s.firstWar[0] = onsets, warMonths, everWar, firstWar
	// With one country, war in any country is war in it: the same
	// first month, months and onsets (a war in month 0 counts as one).
	aw.ever, aw.first, aw.months, aw.onsets, aw.prev = everWar, firstWar, warMonths, onsets, st == War
	return m, changed
}

// monthsMarkov works out months m, m+1, ... in every country under Markov
// dynamics, as far as run allows: rule-of-law capacity every month, the
// stage in step months, the month's tallies and the run's war trackers.
// Between steps no stage changes, so those months are worked out a country
// at a time. It returns the last month it worked out and whether a stage
// changed in it.
func (s *runState) monthsMarkov(m int, run segment, d *draws, aw *anyWar) (int, bool) {
	p := s.p
	h1 := p.h + 1
	nc := len(p.countries)
	stage, rol, rolKeep := s.stage[:nc], s.rol[:nc], s.rolKeep[:nc]
	onsets, warMonths, everWar, firstWar := s.onsets[:nc], s.warMonths[:nc], s.everWar[:nc], s.firstWar[:nc]
	occ := s.tally.occ
	decay := p.decay
	for {
		if m%p.perStep == 0 {
			changed, top := false, Latent
			for c := range stage {
				r := rol[c]
				if rolKeep[c] != 1 { // a rule-of-law mission with an effect acted
					r = 1 - (1-r)*rolKeep[c]
				} else if r != 0 {
					r *= 1 - decay
				}
				rol[c] = r
				prev := stage[c]
				st := s.nextStage(c, prev, d.u[c*h1+m])
				if st != prev {
					changed = true
					if st == War {
						onsets[c]++
					}
					stage[c] = st
				}
				occ[(c*h1+m)*NumStages+int(st)]++
				top = max(top, st)
				if st == War {
					warMonths[c]++
					if !everWar[c] {
						everWar[c] = true
						firstWar[c] = m
					}
				}
			}
			aw.add(m, top)
			if run.stop(m, changed) {
				return m, changed
			}
			m++
			continue
		}
		// Months m..end: no step, so every stage holds. They end before
		// the next step month, or where run stops.
		end := min(run.last, (m/p.perStep+1)*p.perStep-1)
		if run.watchMonth <= end {
			end = max(m, run.watchMonth)
		}
		top := Latent
		for c := range stage {
			if r, keep := rol[c], rolKeep[c]; keep != 1 || r != 0 {
				for range end - m + 1 {
					if keep != 1 { // a rule-of-law mission with an effect acted
						r = 1 - (1-r)*keep
					} else if r != 0 {
						r *= 1 - decay
					}
				}
				rol[c] = r
			}
			st := stage[c]
			for k := (c*h1+m)*NumStages + int(st); k <= (c*h1+end)*NumStages+int(st); k += NumStages {
				occ[k]++
			}
			top = max(top, st)
			if st == War {
				warMonths[c] += end - m + 1
				if !everWar[c] {
					everWar[c] = true
					firstWar[c] = m
				}
			}
		}
		aw.addMonths(m, end, top)
		if run.stop(end, false) {
			return end, false
		}
		m = end + 1
	}
}

// nextStage draws country c's next stage from stage prev with uniform u.
// Interventions and rule-of-law capacity scale the upward transitions by
// keep*(1-R), the removed mass staying put; mediation in war moves a share
// of war→war to war→escalating.
func (s *runState) nextStage(c int, prev Stage, u float64) Stage {
	row := s.p.trans[prev]
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
	switch {
	case u < row[Latent]:
		return Latent
	case u < row[Latent]+row[Escalating]:
		return Escalating
	}
	return War
}
