package plots_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strconv"

	"github.com/escalate-sim/escalate/plots"
	"github.com/escalate-sim/escalate/sim"

	"gonum.org/v1/plot/vg"
)

// scenario returns a small one-country scenario: tension drifting up to
// the escalation threshold over two years, with an optional mediation
// team launched in month 6 that first acts in month 9.
func scenario(mission bool) *sim.Scenario {
	sc := &sim.Scenario{
		Name: "example", Title: "Arcadia (example)", Horizon: 24, Runs: 500, Seed: 1,
		Model: sim.Model{
			Dynamics:            sim.Tension,
			EscalationThreshold: 0.4, WarThreshold: 0.75, Hysteresis: 0.05,
			DetectionLag: 2, RuleOfLawDecay: 0.02, MonthsPerStep: 1,
		},
		Countries: []sim.Country{{
			ID: "arcadia", Name: "Arcadia", InitialTension: 0.35,
			StructuralPressure: 0.55, Reversion: 0.08, Volatility: 0.05,
			Shocks: []sim.Shock{{Name: "clashes", RatePerYear: 2, MeanSize: 0.08}},
		}},
	}
	if mission {
		sc.Interventions = []sim.Intervention{{
			ID: "mediators", Name: "Mediation team", Kind: sim.Mediation, Countries: []int{0},
			StartMonth: 6, StartupDelay: 3, Staff: 8, StaffScale: 10, Expertise: 1, Consent: 1,
			CostPerStaffMonth: 1000, Effect: sim.DefaultEffect(sim.Mediation, sim.Tension),
		}}
	}
	return sc
}

// summary runs a scenario and summarises it.
func summary(sc *sim.Scenario) *sim.Summary {
	const seed = 1
	res, err := sim.Run(context.Background(), sc, sim.Options{Runs: sc.Runs, Seed: seed})
	if err != nil {
		log.Fatal(err)
	}
	return sim.Summarize(sc, res, seed)
}

