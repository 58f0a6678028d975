package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/escalate-sim/escalate/cmd/escalate/internal/serve"
	"github.com/escalate-sim/escalate/scenarios"
	"github.com/escalate-sim/escalate/sim"
)

// tab is one browser page driven by the exercise test.
type tab struct {
	t    *testing.T
	name string
	ctx  context.Context
}

// newTabs starts headless chromium and opens one page per name, each in
// its own browser context (its own cookies and localStorage): separate
// browsers, as a facilitator's and the teams' are.
func newTabs(t *testing.T, names ...string) []*tab {
	t.Helper()
	path := findBrowser(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.Flag("disable-gpu", true))
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelA)
	// The first context starts the browser; the others open new browser
	// contexts in it.
	root, cancelR := chromedp.NewContext(actx)
	t.Cleanup(cancelR)
	if err := chromedp.Do(root); err != nil {
		t.Fatal(err)
	}
	var tabs []*tab
	for _, n := range names {
		ctx, cancel := chromedp.NewContext(root, chromedp.WithNewBrowserContext())
		t.Cleanup(cancel)
		// The first run opens the tab and ties it to the context it is
		// given: a context without a deadline, so that each step can
		// have its own (a step's deadline on the first run would close
		// the tab with the step).
		if err := chromedp.Do(ctx); err != nil {
			t.Fatal(err)
		}
		ctx, cancelT := context.WithTimeout(ctx, 6*time.Minute)
		t.Cleanup(cancelT)
		tabs = append(tabs, &tab{t: t, name: n, ctx: ctx})
	}
	return tabs
}

// stepWithin bounds one step of the test, so that a step that cannot
// finish fails with its name and the page's state well before the
// tab's own deadline.
const stepWithin = 90 * time.Second

// do runs actions and fails the test on an error.
func (b *tab) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepWithin)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.t.Fatalf("%s: %s: %v\n%s", b.name, what, err, b.describe())
	}
}

