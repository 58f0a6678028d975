package scenarios

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/escalate-sim/escalate/sim"
)

func minimal(t testing.TB) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/minimal.toml")
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestMinimal(t *testing.T) {
	f, err := Parse("testdata/minimal.toml", minimal(t))
	if err != nil {
		t.Fatal(err)
	}
	sc, err := f.Scenario()
	if err != nil {
		t.Fatal(err)
	}
	if sc.Name != "minimal" || sc.Horizon != 24 || sc.Runs != 500 || sc.Seed != 7 {
		t.Errorf("top level: %+v", sc)
	}
	if len(sc.Countries) != 2 || sc.Countries[0].ID != "alpha" || sc.Countries[1].ID != "beta" {
		t.Fatalf("countries not in file order: %+v", sc.Countries)
	}
	a := sc.Countries[0]
	if a.Name != "alpha" || a.Reversion != sim.DefaultReversion || a.Volatility != sim.DefaultVolatility {
		t.Errorf("defaults not applied: %+v", a)
	}
	if len(a.Spillover) != 1 || a.Spillover[0].From != 1 || a.Spillover[0].Weight != 0.02 {
		t.Errorf("spillover: %+v", a.Spillover)
	}
	if len(a.Shocks) != 1 || a.Shocks[0].RatePerYear != 2 || len(a.Events) != 1 || a.Events[0].Month != 12 {
		t.Errorf("shocks/events: %+v %+v", a.Shocks, a.Events)
	}
	env, reg := sc.Interventions[0], sc.Interventions[1]
	if env.Kind != sim.Mediation || env.Effect != sim.DefaultEffect(sim.Mediation, sim.Tension) ||
		env.CostPerStaffMonth != sim.DefaultCostPerStaffMonth || env.Consent != 1 || env.Triggered {
		t.Errorf("envoy: %+v", env)
	}
	if !reg.Triggered || reg.Trigger != sim.Escalating || len(reg.Countries) != 2 {
		t.Errorf("region: %+v", reg)
	}
	if len(f.Strategies) != 2 || f.Strategies[0].ID != "none" || f.Strategies[1].ID != "big" {
		t.Fatalf("strategies: %+v", f.Strategies)
	}
	none, err := f.Strategy("none")
	if err != nil || len(none.Interventions) != 0 {
		t.Errorf("strategy none: %v, %d interventions", err, len(none.Interventions))
	}
	big, err := f.Strategy("big")
	if err != nil || big.Interventions[0].Staff != 20 {
		t.Errorf("strategy big: %v", err)
	}
	over, err := f.Scenario(mustOverride(t, "intervention.region.effect.war=0.5"), mustOverride(t, "model.war_threshold=0.8"))
	if err != nil {
		t.Fatal(err)
	}
	if over.Interventions[1].Effect[sim.War] != 0.5 || over.Interventions[1].Effect[sim.Latent] != sim.DefaultEffect(sim.Monitoring, sim.Tension)[sim.Latent] || over.Model.WarThreshold != 0.8 {
		t.Errorf("overrides not applied: %+v %+v", over.Interventions[1].Effect, over.Model)
	}
	if sc.Interventions[0].Staff != 5 {
		t.Error("an override changed the file's own scenario")
	}
}

