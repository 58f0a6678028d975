package sim

// Defaults used when a scenario leaves a key out. The README's model chapter
// lists them with their sources; most are assumptions, since no published
// figure exists for, say, how fast a mission's mediation lowers tension.
const (
	DefaultEscalationThreshold = 0.40
	DefaultWarThreshold        = 0.75
	DefaultHysteresis          = 0.05
	DefaultDetectionLag        = 2 // months
	// Rule-of-law capacity loses 2% a month once its mission ends (a half-life
	// of about 34 months): an assumption following Beardsley (2008), who finds
	// that gains from mediation decay over a few years.
	DefaultRuleOfLawDecay = 0.02
	DefaultMonthsPerStep  = 1
	DefaultReversion      = 0.10
	DefaultVolatility     = 0.03
	DefaultStaffScale     = 10 // staff at which a mission reaches 63% of its full effect
	DefaultExpertise      = 1
	DefaultConsent        = 1
	// 18 UN special political missions had about 3,900 staff and $644.9M in
	// 2011 (NYU CIC, Review of Political Missions 2011): $644.9M / (3,900 × 12)
	// ≈ $13,800 per staff-month.
	DefaultCostPerStaffMonth = 13800
)

// DefaultEffect returns the default effect by stage (latent, escalating,
// war) of an intervention kind under the given dynamics.
//
// Under tension dynamics the numbers are in the kind's own unit at full
// capacity: mediation lowers tension by that much per month; rule of law
// closes that share of the remaining gap to full capacity per month;
// monitoring removes that share of shocks and events. Under Markov dynamics
// mediation's and monitoring's are the share of the upward transition
// probabilities removed at each step (and, for mediation in war, the share
// of the war→war probability moved to war→escalating); rule of law's are
// still monthly rates of building the capacity R, which removes the share
// R of the upward moves at each step.
//
// The pattern follows Gowan (2011): rule of law works best in latent times,
// mediation when a conflict is escalating but still "keeps political
// channels open" in war, monitoring deters in every stage.
func DefaultEffect(k Kind, d Dynamics) [NumStages]float64 {
	if d == Markov {
		switch k {
		case Mediation:
			return [NumStages]float64{0.10, 0.40, 0.25}
		case RuleOfLaw:
			return [NumStages]float64{0.04, 0.02, 0.005}
		case Monitoring:
			return [NumStages]float64{0.15, 0.25, 0.10}
		}
	}
	switch k {
	case Mediation:
		return [NumStages]float64{0.005, 0.03, 0.015}
	case RuleOfLaw:
		return [NumStages]float64{0.04, 0.02, 0.005}
	case Monitoring:
		return [NumStages]float64{0.30, 0.40, 0.20}
	}
	return [NumStages]float64{}
}