// describe says where the page is, for a failure's message.
func (b *tab) describe() string {
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.stringify({url: location.href,
		clock: document.getElementById('clock') && Object.assign({text: document.getElementById('clock').textContent}, document.getElementById('clock').dataset),
		version: document.body.dataset.version, active: document.activeElement && document.activeElement.id,
		menu: Array.from(document.querySelectorAll('#menu .mission')).map((m) => m.dataset.mission + ':' + m.dataset.state + ':' + Array.from(m.querySelectorAll('input')).map((i) => i.id + (i.checked ? '*' : '')).join(','))})`))
	if err != nil {
		return "page state unknown: " + err.Error()
	}
	return "page state: " + v
}

// eval returns a JavaScript expression's value as a string.
func (b *tab) eval(js string) string {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](js))
	if err != nil {
		b.t.Fatalf("%s: %s: %v", b.name, js, err)
	}
	return v
}

// wait polls a JavaScript condition for up to a minute. It survives the
// page navigating (a join goes on to the team's page), where a Poll fails.
func (b *tab) wait(what, cond string) {
	b.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	var last error
	for time.Now().Before(deadline) {
		// Each look has its own deadline: a command the browser drops
		// (seen around navigations under load) is asked again.
		ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool]("!!("+cond+")"))
		cancel()
		if err == nil && ok {
			return
		}
		if b.ctx.Err() != nil {
			break
		}
		last = err
		time.Sleep(100 * time.Millisecond)
	}
	b.t.Fatalf("%s: waiting for %s: %v (%s)\n%s", b.name, what, last, cond, b.describe())
}

// shot saves a screenshot at a projector size under dir.
func (b *tab) shot(dir, name string, w, h int64) {
	b.t.Helper()
	png, err := chromedp.Run(b.ctx, func(ctx context.Context, tg *chromedp.Target) ([]byte, error) {
		if _, err := chromedp.EmulateViewport(w, h)(ctx, tg); err != nil {
			return nil, err
		}
		// The charts fill the height left on the screen: the page redraws
		// them on resize.
		if _, err := chromedp.Sleep(600*time.Millisecond)(ctx, tg); err != nil {
			return nil, err
		}
		return chromedp.CaptureScreenshot()(ctx, tg)
	})
	if err != nil {
		b.t.Fatalf("%s: screenshot: %v", b.name, err)
	}
	file := filepath.Join(dir, fmt.Sprintf("%s-%dx%d.png", name, w, h))
	if err := os.WriteFile(file, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("screenshot %s", file)
}

// version is the state version the page shows.
func (b *tab) version() int {
	v, _ := strconv.Atoi(b.eval(`document.body.dataset.version || '0'`))
	return v
}

// decide sets a team's form through its controls: launch, resize or end
// a mission, as a person clicks and types.
type decision struct {
	mission, action string
	staff           string
}

func (b *tab) decide(round int, ds ...decision) {
	b.t.Helper()
	b.wait("round "+strconv.Itoa(round)+" on the team's page", fmt.Sprintf(`document.getElementById('clock').dataset.round === '%d' && document.getElementById('clock').dataset.status === 'deciding' && document.querySelector('#menu .mission') !== null`, round))
	for _, d := range ds {
		id := "#m-" + d.mission
		switch d.action {
		case "launch":
			b.do("launch "+d.mission, clickOn(id+"-launch"), typeInto(id+"-staff", d.staff))
		case "resize":
			b.do("resize "+d.mission, clickOn(id+"-resize"), typeInto(id+"-staff", d.staff))
		case "end":
			b.do("end "+d.mission, clickOn(id+"-end"))
		}
	}
	before := b.version()
	b.do("submit", clickOn("#submit"))
	b.wait("the decision acknowledged", fmt.Sprintf(`+document.body.dataset.version > %d && document.getElementById('banner').dataset.decided === '1'`, before))
}

// A facilitator and two teams play three rounds of workshop-intro in real
// browsers; the debrief on the page equals escalate compare on the
// exported file.
func TestExerciseInBrowser(t *testing.T) {
	if testing.Short() && os.Getenv(browserEnv) != "1" {
		t.Skip("-short: the browser test starts chromium")
	}
	tabs := newTabs(t, "facilitator", "team Red", "team Blue")
	fac, red, blue := tabs[0], tabs[1], tabs[2]
	url := newLoopbackServer(t, serve.New(serve.Config{Loopback: true}))
	dir := os.Getenv("ESCALATE_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}

	// The workshop page's "Run an exercise": 3-month rounds, in a world
	// where both missions the teams launch get their host's consent (the
	// teams resize and end them; a refused mission offers neither).
	world := consentingWorld(t, "workshop-intro", "mediators", "monitors")
	fac.do("open the workshop page",
		chromedp.EmulateViewport(1920, 1080),
		chromedp.Navigate(url+"/"),
		chromedp.Poll[chromedp.Void](`document.getElementById('status').dataset.done === '1'`, chromedp.WithPollingTimeout(40*time.Second)),
		clickOn("#exercise-open"),
		waitShown("#exercise-create"),
		choose("#exercise-months", "3"),
		typeInto("#exercise-world", "1.5"),
		clickOn("#exercise-create"),
	)
	if got := fac.eval(`document.getElementById('exercise-error').textContent`); !strings.Contains(got, "whole number") || fac.eval(`location.pathname`) != "/" {
		t.Errorf("a world of 1.5: the page says %q at %s", got, fac.eval(`location.pathname`))
	}
	for _, size := range [][2]int64{{1920, 1080}, {1280, 720}} {
		fac.shot(dir, "exercise-dialog", size[0], size[1])
	}
	t.Logf("world %d", world)
	fac.do("open the exercise", typeInto("#exercise-world", strconv.FormatInt(world, 10)), clickOn("#exercise-create"))
	fac.wait("the facilitator's page", `location.pathname.endsWith('/facilitator') && document.body.dataset.version !== undefined`)
	if got := fac.eval(`document.getElementById('clock').textContent`); got != "Month 0 of 36 · round 1" {
		t.Errorf("facilitator clock %q", got)
	}
	joinURL := fac.eval(`document.getElementById('join-url').textContent`)
	code := fac.eval(`document.getElementById('join-code').dataset.code`)
	if !strings.Contains(joinURL, "code="+code) {
		t.Errorf("join link %q lacks its code %q", joinURL, code)
	}

	// Each team joins from its own browser with the link.
	for _, tm := range []struct {
		b    *tab
		name string
	}{{red, "Red"}, {blue, "Blue"}} {
		tm.b.do("join",
			chromedp.EmulateViewport(1280, 720),
			chromedp.Navigate(joinURL),
			waitShown("#team-name"),
			typeInto("#team-name", tm.name),
			clickOn("#join-form button[type=submit]"),
		)
		tm.b.wait("the team's page", `location.pathname.endsWith('/team') && document.querySelector('#menu .mission') !== null`)
		if got := tm.b.eval(`document.getElementById('title').textContent`); !strings.HasPrefix(got, "Team "+tm.name) {
			t.Errorf("%s's page title %q", tm.name, got)
		}
	}
	fac.wait("two team tiles", `document.querySelectorAll('#tiles .tile').length === 2`)

	// Round 1 (months 1-3): Red launches the mediators with 6 staff; Blue
	// the monitors with 30. A staff figure out of bounds is refused on
	// the page with a message, and nothing is sent.
	red.do("an out-of-range staff figure",
		clickOn("#m-mediators-launch"),
		typeInto("#m-mediators-staff", "1e9"),
		clickOn("#submit"),
		chromedp.Poll[chromedp.Void](`document.getElementById('decide-error').textContent.includes('correct')`, chromedp.WithPollingTimeout(5*time.Second)),
	)
	if msg := red.eval(`document.querySelector('[data-err="mediators"]').textContent`); !strings.Contains(msg, "Staff must be a number from 0 to") {
		t.Errorf("out-of-range staff: message %q", msg)
	}
	if red.eval(`document.getElementById('banner').dataset.decided`) != "0" {
		t.Error("an out-of-range decision was sent")
	}
	red.decide(1, decision{"mediators", "launch", "6"})
	blue.decide(1, decision{"monitors", "launch", "30"})
	fac.wait("both teams decided", `document.querySelectorAll('#tiles .tile[data-decided="1"]').length === 2`)
	fac.do("reveal round 1", clickOn("#reveal"))
	fac.wait("month 3", `document.getElementById('clock').textContent === 'Month 3 of 36 · round 2'`)
	// The facilitator's page reloads to the same state (its token is in
	// its address).
	fac.do("reload", chromedp.Reload())
	fac.wait("the facilitator's page after a reload", `document.getElementById('clock').textContent === 'Month 3 of 36 · round 2' && document.querySelectorAll('#tiles .tile').length === 2 && document.querySelectorAll('#charts path[data-world]').length === 4`)

	// Round 2 (months 4-6): the facilitator injects riots for month 4;
	// Red doubles its mediators, Blue ends its monitors and reloads its
	// page, which comes back with its decision.
	fac.do("inject an event",
		typeInto("#event-size", "0.2"),
		typeInto("#event-name", "riots"),
		clickOn("#event-form button[type=submit]"),
		chromedp.Poll[chromedp.Void](`document.getElementById('events').textContent.includes('riots')`, chromedp.WithPollingTimeout(10*time.Second)),
	)
	red.decide(2, decision{"mediators", "resize", "12"})
	blue.decide(2, decision{"monitors", "end", ""})
	blue.do("reload", chromedp.Reload())
	blue.wait("the page back after a reload", `document.getElementById('clock').dataset.round === '2' && document.querySelector('#menu .mission') !== null`)
	if got := blue.eval(`String(document.getElementById('m-monitors-end').checked) + ' ' + document.getElementById('banner').dataset.decided`); got != "true 1" {
		t.Errorf("after a reload Blue's decision (end the monitors, decided) reads %q", got)
	}
	if ev := blue.eval(`document.getElementById('charts').textContent`); !strings.Contains(ev, "riots") {
		t.Errorf("the injected event is not on Blue's chart: %q", ev)
	}
	fac.wait("both teams decided", `document.querySelectorAll('#tiles .tile[data-decided="1"]').length === 2`)
	fac.do("reveal round 2", clickOn("#reveal"))
	fac.wait("month 6", `document.getElementById('clock').textContent === 'Month 6 of 36 · round 3'`)

	// Round 3 (months 7-9): a 4-minute timer shows on the teams' pages;
	// Red ends its mediators, Blue launches the mediators with 4.
	fac.do("a round timer", clickOn(`#timer button[data-seconds="240"]`))
	red.wait("the countdown on a team's page", `/^· [34]:[0-5][0-9] left$/.test(document.getElementById('countdown').textContent)`)
	red.decide(3, decision{"mediators", "end", ""})
	blue.decide(3, decision{"mediators", "launch", "4"})
	fac.wait("both teams decided", `document.querySelectorAll('#tiles .tile[data-decided="1"]').length === 2`)
	for _, size := range [][2]int64{{1920, 1080}, {1280, 720}} {
		fac.shot(dir, "exercise-facilitator", size[0], size[1])
	}
	fac.do("reveal round 3", clickOn("#reveal"))
	fac.wait("month 9", `document.getElementById('clock').textContent === 'Month 9 of 36 · round 4'`)
	red.wait("Red sees month 9", `document.getElementById('clock').dataset.month === '9'`)
	for _, size := range [][2]int64{{1920, 1080}, {1280, 720}} {
		red.shot(dir, "exercise-team", size[0], size[1])
	}
	// Red's story shows its mediators acting, and its decisions listed.
	if got := red.eval(`document.getElementById('decisions').textContent`); !strings.Contains(got, "Round 1: launch Regional mediation team with 6 staff") ||
		!strings.Contains(got, "Round 2: resize Regional mediation team to 12 staff") || !strings.Contains(got, "Round 3: end Regional mediation team") {
		t.Errorf("Red's decisions read %q", got)
	}

	// The facilitator ends the exercise (two clicks) and the debrief
	// appears on every screen.
	fac.do("end", clickOn("#end"), clickOn("#end"))
	fac.wait("the debrief", `document.getElementById('debrief').dataset.ready === '1'`)
	blue.wait("the debrief on a team's page", `document.getElementById('debrief').dataset.ready === '1'`)
	for _, size := range [][2]int64{{1920, 1080}, {1280, 720}} {
		fac.shot(dir, "exercise-debrief", size[0], size[1])
	}

	// The debrief's numbers, as the page holds them, equal escalate
	// compare's on the exported file.
	raw := fac.eval(`JSON.stringify(Array.from(document.querySelectorAll('#debrief-table tbody tr')).map((tr) => {
		const o = { name: tr.dataset.strategy };
		for (const td of tr.querySelectorAll('td[data-k]')) o[td.dataset.k] = td.dataset.value;
		return o;
	}))`)
	var rows []map[string]string
	if err := json.Unmarshal([]byte(raw), &rows); err != nil {
		t.Fatal(err)
	}
	command := fac.eval(`document.getElementById('debrief-command').textContent`)
	exportURL := fac.eval(`document.getElementById('dl-export').href`)
	resp, err := http.Get(exportURL)
	if err != nil {
		t.Fatal(err)
	}
	export, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("export.toml: %s: %s", resp.Status, export)
	}
	file := filepath.Join(t.TempDir(), "exercise.toml")
	if err := os.WriteFile(file, export, 0o644); err != nil {
		t.Fatal(err)
	}
	args := strings.Fields(command)
	if len(args) < 3 || args[0] != "escalate" || args[1] != "compare" {
		t.Fatalf("the debrief's command %q", command)
	}
	for i, a := range args {
		if strings.HasSuffix(a, ".toml") {
			args[i] = file
		}
	}
	out, errs, code2 := escalate(t, args[1:]...)
	if code2 != 0 {
		t.Fatalf("%s: %s", command, errs)
	}
	var cmp struct {
		Strategies []struct {
			Name       string
			PWar       float64 `json:"p_war"`
			WarMonths  float64 `json:"war_months_mean"`
			Cost       float64 `json:"cost_mean"`
			VsBaseline struct {
				PWarDiff      float64  `json:"p_war_diff"`
				WarMonthsDiff float64  `json:"war_months_diff"`
				PerWarAverted *float64 `json:"cost_per_war_averted"`
			} `json:"vs_baseline"`
		}
	}
	if err := json.Unmarshal([]byte(out), &cmp); err != nil {
		t.Fatalf("%s: %v", command, err)
	}
	if len(cmp.Strategies) != 4 || len(rows) != 4 {
		t.Fatalf("compare has %d strategies, the page %d; want none, historical and two teams", len(cmp.Strategies), len(rows))
	}
	// The page holds each figure as JavaScript's shortest round-trip
	// form: equal as float64, to the last bit.
	for i, s := range cmp.Strategies {
		row := rows[i]
		want := map[string]*float64{"p_war": &s.PWar, "war_months": &s.WarMonths, "cost": &s.Cost}
		if i > 0 {
			want["p_war_diff"] = &s.VsBaseline.PWarDiff
			want["war_months_diff"] = &s.VsBaseline.WarMonthsDiff
			want["cost_per_war_averted"] = s.VsBaseline.PerWarAverted
		}
		if row["name"] != s.Name {
			t.Errorf("row %d: page %q, compare %q", i, row["name"], s.Name)
		}
		for k, v := range want {
			got, ok := row[k]
			switch {
			case !ok:
				t.Errorf("%s %s: not on the page", s.Name, k)
			case v == nil:
				if got != "null" {
					t.Errorf("%s %s: page %s, escalate compare null", s.Name, k, got)
				}
			default:
				f, err := strconv.ParseFloat(got, 64)
				if err != nil || f != *v {
					t.Errorf("%s %s: page %s, escalate compare %v", s.Name, k, got, *v)
				}
			}
		}
	}
	// The text a room reads says the same, rounded.
	if got, want := fac.eval(`document.querySelector('#debrief-table tr[data-strategy="none"] td[data-k="p_war"]').firstChild.textContent`), strconv.FormatFloat(100*cmp.Strategies[0].PWar, 'f', 1, 64)+"%"; got != want {
		t.Errorf("page reads P(war) %q for none, want %q", got, want)
	}
	if got := fac.eval(`document.querySelector('.ranks').textContent`); !strings.Contains(got, "Team Red") || !strings.Contains(got, "%") {
		t.Errorf("the played world's rank reads %q", got)
	}

	// The saved exercise, loaded again on the workshop page for a new
	// group: the same scenario and injected event, no teams, month 0.
	saved := filepath.Join(t.TempDir(), "exercise.json")
	fileURL := fac.eval(`document.getElementById('dl-file-end').href`)
	resp, err = http.Get(fileURL)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("exercise file: %s: %s", resp.Status, data)
	}
	if err := os.WriteFile(saved, data, 0o644); err != nil {
		t.Fatal(err)
	}
	var savedState struct{ World int64 }
	if err := json.Unmarshal(data, &savedState); err != nil || savedState.World != world {
		t.Errorf("the saved exercise plays world %d (%v), the facilitator chose %d", savedState.World, err, world)
	}
	fac.do("load the saved exercise",
		chromedp.Navigate(url+"/"),
		chromedp.Poll[chromedp.Void](`document.getElementById('status').dataset.done === '1'`, chromedp.WithPollingTimeout(40*time.Second)),
		clickOn("#exercise-open"),
		waitShown("#exercise-load"),
		chromedp.SetUploadFiles("#exercise-file", []string{saved}),
		clickOn("#exercise-load"),
	)
	fac.wait("the new group's facilitator page", `location.pathname.endsWith('/facilitator') && document.body.dataset.version !== undefined`)
	if got := fac.eval(`document.getElementById('clock').textContent + ' | ' + document.querySelectorAll('#tiles .tile').length + ' | ' + document.getElementById('events').textContent`); got != "Month 0 of 36 · round 1 | 0 | month 4: riots in Arcadia, size +0.20" {
		t.Errorf("the loaded exercise for a new group reads %q", got)
	}
}

// consentingWorld returns the first run index of a shipped scenario, at
// its own seed, in which every one of missions gets its host's consent.
// Consent is drawn once per run and mission, whenever the mission is
// launched, so the scenario's own trace of that run tells.
func consentingWorld(t *testing.T, name string, missions ...string) int64 {
	t.Helper()
	f, err := scenarios.Load(name)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := f.Scenario()
	if err != nil {
		t.Fatal(err)
	}
	for w := range int64(100) {
		path, err := sim.Trace(sc, sc.Seed, w, sim.StreamsV1)
		if err != nil {
			t.Fatal(err)
		}
		ok := 0
		for _, iv := range path.Interventions {
			if slices.Contains(missions, iv.ID) && iv.Consented {
				ok++
			}
		}
		if ok == len(missions) {
			return w
		}
	}
	t.Fatalf("%s: no run among the first 100 in which %v all get consent", name, missions)
	return 0
}