func mustOverride(t testing.TB, s string) Override {
	t.Helper()
	o, err := ParseOverride(s)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// edit returns the minimal scenario with old replaced by new (old must
// occur), or with new appended when old is empty.
func edit(t testing.TB, old, new string) []byte {
	t.Helper()
	src := string(minimal(t))
	if old == "" {
		return []byte(src + "\n" + new + "\n")
	}
	if !strings.Contains(src, old) {
		t.Fatalf("test case: %q not in minimal.toml", old)
	}
	return []byte(strings.Replace(src, old, new, 1))
}

// Every malformed scenario gives an error that names the key (or, for
// syntax errors, the line), and never a panic.
func TestBadScenarios(t *testing.T) {
	for i, test := range []struct {
		name     string
		old, new string
		want     string // substring of the error
	}{
		{"empty file", "*", "", "file is empty"},
		{"absurdly deep nesting", "seed = 7", "seed = 7\na = " + strings.Repeat("[", 3000) + "1" + strings.Repeat("]", 3000), "minimal.toml:6: inline tables or arrays nested more than 8 deep"},
		{"keys of many parts", "seed = 7", "seed = 7\n" + strings.Repeat("a.", 20) + "a = 1", "minimal.toml:6: a.a.a.a...: keys nest more than 8 levels deep"},
		{"deep inline tables", "seed = 7", "seed = 7\na = " + strings.Repeat("{b = ", 3000) + "1" + strings.Repeat("}", 3000), "minimal.toml:6: b: keys nest more than 8 levels deep"},
		{"deep table header", "[model]", "[" + strings.Repeat("a.", 20) + "a]", "minimal.toml:7: a.a.a.a...: keys nest more than 8 levels deep"},
		{"only comments", "*", "# nothing\n", "file has no keys"},
		{"syntax error", "horizon_months = 24", "horizon_months = = 24", "minimal.toml:3: TOML syntax"},
		{"unclosed table", "[model]", "[model", "minimal.toml:7: TOML syntax"},
		{"duplicate table", "", "[country.beta]\ninitial_tension = 0.1", "TOML syntax"},
		{"duplicate key", "seed = 7", "seed = 7\nseed = 8", "minimal.toml:6: TOML syntax"},
		{"unknown top key", "seed = 7", "seed = 7\nhorizon = 12", `minimal.toml:6: horizon: unknown key "horizon" (did you mean "horizon_months"?)`},
		{"unknown key with hint", "structural_pressure = 0.5", "structural_presure = 0.5", `minimal.toml:13: country.alpha.structural_presure: unknown key "structural_presure" (did you mean "structural_pressure"?)`},
		{"wrong case key", "staff = 5", "Staff = 5", `minimal.toml:31: intervention.envoy.Staff: unknown key "Staff" (did you mean "staff"?)`},
		{"unknown table", "", "[mission.x]\nkind = \"mediation\"", `mission: unknown key "mission"`},
		{"wrong type string for number", "initial_tension = 0.3", `initial_tension = "high"`, `minimal.toml:12: country.alpha.initial_tension: must be a number, got string "high"`},
		{"wrong type float for int", "horizon_months = 24", "horizon_months = 24.5", "minimal.toml:3: horizon_months: must be a whole number, got 24.5"},
		{"integer written as a float", "horizon_months = 24", "horizon_months = 24.0", "minimal.toml:3: horizon_months: must be an integer: write 24, without a decimal point or exponent"},
		{"integer written with an exponent", "horizon_months = 24", "horizon_months = 2.4e1", "minimal.toml:3: horizon_months: must be an integer: write 24, without a decimal point or exponent"},
		{"wrong type table for number", "size = 0.1", "size = { a = 1 }", "country.alpha.event.vote.size: must be a number, got a table"},
		{"nan value", "initial_tension = 0.3", "initial_tension = nan", "minimal.toml:12: country.alpha.initial_tension: must be a finite number"},
		{"inf value", "mean_size = 0.05", "mean_size = inf", "country.alpha.shock.riots.mean_size: must be a finite number"},
		{"negative staff", "staff = 5", "staff = -5", "minimal.toml:31: intervention.envoy.staff: must be between 0 and 100000, got -5"},
		{"tension above 1", "initial_tension = 0.3", "initial_tension = 1.3", "country.alpha.initial_tension: must be between 0 and 1"},
		{"huge shock rate", "rate_per_year = 2", "rate_per_year = 1e9", "country.alpha.shock.riots.rate_per_year: must be between 0 and 120"},
		{"zero horizon", "horizon_months = 24", "horizon_months = 0", "horizon_months: must be between 1 and 1200"},
		{"negative seed", "seed = 7", "seed = -7", "seed: must be between 0 and"},
		{"inverted thresholds", "war_threshold = 0.75", "war_threshold = 0.3", "minimal.toml:9: model.war_threshold: must be greater than escalation_threshold"},
		{"hysteresis too large", "war_threshold = 0.75", "war_threshold = 0.75\nhysteresis = 0.5", "model.hysteresis: must be between 0 and 0.4"},
		{"unknown dynamics", "[model]", "[model]\ndynamics = \"chaos\"", `model.dynamics: must be one of "tension", "markov", got "chaos"`},
		{"bad spillover reference", "spillover = { beta = 0.02 }", "spillover = { gamma = 0.02 }", `minimal.toml:14: country.alpha.spillover.gamma: no country "gamma"`},
		{"self spillover", "spillover = { beta = 0.02 }", "spillover = { alpha = 0.02 }", "country.alpha.spillover.alpha: a country cannot spill over onto itself"},
		{"bad country reference", `country = "alpha"`, `country = "atlantis"`, `minimal.toml:30: intervention.envoy.country: no country "atlantis" in this scenario (countries: alpha, beta)`},
		{"duplicate country in countries", `countries = ["alpha", "beta"]`, `countries = ["alpha", "alpha"]`, `intervention.region.countries: country "alpha" is listed twice`},
		{"country and countries", `country = "alpha"`, "country = \"alpha\"\ncountries = [\"beta\"]", "intervention.envoy.countries: give either country or countries, not both"},
		{"no country", `country = "alpha"`, "", "intervention.envoy.country: required"},
		{"unknown kind", `kind = "mediation"`, `kind = "bombing"`, `intervention.envoy.kind: must be one of "mediation", "rule_of_law", "monitoring", got "bombing"`},
		{"trigger and start", `trigger = "escalating"`, "trigger = \"escalating\"\nstart_month = 3", "intervention.region.trigger: give either start_month or trigger"},
		{"unknown trigger", `trigger = "escalating"`, `trigger = "latent"`, `intervention.region.trigger: must be one of "escalating", "war", "none"`},
		{"effect out of range", "staff = 5", "staff = 5\neffect = { war = 2 }", "intervention.envoy.effect.war: must be between 0 and 1, got 2"},
		{"effect unknown stage", "staff = 5", "staff = 5\neffect = { peace = 0.1 }", `intervention.envoy.effect.peace: unknown stage "peace"`},
		{"event after horizon", "month = 12", "month = 30", "minimal.toml:21: country.alpha.event.vote.month: must be within horizon_months (24), got 30"},
		{"missing required key", "structural_pressure = 0.4", "", "country.beta.structural_pressure: required key is missing"},
		{"missing horizon", "horizon_months = 24", "", "horizon_months: required key is missing"},
		{"no countries", "[country.beta]\ninitial_tension = 0.2\nstructural_pressure = 0.4", "", ""}, // replaced below
		{"markov key in tension", "[model]", "[model]\nmonths_per_step = 12", `model.months_per_step: only allowed with dynamics = "markov"`},
		{"bad id", "[country.beta]", "[country.\"be ta\"]", `country.be ta: name "be ta" must use only ASCII letters, digits, _ and -`},
		{"strategy disables unknown", `disable = ["*"]`, `disable = ["ghost"]`, `minimal.toml:40: strategy.none.disable: no intervention "ghost"`},
		{"strategy sets unknown path", `"intervention.envoy.staff" = 20`, `"intervention.envoy.stuff" = 20`, `strategy.big.set.intervention.envoy.stuff: unknown key "intervention.envoy.stuff" (did you mean "intervention.envoy.staff"?)`},
		{"strategy sets unknown entity", `"intervention.envoy.staff" = 20`, `"intervention.ghost.staff" = 20`, `no intervention "ghost" in this scenario (have: envoy, region)`},
		{"not utf8", "title = \"Minimal\"", "title = \"Min\xffimal\"", "not valid UTF-8"},
		{"array of tables", "", "[[country]]\nid = \"x\"", "TOML syntax"},
		{"control character in title", `title = "Minimal"`, `title = "Mini\u001b[31mmal"`, `minimal.toml:2: title: contains the control character U+001B; write plain text on one line`},
		{"line break in a name", "[country.alpha]", "[country.alpha]\nname = \"Al\\npha\"", `minimal.toml:12: country.alpha.name: contains the control character U+000A`},
		{"bidi override in title", `title = "Minimal"`, `title = "Mini\u202Emal"`, `title: contains the control character U+202E`},
		{"empty name", "[country.alpha]", "[country.alpha]\nname = \" \"", `minimal.toml:12: country.alpha.name: is empty; leave the key out to use the ID`},
	} {
		var data []byte
		switch {
		case test.old == "*":
			data = []byte(test.new)
		case test.name == "no countries":
			src := string(minimal(t))
			src = src[:strings.Index(src, "[country.alpha]")] + src[strings.Index(src, "[intervention.envoy]"):]
			data = []byte(src)
			test.want = `intervention.envoy.country: no country "alpha"`
		default:
			data = edit(t, test.old, test.new)
		}
		_, err := Parse("testdata/minimal.toml", data)
		if err == nil {
			t.Errorf("%d %s: no error", i, test.name)
			continue
		}
		if !strings.Contains(err.Error(), test.want) {
			t.Errorf("%d %s: error\n\t%v\nwant it to contain\n\t%s", i, test.name, err, test.want)
		}
		if es := AsErrors(err); len(es) == 0 {
			t.Errorf("%d %s: error is not a scenario error: %T", i, test.name, err)
		}
	}
}

// A scenario with no [country.ID] at all says so.
func TestNoCountry(t *testing.T) {
	_, err := Parse("x.toml", []byte("horizon_months = 12\n"))
	if err == nil || !strings.Contains(err.Error(), "x.toml: country: a scenario needs at least one [country.ID] table") {
		t.Errorf("err = %v", err)
	}
}

func TestMarkovRowsMustSumToOne(t *testing.T) {
	src := `horizon_months = 24
[model]
dynamics = "markov"
months_per_step = 12
[model.transitions]
latent     = { latent = 0.97, escalating = 0.025, war = 0.005 }
escalating = { latent = 0.30, escalating = 0.60,  war = 0.15 }
war        = { latent = 0.05, escalating = 0.20,  war = 0.75 }
[country.a]
initial_stage = "latent"
`
	_, err := Parse("m.toml", []byte(src))
	if err == nil || !strings.Contains(err.Error(), "m.toml:7: model.transitions.escalating: probabilities must sum to 1, got 1.05") {
		t.Errorf("err = %v", err)
	}
	fixed := strings.Replace(src, "war = 0.15", "war = 0.10", 1)
	if _, err := Parse("m.toml", []byte(fixed)); err != nil {
		t.Errorf("valid markov scenario: %v", err)
	}
	bad := strings.Replace(fixed, "initial_stage = \"latent\"", "initial_tension = 0.3", 1)
	if _, err := Parse("m.toml", []byte(bad)); err == nil || !strings.Contains(err.Error(), `m.toml:10: country.a.initial_tension: only allowed with dynamics = "tension"`) {
		t.Errorf("tension key in markov: err = %v", err)
	}
	odd := strings.Replace(fixed, "horizon_months = 24", "horizon_months = 30", 1)
	if _, err := Parse("m.toml", []byte(odd)); err == nil || !strings.Contains(err.Error(), "horizon_months: must be a multiple of model.months_per_step (12)") {
		t.Errorf("horizon not a multiple: err = %v", err)
	}
}

func TestOverrideErrors(t *testing.T) {
	f, err := Parse("testdata/minimal.toml", minimal(t))
	if err != nil {
		t.Fatal(err)
	}
	for i, test := range []struct {
		set, want string
	}{
		{"intervention.envoy.staff=-3", "testdata/minimal.toml: intervention.envoy.staff: must be between 0 and 100000, got -3 (set by --set intervention.envoy.staff=-3)"},
		{"intervention.ghost.staff=3", `no intervention "ghost" in this scenario (have: envoy, region)`},
		{"intervention.envoy.stuff=3", `unknown key "intervention.envoy.stuff" (did you mean "intervention.envoy.staff"?)`},
		{"country.alpha.volatility=high", `country.alpha.volatility: must be a number, got string "high"`},
		{"model.war_threshold=0.3", "model.war_threshold: must be greater than escalation_threshold"},
		{"strategy.none.disable=[]", "strategies cannot be overridden"},
		{"country.alpha.momentum.peace=0.1", `unknown stage "peace"`},
		{"country.alpha.spillover.gamma=0.1", `no country "gamma"`},
		{"intervention.envoy.staff.x=1", "intervention.envoy.staff is a number and has no key"},
		{"intervention=1", "intervention: name a key inside it"},
		{"intervention.envoy=1", "intervention.envoy: name a key inside it"},
	} {
		o, err := ParseOverride(test.set)
		if err == nil {
			_, err = f.Scenario(o)
		}
		if err == nil || !strings.Contains(err.Error(), test.want) {
			t.Errorf("%d: --set %s: err = %v, want %q", i, test.set, err, test.want)
		}
	}
	for _, bad := range []string{"", "=3", "staff", "a..b=1", "a b=1", "x=", "title=\xff\xfe"} {
		if _, err := ParseOverride(bad); err == nil {
			t.Errorf("ParseOverride(%q) accepted", bad)
		}
	}
	o, err := ParseOverride("model.dynamics=markov")
	if err != nil || o.Value != "markov" {
		t.Errorf("bare string value: %+v, %v", o, err)
	}
}

func TestLoad(t *testing.T) {
	if _, err := Load("workshop-intro"); err != nil {
		t.Errorf("shipped name: %v", err)
	}
	if _, err := Load("testdata/minimal.toml"); err != nil {
		t.Errorf("path: %v", err)
	}
	_, err := Load("no-such-scenario")
	if err == nil || !strings.Contains(err.Error(), "no such file and no shipped scenario") {
		t.Errorf("unknown name: %v", err)
	}
	if _, err := Load("testdata/missing.toml"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing path: %v", err)
	}
	if _, err := Load("testdata"); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("directory: %v", err)
	}
}

