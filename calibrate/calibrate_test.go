package calibrate

import (
	"bytes"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/escalate-sim/escalate/calibrate/acd"
	"github.com/escalate-sim/escalate/scenarios"
)

// TestStationary checks pi P = pi, and the long-run shares the
// global-baseline scenario states for the published matrix.
func TestStationary(t *testing.T) {
	pi, err := Stationary(hegre)
	if err != nil {
		t.Fatal(err)
	}
	for j := range K {
		s := 0.0
		for i := range K {
			s += pi[i] * hegre[i][j]
		}
		if math.Abs(s-pi[j]) > 1e-12 {
			t.Errorf("(pi P)[%d] = %g, pi[%d] = %g", j, s, j, pi[j])
		}
	}
	want := [K]float64{0.839, 0.111, 0.050}
	for i := range K {
		if math.Abs(pi[i]-want[i]) > 0.0005 {
			t.Errorf("pi = %v, want %v", pi, want)
		}
	}
	// A reducible chain (two absorbing stages) has no unique answer.
	if _, err := Stationary(Matrix{{1, 0, 0}, {0.5, 0, 0.5}, {0, 0, 1}}); err == nil {
		t.Error("reducible chain: no error")
	}
}

func TestPermillion(t *testing.T) {
	for _, row := range [][K]float64{
		{0.9701, 0.0264, 0.0035},
		{1.0 / 3, 1.0 / 3, 1.0 / 3},
		{0.9673509286412513, 0.02873900293255132, 0.0039100684261974585},
		{1, 0, 0},
	} {
		r := permillion(row)
		if r[0]+r[1]+r[2] != 1e6 {
			t.Errorf("%v -> %v does not sum to 1e6", row, r)
		}
		for j := range K {
			if math.Abs(float64(r[j])-row[j]*1e6) >= 1 {
				t.Errorf("%v -> %v: cell %d off by a millionth or more", row, r, j)
			}
		}
	}
}

func TestKaplanMeier(t *testing.T) {
	// Without censoring it is the empirical survival: lengths 1, 2, 2, 4.
	s := KaplanMeier([]int{1, 2, 2, 4}, []bool{true, true, true, true}, 5)
	want := []float64{1, 0.75, 0.25, 0.25, 0, 0}
	for d := range want {
		if math.Abs(s[d]-want[d]) > 1e-12 {
			t.Errorf("S = %v, want %v", s, want)
			break
		}
	}
	// Censored at 2: at d = 3 the risk set is {3, 4}: S(3) = 1/2 * ... .
	// Lengths 1 (ended), 2 (censored), 3 (ended), 4 (ended): S(1) = 3/4,
	// S(2) = 3/4 (the censored spell is no event), S(3) = 3/4 * 1/2,
	// S(4) = 0.
	s = KaplanMeier([]int{1, 2, 3, 4}, []bool{true, false, true, true}, 4)
	want = []float64{1, 0.75, 0.75, 0.375, 0}
	for d := range want {
		if math.Abs(s[d]-want[d]) > 1e-12 {
			t.Errorf("censored: S = %v, want %v", s, want)
			break
		}
	}
}

func panelOf(first int, rows ...string) *acd.Panel {
	p := &acd.Panel{First: first}
	for i, r := range rows {
		u := acd.Unit{ID: string(rune('a' + i)), First: first}
		for _, c := range r {
			s := acd.Absent
			if c != '.' {
				s = acd.Stage(c - '0')
			}
			u.Stages = append(u.Stages, s)
		}
		p.Units = append(p.Units, u)
		p.Last = max(p.Last, first+len(r)-1)
	}
	return p
}

func TestCountsAndRecurrence(t *testing.T) {
	p := panelOf(2000,
		"00122000000000000000", // war ends 2005 (first year of peace); none in 2006-2014
		"02200010000000000000", // war ends 2003, minor in 2006: recurred
		"02200.00000000000000", // ends 2003, out of the data in 2005: unknown, not counted
		"00000000000000000220", // war ends 2019: its ten years run past the data
	)
	c := CountTransitions(p, 2001, 2019)
	if c[2][2] != 4 || c[2][0] != 4 || c[0][2] != 3 || c[1][2] != 1 || c[0][1] != 2 || c[1][0] != 1 {
		t.Errorf("counts %v", c)
	}
	if c.Total() != 19+19+17+19 {
		t.Errorf("total %d, want 74", c.Total())
	}
	c = CountTransitions(p, 2005, 2005)
	if c.Total() != 3 || c[2][0] != 1 {
		t.Errorf("2005 only: %v", c)
	}
	e, r := recurrence(p, 2000, 2019)
	if e != 2 || r != 1 {
		t.Errorf("recurrence %d of %d, want 1 of 2", r, e)
	}
	l, ended := spellLengths(p, acd.War, 2001, 2019)
	if len(l) != 4 || l[0] != 2 || !ended[0] || l[3] != 2 || !ended[3] {
		t.Errorf("war spells %v %v", l, ended)
	}
}

