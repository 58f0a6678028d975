package calibrate

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/escalate-sim/escalate/calibrate/acd"
)

// TensionReport is a tension fit with the data it came from.
type TensionReport struct {
	Source Source
	Fit    *TensionFit
}

type jsonParam struct {
	Name         string  `json:"name"`
	Estimate     float64 `json:"estimate"`
	Low          float64 `json:"ci95_low"`
	High         float64 `json:"ci95_high"`
	SandwichLow  float64 `json:"sandwich_ci95_low"`
	SandwichHigh float64 `json:"sandwich_ci95_high"`
	// The bootstrap's percentile intervals, when there is a bootstrap.
	PercentileLow  *float64 `json:"percentile_ci95_low,omitempty"`
	PercentileHigh *float64 `json:"percentile_ci95_high,omitempty"`
}

// jsonIntervals say where the parameters' ci95 come from.
type jsonIntervals struct {
	Method     string `json:"method"`
	Replicates int    `json:"bootstrap_replicates"`
}

type jsonMoment struct {
	Name       string  `json:"name"`
	Observed   float64 `json:"observed"`
	ObservedSE float64 `json:"observed_se"`
	Fitted     float64 `json:"fitted"`
}

type jsonTension struct {
	Data       jsonData      `json:"data"`
	From       int           `json:"from"`
	To         int           `json:"to"`
	Dynamics   string        `json:"dynamics"`
	Fixed      jsonFixed     `json:"fixed"`
	Intervals  jsonIntervals `json:"intervals"`
	Parameters []jsonParam   `json:"parameters"`
	Moments    []jsonMoment  `json:"moments"`
	J          float64       `json:"j"`
	DF         int           `json:"j_df"`
	PValue     float64       `json:"j_p_value"`
	Sims       int           `json:"simulated_panels"`
	Evals      int           `json:"objective_evaluations"`
	Bootstrap  jsonBootstrap `json:"bootstrap"`
	Command    string        `json:"command"`
}

type jsonFixed struct {
	Escalation float64 `json:"escalation_threshold"`
	War        float64 `json:"war_threshold"`
	Hysteresis float64 `json:"hysteresis"`
	Momentum   float64 `json:"momentum"`
}