// validate (Parse) checks the values a strategy sets, naming the line of
// the strategy's entry.
func TestStrategyValuesChecked(t *testing.T) {
	data := edit(t, `set = { "intervention.envoy.staff" = 20 }`, `set = { "intervention.envoy.staff" = -20 }`)
	_, err := Parse("testdata/minimal.toml", data)
	want := "testdata/minimal.toml:43: intervention.envoy.staff: must be between 0 and 100000, got -20 (set by strategy.big)"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("err = %v\nwant %s", err, want)
	}
	// A conflict a strategy brings in is blamed on the strategy's key.
	data = edit(t, `set = { "intervention.envoy.staff" = 20 }`, `set = { "intervention.region.start_month" = 3 }`)
	_, err = Parse("testdata/minimal.toml", data)
	want = "testdata/minimal.toml:43: intervention.region.start_month: give either start_month or trigger, not both"
	if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "(set by strategy.big)") {
		t.Errorf("err = %v\nwant %s (set by strategy.big)", err, want)
	}
}

// In a file, an event or a start after the horizon is a mistake; after the
// horizon was shortened by an override they fall outside the window: the
// event never happens and the mission never starts.
func TestShortenedHorizon(t *testing.T) {
	data := []byte(`
horizon_months = 24
[country.a]
initial_tension = 0.3
structural_pressure = 0.3
[country.a.event.early]
month = 3
size = 0.1
[country.a.event.late]
month = 12
size = 0.2
[intervention.late]
kind = "mediation"
country = "a"
start_month = 10
staff = 5
`)
	f, err := Parse("short.toml", data)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := f.Scenario(Override{Path: []string{"horizon_months"}, Value: int64(6), Origin: "--horizon 6"})
	if err != nil {
		t.Fatalf("--horizon 6: %v", err)
	}
	if sc.Horizon != 6 || len(sc.Countries[0].Events) != 1 || sc.Countries[0].Events[0].Name != "early" || sc.Interventions[0].StartMonth != 10 {
		t.Errorf("horizon %d, events %+v, start %d", sc.Horizon, sc.Countries[0].Events, sc.Interventions[0].StartMonth)
	}
	bad := strings.Replace(string(data), "horizon_months = 24", "horizon_months = 6", 1)
	_, err = Parse("short.toml", []byte(bad))
	for _, want := range []string{"short.toml:10: country.a.event.late.month: must be within horizon_months (6), got 12",
		"short.toml:15: intervention.late.start_month: must be between 0 and horizon_months (6), got 10"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("horizon 6 in the file: %v, want %q", err, want)
		}
	}
}