// TestValidateOnChain validates on a panel drawn from the chain itself:
// the chain's scores beat the base rates, and the observed recurrence lies
// in the simulated 95% band.
func TestValidateOnChain(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	p := SimulatePanel(hegre, stationaryStarts(t, hegre, 170, rng), 1960, 62, rng)
	h, err := Validate(p, 1961, 2010, 2022, 200, 100, 5)
	if err != nil {
		t.Fatal(err)
	}
	if !(h.Brier.Mean < h.BrierBase.Mean && h.Log.Mean > h.LogBase.Mean) {
		t.Errorf("chain %+v %+v does not beat base rates %+v %+v", h.Brier, h.Log, h.BrierBase, h.LogBase)
	}
	if !(h.Brier.Low <= h.Brier.Mean && h.Brier.Mean <= h.Brier.High) {
		t.Errorf("Brier %+v outside its interval", h.Brier)
	}
	// Paired: the chain's Brier score is clearly below the base rates'.
	if !(h.BrierVsBase.High < 0 && math.Abs(h.BrierVsBase.Mean-(h.Brier.Mean-h.BrierBase.Mean)) < 1e-12) {
		t.Errorf("Brier chain - base rates %+v", h.BrierVsBase)
	}
	r := h.Recurrence
	if r.Episodes < 20 || r.Observed < r.Lo || r.Observed > r.Hi {
		t.Errorf("recurrence observed %.3f of %d outside the simulated band [%.3f, %.3f]", r.Observed, r.Episodes, r.Lo, r.Hi)
	}
	for d := 1; d <= 5; d++ {
		if math.Abs(h.War.Observed[d]-h.War.Simulated[d]) > 0.12 {
			t.Errorf("war survival at %d years: observed %.3f, simulated %.3f", d, h.War.Observed[d], h.War.Simulated[d])
		}
	}
	if len(h.Shares) != 13 || h.Shares[0].Year != 2010 {
		t.Errorf("shares for %d years from %d", len(h.Shares), h.Shares[0].Year)
	}
}

// TestScenario checks that the generated scenario loads, that its rows are
// the fit's rounded to millionths, and that ReplaceBlock swaps the block.
func TestScenario(t *testing.T) {
	m, err := FitMarkov(shippedPanel(t), 1971, 2009, 100, 1)
	if err != nil {
		t.Fatal(err)
	}
	src := Source{File: acd.DefaultACDName, SHA256: "abc", Format: acd.FormatACD, States: "gw", Coding: acd.DefaultCoding(), Command: "escalate calibrate --from 1971 --to 2009"}
	text := MarkovScenario(m, src)
	f, err := scenarios.Parse("fitted.toml", []byte(text))
	if err != nil {
		t.Fatalf("%v\n%s", err, text)
	}
	sc, err := f.Scenario()
	if err != nil {
		t.Fatal(err)
	}
	for i := range K {
		for j := range K {
			if math.Abs(sc.Model.Transitions[i][j]-m.P[i][j]) > 1e-6 {
				t.Errorf("transition %d->%d: %g, fit %g", i, j, sc.Model.Transitions[i][j], m.P[i][j])
			}
		}
	}
	if sc.Model.MonthsPerStep != 12 {
		t.Errorf("months per step %d", sc.Model.MonthsPerStep)
	}
	for _, w := range []string{"1971-2009", "6157 country-years", "(n = 5115)", "conflict types 3,4"} {
		if !strings.Contains(text, w) {
			t.Errorf("scenario lacks %q", w)
		}
	}
	in := []byte("a = 1\n" + BlockBegin + " old\nx\n" + BlockEnd + "\nb = 2\n")
	out, err := ReplaceBlock(in, "NEW\n")
	if err != nil || string(out) != "a = 1\nNEW\nb = 2\n" {
		t.Errorf("ReplaceBlock: %q, %v", out, err)
	}
	if _, err := ReplaceBlock([]byte("a = 1\n"), "x"); err == nil {
		t.Error("no block: no error")
	}
}

// TestReportJSON checks the JSON shape the issue asks for.
func TestReportJSON(t *testing.T) {
	m, err := FitMarkov(shippedPanel(t), 1971, 2009, 50, 1)
	if err != nil {
		t.Fatal(err)
	}
	r := &Report{Source: Source{File: "x.csv", Format: acd.FormatACD, Coding: acd.DefaultCoding()}, Markov: m}
	var b bytes.Buffer
	if err := r.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{`"data": {`, `"sha256"`, `"coding": {`, `"from": 1971`, `"to": 2009`, `"stages": [`, `"country_years": 6157`,
		`"counts": [`, `"probabilities"`, `"ci95_low"`, `"ci95_high"`, `"stationary": [`, `"holdout": null`} {
		if !strings.Contains(b.String(), k) {
			t.Errorf("JSON lacks %s", k)
		}
	}
}

// TestHoldoutWithoutEpisodes: wars that end too late to be followed for ten
// years leave the recurrence undefined, written as null, not a failure.
func TestHoldoutWithoutEpisodes(t *testing.T) {
	p := panelOf(2000,
		"0001221000010",
		"0012100000120",
		"0100000000001",
	)
	h, err := Validate(p, 2001, 2009, 2012, 50, 10, 1)
	if err != nil {
		t.Fatal(err)
	}
	if h.Recurrence.Episodes != 0 || !math.IsNaN(float64(h.Recurrence.Observed)) {
		t.Errorf("recurrence %+v", h.Recurrence)
	}
	m, err := FitMarkov(p, 2001, 2012, 50, 1)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := (&Report{Source: Source{Format: acd.FormatPanel}, Markov: m, Holdout: h}).WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `"observed": null`) {
		t.Errorf("no null recurrence in %s", b.String())
	}
	if _, err := Validate(p, 2001, 2013, 2013, 50, 10, 1); err == nil {
		t.Error("holdout past the data: no error")
	}
}
