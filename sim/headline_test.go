package sim

import (
	"context"
	"reflect"
	"strings"
	"testing"
)

func TestNewHeadline(t *testing.T) {
	one := &Scenario{Name: "one", Countries: []Country{{ID: "arcadia", Name: "Arcadia"}}}
	two := &Scenario{Name: "two", Countries: []Country{{ID: "arcadia", Name: "Arcadia"}, {ID: "any", Name: "Anyland"}}}
	for i, test := range []struct {
		sc      *Scenario
		country string
		want    Headline
		err     string
	}{
		{one, "", Headline{Country: "arcadia", Name: "Arcadia"}, ""},
		{one, "any", Headline{Country: "arcadia", Name: "Arcadia"}, ""},
		{one, "arcadia", Headline{Country: "arcadia", Name: "Arcadia"}, ""},
		{one, "ghost", Headline{}, `no country "ghost" in one: want one of arcadia, or any`},
		{two, "", Headline{Name: AnyCountry}, ""},
		{two, "arcadia", Headline{Country: "arcadia", Name: "Arcadia"}, ""},
		// A country's id wins over the word "any".
		{two, "any", Headline{Country: "any", Name: "Anyland"}, ""},
		{two, "Arcadia", Headline{}, `no country "Arcadia"`},
	} {
		got, err := NewHeadline(test.sc, test.country)
		if test.err != "" {
			if err == nil || !strings.Contains(err.Error(), test.err) {
				t.Errorf("%d: error %v, want %q", i, err, test.err)
			}
			continue
		}
		if err != nil || got != test.want {
			t.Errorf("%d: NewHeadline(%s, %q) = %+v, %v; want %+v", i, test.sc.Name, test.country, got, err, test.want)
		}
	}
}

// A comparison headed by one country reports exactly that country's
// per-country figures, and by default the "any country" figures.
func TestComparisonHeadline(t *testing.T) {
	base := regional()
	strong := regional()
	strong.Interventions[0].Staff *= 3
	variants := []*Scenario{base, strong}
	labels := []Variant{{ID: "base"}, {ID: "strong"}}
	cmp, err := Compare(context.Background(), variants, Options{Runs: 2000, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	headline := func(country string) Headline {
		t.Helper()
		h, err := NewHeadline(base, country)
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	for c, country := range []string{"a", "b", "c"} {
		cs := SummarizeComparison(variants, labels, cmp, 3, headline(country))
		for v, st := range cs.Strategies {
			bc := st.ByCountry[c]
			if st.PWar != bc.PWar || st.PWarCI95 != bc.PWarCI95 || st.WarMonthsMean != bc.WarMonthsMean ||
				st.CostMean != bc.CostMean || !reflect.DeepEqual(st.VsBaseline, bc.VsBaseline) {
				t.Errorf("headline %s, strategy %d: P(war) %g, vs baseline %+v; want the country's %g, %+v", country, v, st.PWar, st.VsBaseline, bc.PWar, bc.VsBaseline)
			}
		}
	}
	cs := SummarizeComparison(variants, labels, cmp, 3, headline(""))
	for v, st := range cs.Strategies {
		any := Summarize(variants[v], cmp.Results[v], 3).AnyWar
		if cs.Headline.Country != "" || st.PWar != any.PWar || st.WarMonthsMean != any.WarMonths.Mean {
			t.Errorf("default headline %+v, strategy %d: P(war) %g months %g; any country %g %g",
				cs.Headline, v, st.PWar, st.WarMonthsMean, any.PWar, any.WarMonths.Mean)
		}
	}
}

// A scenario's own headline country is the default, and an explicit
// country or "any" still chooses.
func TestScenarioHeadline(t *testing.T) {
	sc := &Scenario{Countries: []Country{{ID: "a", Name: "A"}, {ID: "b", Name: "B"}}, Headline: "b"}
	for i, test := range []struct {
		country, want string
	}{
		{"", "B"},
		{"a", "A"},
		{"any", AnyCountry},
	} {
		h, err := NewHeadline(sc, test.country)
		if err != nil || h.Name != test.want {
			t.Errorf("%d: NewHeadline(%q) = %+v, %v; want %s", i, test.country, h, err, test.want)
		}
	}
}