// A table that exists only through its sub-tables gets the line of its
// first one: [country.a.shock.riots] under Markov dynamics.
func TestLineOfImplicitTable(t *testing.T) {
	data := []byte(`horizon_months = 12
[model]
dynamics = "markov"
[model.transitions]
latent = { latent = 1 }
escalating = { escalating = 1 }
war = { war = 1 }
[country.a]
initial_stage = "latent"

[country.a.shock.riots]
rate_per_year = 1
mean_size = 0.1
`)
	_, err := Parse("m.toml", data)
	if err == nil || !strings.Contains(err.Error(), `m.toml:11: country.a.shock: only allowed with dynamics = "tension"`) {
		t.Errorf("err = %v", err)
	}
}

// A near miss of a shipped name, of a strategy or of a file without its
// .toml gets a suggestion.
func TestSuggestions(t *testing.T) {
	if _, err := Load("guinea-200"); err == nil || !strings.Contains(err.Error(), "did you mean guinea-2009?") {
		t.Errorf("Load(guinea-200): %v", err)
	}
	if _, err := Open("guinea-209"); err == nil || !strings.Contains(err.Error(), "did you mean guinea-2009?") {
		t.Errorf("Open(guinea-209): %v", err)
	}

	f, err := Open("guinea-2009")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Strategy("fastt"); err == nil || !strings.Contains(err.Error(), `did you mean "fast"?`) {
		t.Errorf("Strategy(fastt): %v", err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "mine.toml"), minimal(t), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	if _, err := Load("mine"); err == nil || !strings.Contains(err.Error(), "did you mean the file mine.toml?") {
		t.Errorf("Load(mine): %v", err)
	}
	// Here, unlike in this package's directory, no guinea-2009.toml exists.
	if _, err := Load("guinea-2009.toml"); err == nil || !strings.Contains(err.Error(), "the shipped scenario is named guinea-2009, without .toml") {
		t.Errorf("Load(guinea-2009.toml): %v", err)
	}
}

// The same scenario with Windows line ends is the same scenario: a
// multi-line string does not keep the CR, so replay and merge see no
// change after git's autocrlf.
func TestCRLFSameScenario(t *testing.T) {
	lf := edit(t, `title = "Minimal"`, "title = \"Minimal\"\ndescription = \"\"\"\nTwo\nlines.\"\"\"")
	crlf := []byte(strings.ReplaceAll(string(lf), "\n", "\r\n"))
	var scs []*sim.Scenario
	for _, data := range [][]byte{lf, crlf} {
		f, err := Parse("minimal.toml", data)
		if err != nil {
			t.Fatal(err)
		}
		sc, err := f.Scenario()
		if err != nil {
			t.Fatal(err)
		}
		scs = append(scs, sc)
	}
	if !reflect.DeepEqual(scs[0], scs[1]) {
		t.Errorf("CRLF changed the scenario: description %q vs %q", scs[0].Description, scs[1].Description)
	}
}

// A folder named like a shipped scenario does not hide it; ./NAME is the
// folder.
func TestLoadShippedBesideFolder(t *testing.T) {
	t.Chdir(t.TempDir())
	if err := os.Mkdir("workshop-intro", 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := Load("workshop-intro")
	if err != nil || f.Name != "workshop-intro" {
		t.Errorf("Load(workshop-intro) beside a folder of that name: %v", err)
	}
	if _, err := Load("./workshop-intro"); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("Load(./workshop-intro) = %v, want the folder's error", err)
	}
}

// validate reports a strategy's bad override in the same pass as the
// file's own problems, each once.
func TestStrategyErrorsWithFileErrors(t *testing.T) {
	data := edit(t, "initial_tension = 0.3", "initial_tension = 3")
	data = []byte(strings.Replace(string(data), `"intervention.envoy.staff" = 20`, `"intervention.envoy.staff" = -20`, 1))
	_, err := Parse("minimal.toml", data)
	errs := AsErrors(err)
	var msgs []string
	for _, e := range errs {
		msgs = append(msgs, e.Error())
	}
	all := strings.Join(msgs, "\n")
	if len(errs) != 2 || !strings.Contains(all, "country.alpha.initial_tension: must be between 0 and 1") ||
		!strings.Contains(all, "intervention.envoy.staff: must be between 0 and 100000, got -20") {
		t.Errorf("got %d errors:\n%s", len(errs), all)
	}
}

// A syntax error in a file with CRLF line ends is on the line it is on.
func TestCRLFSyntaxErrorLine(t *testing.T) {
	data := edit(t, "staff = 10", "staff = = 10")
	want := AsErrors(mustFail(t, data))[0].Line
	crlf := []byte(strings.ReplaceAll(string(data), "\n", "\r\n"))
	if got := AsErrors(mustFail(t, crlf))[0].Line; got != want || want == 0 {
		t.Errorf("CRLF syntax error on line %d, LF on line %d", got, want)
	}
}

func mustFail(t *testing.T, data []byte) error {
	t.Helper()
	_, err := Parse("minimal.toml", data)
	if len(AsErrors(err)) == 0 {
		t.Fatalf("no error list: %v", err)
	}
	return err
}

// An error that arises with a strategy but at a line of the file's (a
// threshold put out of order) names the strategy.
func TestStrategyCrossFieldError(t *testing.T) {
	data := []byte(string(minimal(t)) + "\n[strategy.hi]\nset = { \"model.escalation_threshold\" = 0.8 }\n")
	_, err := Parse("minimal.toml", data)
	if err == nil || !strings.Contains(err.Error(), "must be greater than escalation_threshold (0.8), got 0.75 (with strategy hi)") {
		t.Errorf("got %v", err)
	}
}

// ParseSetting's errors speak of keys and values, not of a flag: the
// front end says where the text came from. ParseOverride keeps the
// command line's wording until the command line adds it itself.
func TestParseSettingWording(t *testing.T) {
	for _, bad := range []string{"", "=3", "staff", "a..b=1", "x=", "title=\xff\xfe", "x=1e400", "x=99999999999999999999"} {
		_, err := ParseSetting(bad)
		if err == nil || strings.Contains(err.Error(), "--") {
			t.Errorf("ParseSetting(%q) = %v, want an error without a flag's name", bad, err)
		}
		_, err2 := ParseOverride(bad)
		if err2 == nil || err2.Error() != "--set "+err.Error() {
			t.Errorf("ParseOverride(%q) = %v, want --set %v", bad, err2, err)
		}
	}
	o, err := ParseSetting("intervention.envoy.staff=-3")
	if err != nil || o.Origin != "intervention.envoy.staff=-3" {
		t.Fatalf("%+v %v", o, err)
	}
	f, err := Parse("testdata/minimal.toml", minimal(t))
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.Scenario(o)
	if err == nil || !strings.HasSuffix(err.Error(), "(set by intervention.envoy.staff=-3)") {
		t.Errorf("err = %v", err)
	}
	for _, p := range []string{"scenarios", "no-such"} {
		if _, err := ShippedSource(p); err == nil || strings.Contains(err.Error(), "escalate") {
			t.Errorf("ShippedSource(%q) = %v, want an error that names no command", p, err)
		}
	}
}
