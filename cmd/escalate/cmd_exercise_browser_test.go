package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/escalate-sim/escalate/cmd/escalate/internal/serve"
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
		ctx, cancelT := context.WithTimeout(ctx, 4*time.Minute)
		t.Cleanup(func() { cancelT(); cancel() })
		tabs = append(tabs, &tab{t: t, name: n, ctx: ctx})
	}
	return tabs
}

// do runs actions and fails the test on an error.
func (b *tab) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.t.Fatalf("%s: %s: %v", b.name, what, err)
	}
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
		ok, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool]("!!("+cond+")"))
		if err == nil && ok {
			return
		}
		if b.ctx.Err() != nil {
			break
		}
		last = err
		time.Sleep(100 * time.Millisecond)
	}
	b.t.Fatalf("%s: waiting for %s: %v (%s)", b.name, what, last, cond)
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
			b.do("launch "+d.mission, chromedp.Click(id+"-launch"), typeInto(id+"-staff", d.staff))
		case "resize":
			b.do("resize "+d.mission, chromedp.Click(id+"-resize"), typeInto(id+"-staff", d.staff))
		case "end":
			b.do("end "+d.mission, chromedp.Click(id+"-end"))
		}
	}
	before := b.version()
	b.do("submit", chromedp.Click("#submit"))
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

	// The workshop page's "Run an exercise": 3-month rounds.
	fac.do("open the workshop page",
		chromedp.EmulateViewport(1920, 1080),
		chromedp.Navigate(url+"/"),
		chromedp.Poll[chromedp.Void](`document.getElementById('status').dataset.done === '1'`, chromedp.WithPollingTimeout(40*time.Second)),
		chromedp.Click("#exercise-open"),
		chromedp.WaitVisible("#exercise-create"),
		chromedp.SetValue("#exercise-months", "3"),
		chromedp.Click("#exercise-create"),
	)
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
			chromedp.WaitVisible("#team-name"),
			chromedp.SendKeys("#team-name", tm.name),
			chromedp.Click("#join-form button[type=submit]"),
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
		chromedp.Click("#m-mediators-launch"),
		typeInto("#m-mediators-staff", "1e9"),
		chromedp.Click("#submit"),
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
	fac.do("reveal round 1", chromedp.Click("#reveal"))
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
		chromedp.Click("#event-form button[type=submit]"),
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
	fac.do("reveal round 2", chromedp.Click("#reveal"))
	fac.wait("month 6", `document.getElementById('clock').textContent === 'Month 6 of 36 · round 3'`)

	// Round 3 (months 7-9): a 4-minute timer shows on the teams' pages;
	// Red ends its mediators, Blue launches the mediators with 4.
	fac.do("a round timer", chromedp.Click(`#timer button[data-seconds="240"]`))
	red.wait("the countdown on a team's page", `/^· [34]:[0-5][0-9] left$/.test(document.getElementById('countdown').textContent)`)
	red.decide(3, decision{"mediators", "end", ""})
	blue.decide(3, decision{"mediators", "launch", "4"})
	fac.wait("both teams decided", `document.querySelectorAll('#tiles .tile[data-decided="1"]').length === 2`)
	for _, size := range [][2]int64{{1920, 1080}, {1280, 720}} {
		fac.shot(dir, "exercise-facilitator", size[0], size[1])
	}
	fac.do("reveal round 3", chromedp.Click("#reveal"))
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
	fac.do("end", chromedp.Click("#end"), chromedp.Click("#end"))
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
	fac.do("load the saved exercise",
		chromedp.Navigate(url+"/"),
		chromedp.Poll[chromedp.Void](`document.getElementById('status').dataset.done === '1'`, chromedp.WithPollingTimeout(40*time.Second)),
		chromedp.Click("#exercise-open"),
		chromedp.WaitVisible("#exercise-load"),
		chromedp.SetUploadFiles("#exercise-file", []string{saved}),
		chromedp.Click("#exercise-load"),
	)
	fac.wait("the new group's facilitator page", `location.pathname.endsWith('/facilitator') && document.body.dataset.version !== undefined`)
	if got := fac.eval(`document.getElementById('clock').textContent + ' | ' + document.querySelectorAll('#tiles .tile').length + ' | ' + document.getElementById('events').textContent`); got != "Month 0 of 36 · round 1 | 0 | month 4: riots in Arcadia, size +0.20" {
		t.Errorf("the loaded exercise for a new group reads %q", got)
	}
}