// WriteAll writes every chart of a summary to a directory.
func Example() {
	s := summary(scenario(true))
	dir, err := os.MkdirTemp("", "escalate-charts-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	paths, err := plots.WriteAll(dir, s, plots.Options{
		Format:  "svg",
		Caption: "escalate example · 500 runs · seed 1",
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range paths {
		fmt.Println(filepath.Base(p))
	}
	// Output:
	// dashboard.svg
	// outcomes.svg
	// survival.svg
	// tension-arcadia.svg
	// occupancy-arcadia.svg
	// war-months-arcadia.svg
}

func ExampleStageOutcomes() {
	p, err := plots.StageOutcomes(summary(scenario(false)))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(p.Title.Text)
	// Output: Arcadia: stage in month 24
}

// Two strategies on one time-to-war chart.
func ExampleTimeToWar() {
	without := summary(scenario(false))
	with := summary(scenario(true))
	series := []plots.Survival{
		{Label: "No mission", Survival: without.Countries[0].TimeToWar.Survival, MedianMonths: without.Countries[0].TimeToWar.MedianMonths},
		{Label: "Mediation from month 6", Survival: with.Countries[0].TimeToWar.Survival, MedianMonths: with.Countries[0].TimeToWar.MedianMonths},
	}
	p, err := plots.TimeToWar("Arcadia: time to first war, by strategy", with.HorizonMonths, series)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(p.Title.Text)
	// Output: Arcadia: time to first war, by strategy
}

func ExampleSurvivalSeries() {
	for _, sv := range plots.SurvivalSeries(summary(scenario(false))) {
		fmt.Println(sv.Label, len(sv.Survival))
	}
	// Output: Arcadia 25
}

func ExampleTensionFan() {
	p, err := plots.TensionFan(summary(scenario(false)), 0)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(p.Title.Text)
	// Output: Arcadia: tension by month
}

func ExampleOccupancy() {
	p, err := plots.Occupancy(summary(scenario(true)), 0)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(p.Title.Text)
	// Output: Arcadia: stage by month
}

func ExampleWarMonths() {
	p, err := plots.WarMonths(summary(scenario(false)), 0)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(p.Title.Text)
	// Output: Arcadia: months at war
}

func ExampleDashboard() {
	f, err := plots.Dashboard(summary(scenario(true)), "escalate example · 500 runs · seed 1")
	if err != nil {
		log.Fatal(err)
	}
	path := filepath.Join(os.TempDir(), "escalate-example-dashboard.svg")
	if err := f.Save(path); err != nil {
		log.Fatal(err)
	}
	defer os.Remove(path)
	fmt.Println(f.Title)
	fmt.Println(f.Subtitle)
	// Output:
	// Arcadia (example)
	// Scenario example · 500 runs · seed 1 · 24 months · tension dynamics
}

func ExampleSave() {
	p, err := plots.StageOutcomes(summary(scenario(false)))
	if err != nil {
		log.Fatal(err)
	}
	path := filepath.Join(os.TempDir(), "escalate-example-outcomes.pdf")
	if err := plots.Save(p, path, plots.Options{Caption: "escalate example"}); err != nil {
		log.Fatal(err)
	}
	defer os.Remove(path)
	fmt.Println(filepath.Base(path))
	// Output: escalate-example-outcomes.pdf
}

func ExampleStageColor() {
	for st := range sim.Stage(sim.NumStages) {
		r, g, b, _ := plots.StageColor(st).RGBA()
		fmt.Printf("%-10s #%02x%02x%02x\n", plots.StageLabel(st), r>>8, g>>8, b>>8)
	}
	// Output:
	// Latent     #009e73
	// Escalating #e69f00
	// War        #d55e00
}

// comparison compares the example scenario without and with its
// mediation team, on common random numbers.
func comparison() *sim.ComparisonSummary {
	variants := []*sim.Scenario{scenario(false), scenario(true)}
	labels := []sim.Variant{{ID: "none", Name: "No mission"}, {ID: "mediation", Name: "Mediation from month 6"}}
	cmp, err := sim.Compare(context.Background(), variants, sim.Options{Runs: 500, Seed: 1})
	if err != nil {
		log.Fatal(err)
	}
	headline, err := sim.NewHeadline(variants[0], "")
	if err != nil {
		log.Fatal(err)
	}
	return sim.SummarizeComparison(variants, labels, cmp, 1, headline)
}

func ExampleComparePWar() {
	p, err := plots.ComparePWar(comparison())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(p.Title.Text)
	// Output: War within 24 months, by strategy (paired runs)
}

// WriteCompare writes the three charts of a comparison.
func ExampleWriteCompare() {
	dir, err := os.MkdirTemp("", "escalate-compare-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	paths, err := plots.WriteCompare(dir, comparison(), plots.Options{Format: "svg", Caption: "escalate example · 500 runs · seed 1"})
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range paths {
		fmt.Println(filepath.Base(p))
	}
	// Output:
	// compare-pwar.svg
	// compare-survival.svg
	// compare-cost.svg
}

// sweep runs the example scenario with the mediation team's start-up
// delay at each of the given values, and with its staff too if given.
func sweep(delays []int, staff []float64) *sim.SweepSummary {
	headline, err := sim.NewHeadline(scenario(true), "")
	if err != nil {
		log.Fatal(err)
	}
	sw := &sim.SweepSummary{
		Scenario: "example", Title: "Arcadia (example)", Runs: 200, Seed: 1, HorizonMonths: 24, Headline: headline,
		Dimensions: []sim.SweepDimension{{Path: "intervention.mediators.startup_delay_months"}},
	}
	for _, d := range delays {
		sw.Dimensions[0].Values = append(sw.Dimensions[0].Values, strconv.Itoa(d))
	}
	if staff == nil {
		staff = []float64{-1}
	} else {
		sw.Dimensions = append(sw.Dimensions, sim.SweepDimension{Path: "intervention.mediators.staff"})
		for _, s := range staff {
			sw.Dimensions[1].Values = append(sw.Dimensions[1].Values, strconv.FormatFloat(s, 'g', -1, 64))
		}
	}
	for i, d := range delays {
		for j, s := range staff {
			sc := scenario(true)
			sc.Runs = sw.Runs
			sc.Interventions[0].StartupDelay = d
			index, values := []int{i}, []string{sw.Dimensions[0].Values[i]}
			if s >= 0 {
				sc.Interventions[0].Staff = s
				index, values = append(index, j), append(values, sw.Dimensions[1].Values[j])
			}
			res, err := sim.Run(context.Background(), sc, sim.Options{Runs: sw.Runs, Seed: sw.Seed})
			if err != nil {
				log.Fatal(err)
			}
			sw.Points = append(sw.Points, sim.NewSweepPoint(index, values, sim.Summarize(sc, res, sw.Seed), headline))
		}
	}
	return sw
}

func ExampleSweepLine() {
	p, err := plots.SweepLine(sweep([]int{0, 3, 6}, nil))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(p.Title.Text)
	fmt.Println(p.X.Label.Text)
	// Output:
	// War in Arcadia within 24 months
	// intervention.mediators.startup_delay_months
}

func ExampleSweepHeatMap() {
	p, err := plots.SweepHeatMap(sweep([]int{0, 3, 6}, []float64{4, 8}))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(p.X.Label.Text)
	fmt.Println(p.Y.Label.Text)
	// Output:
	// intervention.mediators.startup_delay_months
	// intervention.mediators.staff
}

// WriteSweep draws a line for a sweep over one key path and a heat map for
// one over two.
func ExampleWriteSweep() {
	dir, err := os.MkdirTemp("", "escalate-sweep-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	paths, err := plots.WriteSweep(dir, sweep([]int{0, 3, 6}, []float64{4, 8}), plots.Options{Format: "svg"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(filepath.Base(paths[0]))
	// Output: sweep.svg
}

// One chart for a column of a paper: 3.5 × 2.6 inches with 8-point text,
// without the title (the paper's caption says what it shows) and without
// the provenance line.
func ExampleOptions() {
	s := summary(scenario(true))
	dir, err := os.MkdirTemp("", "escalate-charts-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	paths, err := plots.WriteAll(dir, s, plots.Options{
		Format:    "pdf",
		Width:     3.5 * vg.Inch,
		Height:    2.6 * vg.Inch,
		FontSize:  8,
		NoTitle:   true,
		NoCaption: true,
		Charts:    []string{"occupancy"},
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range paths {
		fmt.Println(filepath.Base(p))
	}
	// Output: occupancy-arcadia.pdf
}

// A comparison table in 100 columns, then 72 (headings broken between
// words) and 40 (a block a strategy), as for a projector.
func ExampleTextTable() {
	header := []string{"Strategy", "P(war)", "95% interval", "Change in P(war) [95%]", "Cost per war averted"}
	rows := [][]string{
		{"No mission", "46.1%", "45.1–47.1%", "baseline"},
		{"Doubled staff", "9.8%", "9.2–10.4%", "-36.3 pts [-37.3, -35.4]", "$32.5M"},
	}
	fmt.Print(plots.TextTable(header, rows, 100))
	fmt.Println()
	fmt.Print(plots.TextTable(header, rows, 72))
	fmt.Println()
	fmt.Print(plots.TextTable(header, rows, 40))
	// Output:
	// Strategy       P(war)  95% interval  Change in P(war) [95%]    Cost per war averted
	// No mission     46.1%   45.1–47.1%    baseline
	// Doubled staff  9.8%    9.2–10.4%     -36.3 pts [-37.3, -35.4]  $32.5M
	//
	// Strategy       P(war)  95%         Change in P(war) [95%]    Cost
	//                        interval                              per war
	//                                                              averted
	// No mission     46.1%   45.1–47.1%  baseline
	// Doubled staff  9.8%    9.2–10.4%   -36.3 pts [-37.3, -35.4]  $32.5M
	//
	// No mission
	//   P(war): 46.1%
	//   95% interval: 45.1–47.1%
	//   Change in P(war) [95%]: baseline
	//
	// Doubled staff
	//   P(war): 9.8%
	//   95% interval: 9.2–10.4%
	//   Change in P(war) [95%]:
	//     -36.3 pts [-37.3, -35.4]
	//   Cost per war averted: $32.5M
}
