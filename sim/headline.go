package sim

import (
	"fmt"
	"strings"
)

// Headline names the outcome that a comparison or a sweep reports for
// each strategy or point: one country's war, or war in any country of a
// scenario with several. Multi-country scenarios default to "any country",
// which can be uninformative (every strategy at 100% when one country
// starts at war), so users may pick a country instead.
type Headline struct {
	// Country is the id of the country whose outcome it is; empty for
	// war in any country.
	Country string `json:"country,omitempty"`
	// Name is the country's display name, or "any country".
	Name string `json:"name"`
}

// AnyCountry is the name of the "any country at war" headline.
const AnyCountry = "any country"

// Label says what P(war) counts: "war in Guinea", "war in any country".
func (h Headline) Label() string { return "war in " + h.Name }

// NewHeadline returns the headline outcome of sc for a country id, or for
// "" (and "any", unless a country has that id) any country at war. A
// single-country scenario's default headline is its country; a scenario
// that names a Headline country has that default instead.
func NewHeadline(sc *Scenario, country string) (Headline, error) {
	if country == "" {
		country = sc.Headline // the scenario's own default, if it names one
	}
	def := country == "" || country == "any"
	if def && len(sc.Countries) == 1 {
		return Headline{Country: sc.Countries[0].ID, Name: sc.Countries[0].Name}, nil
	}
	for _, c := range sc.Countries {
		if c.ID == country {
			return Headline{Country: c.ID, Name: c.Name}, nil
		}
	}
	if def {
		return Headline{Name: AnyCountry}, nil
	}
	ids := make([]string, len(sc.Countries))
	for i, c := range sc.Countries {
		ids[i] = c.ID
	}
	return Headline{}, fmt.Errorf("no country %q in %s: want one of %s, or any", country, sc.Name, strings.Join(ids, ", "))
}

// unit is the headline's index among a result's outcomes: the country's
// index, or len(Countries) for any country at war (as in [Comparison.Paired]).
func (h Headline) unit(sc *Scenario) int {
	for i, c := range sc.Countries {
		if c.ID == h.Country {
			return i
		}
	}
	return len(sc.Countries)
}

// pick returns the headline outcome of s and the mean cost that goes with
// it: the cost of the staff deployed in the country, or of all missions.
func (h Headline) pick(s *Summary) (*OutcomeSummary, float64) {
	for i := range s.Countries {
		if c := &s.Countries[i]; c.ID == h.Country {
			return &c.OutcomeSummary, c.Cost.Mean
		}
	}
	return s.AnyWar, s.Cost.Mean
}
