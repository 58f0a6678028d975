package sim

// SweepSummary holds the headline outcome at every point of a parameter
// sweep: one or two varied key paths, every point run on the same seed.
type SweepSummary struct {
	Scenario      string           `json:"scenario"`
	Title         string           `json:"title"`
	Runs          int64            `json:"runs"`
	Seed          uint64           `json:"seed"`
	HorizonMonths int              `json:"horizon_months"`
	Headline      Headline         `json:"headline"` // what P(war) counts
	Dimensions    []SweepDimension `json:"dimensions"`
	// Points are in row-major order: the last dimension varies fastest.
	Points []SweepPoint `json:"points"`
}

// SweepDimension is one varied key path and its values, as given.
type SweepDimension struct {
	Path string `json:"path"`
	// Label describes the path for an axis: "UNOWA good offices: start-up
	// delay (months)"; empty if unknown.
	Label  string   `json:"label,omitempty"`
	Values []string `json:"values"`
}

// SweepPoint is the headline outcome at one point.
type SweepPoint struct {
	// Index[d] is the point's value index in dimension d.
	Index           []int      `json:"index"`
	Values          []string   `json:"values"`
	PWar            float64    `json:"p_war"`
	PWarCI95        [2]float64 `json:"p_war_ci95"`
	WarMonthsMean   float64    `json:"war_months_mean"`
	MedianTimeToWar *int       `json:"median_time_to_war"`
	// CostMean is the mean cost per run of all missions, or with a
	// country headline, of the missions' staff deployed in that country.
	CostMean float64 `json:"cost_mean"`
}

// NewSweepPoint takes a point's headline outcome h (from [NewHeadline])
// from its summary.
func NewSweepPoint(index []int, values []string, s *Summary, h Headline) SweepPoint {
	o, cost := h.pick(s)
	return SweepPoint{
		Index: index, Values: values,
		PWar: o.PWar, PWarCI95: o.PWarCI95, WarMonthsMean: o.WarMonths.Mean,
		MedianTimeToWar: o.TimeToWar.MedianMonths, CostMean: cost,
	}
}