// WriteJSON writes the report as indented JSON.
func (r *TensionReport) WriteJSON(w io.Writer) error {
	f := r.Fit
	out := jsonTension{
		Data: jsonData{File: r.Source.File, SHA256: r.Source.SHA256, Format: r.Source.Format},
		From: f.From, To: f.To, Dynamics: "tension",
		Fixed: jsonFixed{f.Escalation, f.War, f.Hysteresis, 0},
		J:     f.J, DF: f.DF, PValue: f.PValue, Sims: f.Sims, Evals: f.Evaluations,
		Bootstrap: jsonBootstrap{f.Resamples, f.Seed, "country"},
		Intervals: jsonIntervals{f.Method, f.Bootstrap},
		Command:   r.Source.Command,
	}
	if r.Source.Format == acd.FormatACD {
		c := r.Source.Coding
		out.Data.Coding = &jsonCoding{Types: c.Types, Locations: c.Locations.String(), Membership: c.Membership.String(), States: r.Source.States, ExtendTo: c.ExtendTo}
	}
	for j := range NumTensionParams {
		p := jsonParam{Name: TensionParamNames[j], Estimate: f.Estimate[j], Low: f.Low[j], High: f.High[j], SandwichLow: f.SandwichLow[j], SandwichHigh: f.SandwichHigh[j]}
		if f.Bootstrap > 0 {
			p.PercentileLow, p.PercentileHigh = &f.PercentileLow[j], &f.PercentileHigh[j]
		}
		out.Parameters = append(out.Parameters, p)
	}
	for i := range NumMoments {
		out.Moments = append(out.Moments, jsonMoment{MomentNames[i], f.Observed[i], f.ObservedSE[i], f.Fitted[i]})
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return fmt.Errorf("calibrate: %w", err)
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// WriteTable writes the report for a terminal.
func (r *TensionReport) WriteTable(w io.Writer) error {
	f := r.Fit
	fmt.Fprintf(w, "Tension model baseline %d-%d fitted to %s by simulated method of moments\n", f.From, f.To, r.Source.File)
	if r.Source.Format == acd.FormatACD {
		fmt.Fprintf(w, "Coded over %s: %s\n", r.Source.States, r.Source.Coding)
	}
	fmt.Fprintf(w, "Fixed: escalation threshold %.2f, war threshold %.2f, hysteresis %.2f, no momentum, shocks or events\n", f.Escalation, f.War, f.Hysteresis)
	fmt.Fprintf(w, "%d simulated panels per evaluation (common random numbers), %d evaluations; moments' covariance: bootstrap over countries, %d resamples, seed %d\n\n",
		f.Sims, f.Evaluations, f.Resamples, f.Seed)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	if f.Method == "bootstrap" {
		fmt.Fprintf(w, "95%% intervals: parametric bootstrap, %d refitted panels, Student-t on the logit and log scales (the sandwich's beside them)\n", f.Bootstrap)
		fmt.Fprintln(tw, "Parameter\tEstimate\t95% interval\tSandwich")
		for j := range NumTensionParams {
			fmt.Fprintf(tw, "%s\t%.4f\t[%.4f, %.4f]\t[%.4f, %.4f]\n", TensionParamNames[j], f.Estimate[j], f.Low[j], f.High[j], f.SandwichLow[j], f.SandwichHigh[j])
		}
	} else {
		fmt.Fprintln(w, "95% intervals: asymptotic (SMM sandwich)")
		fmt.Fprintln(tw, "Parameter\tEstimate\t95% interval")
		for j := range NumTensionParams {
			fmt.Fprintf(tw, "%s\t%.4f\t[%.4f, %.4f]\n", TensionParamNames[j], f.Estimate[j], f.Low[j], f.High[j])
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "Structural pressure at the 10%%, 50%% and 90%% quantiles of countries: %.3f, %.3f, %.3f\n", f.Pressure(0.1), f.Pressure(0.5), f.Pressure(0.9))
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "Moment\tObserved (SE)\tFitted\tz")
	for i := range NumMoments {
		fmt.Fprintf(tw, "%s\t%.4f (%.4f)\t%.4f\t%+.1f\n", MomentNames[i], f.Observed[i], f.ObservedSE[i], f.Fitted[i], (f.Fitted[i]-f.Observed[i])/f.ObservedSE[i])
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	verdict := "the model is not rejected at 5%"
	if f.PValue < 0.05 {
		verdict = "the model is rejected at 5%: the baseline cannot match these moments together"
	}
	fmt.Fprintf(w, "\nJ = %.2f on %d degrees of freedom, p %s: %s\n", f.J, f.DF, pText(f.PValue), verdict)
	return nil
}

// TensionScenario returns a scenario file of the fitted baseline: three
// countries at the 10%, 50% and 90% quantiles of structural pressure
// across countries, each starting at its own pressure, with the fitted
// reversion and volatility and the thresholds the fit held fixed.
func TensionScenario(f *TensionFit, src Source) string {
	var b strings.Builder
	fmt.Fprintf(&b, `# Generated by escalate calibrate --dynamics tension: the tension model's
# baseline fitted by simulated method of moments to %s, transitions
# %d-%d. Illustrative, not a forecast: the three countries are the 10%%,
# 50%% and 90%% quantiles of structural pressure across the data's countries.
# Reproduce: %s
# J = %.2f on %d degrees of freedom, p %s.
`, src.File, f.From, f.To, src.Command, f.J, f.DF, pText(f.PValue))
	for j := range NumTensionParams {
		fmt.Fprintf(&b, "#   %s = %.4f [%.4f, %.4f]\n", TensionParamNames[j], f.Estimate[j], f.Low[j], f.High[j])
	}
	fmt.Fprintf(&b, `
title = "Fitted baseline: tension model %d-%d"
description = "Tension model baseline (reversion, volatility, structural pressure across countries) fitted by simulated method of moments to %s, years %d-%d."
horizon_months = 360
runs = 10000
seed = %d

[model]
dynamics = "tension"
escalation_threshold = %g
war_threshold = %g
hysteresis = %g
`, f.From, f.To, src.File, f.From, f.To, f.Seed, f.Escalation, f.War, f.Hysteresis)
	for _, c := range []struct {
		id, name string
		q        float64
	}{{"low_pressure", "Country at the 10% quantile of pressure", 0.1}, {"median_pressure", "Country at the median pressure", 0.5}, {"high_pressure", "Country at the 90% quantile of pressure", 0.9}} {
		p := f.Pressure(c.q)
		fmt.Fprintf(&b, `
[country.%s]
name = %q
initial_tension = %.4f
structural_pressure = %.4f
reversion = %.4f
volatility = %.4f
`, c.id, c.name, p, p, f.Estimate[ParamReversion], f.Estimate[ParamVolatility])
	}
	return b.String()
}

// pText writes a p-value, as a bound below one in a million.
func pText(p float64) string {
	if p < 1e-6 {
		return "< 1e-6"
	}
	return fmt.Sprintf("= %.3g", p)
}
