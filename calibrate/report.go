package calibrate

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/escalate-sim/escalate/calibrate/acd"
)

// Report is everything a calibration says: the data, the fit and, with a
// holdout year, the validation.
type Report struct {
	Source  Source
	Markov  *Markov
	Holdout *Holdout // nil without --holdout
}

type jsonCoding struct {
	Types      []int  `json:"conflict_types"`
	Locations  string `json:"locations"`
	Membership string `json:"partial_years"`
	States     string `json:"states"`
	ExtendTo   int    `json:"open_spells_extended_to"`
}

type jsonData struct {
	File   string      `json:"file"`
	SHA256 string      `json:"sha256"`
	Format acd.Format  `json:"format"`
	Coding *jsonCoding `json:"coding"`
}

type jsonTransitions struct {
	Counts        Counts `json:"counts"`
	Probabilities Matrix `json:"probabilities"`
	Low           Matrix `json:"ci95_low"`
	High          Matrix `json:"ci95_high"`
}

type jsonBootstrap struct {
	Resamples int    `json:"resamples"`
	Seed      uint64 `json:"seed"`
	Unit      string `json:"unit"`
}

type jsonReport struct {
	Data           jsonData        `json:"data"`
	From           int             `json:"from"`
	To             int             `json:"to"`
	Stages         [K]string       `json:"stages"`
	CountryYears   int             `json:"country_years"`
	Countries      int             `json:"countries"`
	Transitions    jsonTransitions `json:"transitions"`
	Stationary     [K]float64      `json:"stationary"`
	StationaryLow  [K]float64      `json:"stationary_ci95_low"`
	StationaryHigh [K]float64      `json:"stationary_ci95_high"`
	MeanStay       [K]float64      `json:"mean_stay_years"`
	MeanStayLow    [K]float64      `json:"mean_stay_years_ci95_low"`
	MeanStayHigh   [K]float64      `json:"mean_stay_years_ci95_high"`
	Bootstrap      jsonBootstrap   `json:"bootstrap"`
	Holdout        *jsonHoldout    `json:"holdout"`
	Command        string          `json:"command"`
}

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	m := r.Markov
	out := jsonReport{
		Data:         jsonData{File: r.Source.File, SHA256: r.Source.SHA256, Format: r.Source.Format},
		From:         m.From,
		To:           m.To,
		Stages:       acd.Names,
		CountryYears: m.Counts.Total(),
		Countries:    m.Units,
		Transitions:  jsonTransitions{m.Counts, m.P, m.Low, m.High},
		Stationary:   m.Stationary, StationaryLow: m.StationaryLow, StationaryHigh: m.StationaryHigh,
		MeanStay: m.MeanStay, MeanStayLow: m.MeanStayLow, MeanStayHigh: m.MeanStayHigh,
		Bootstrap: jsonBootstrap{m.Resamples, m.Seed, "country"},
		Command:   r.Source.Command,
	}
	if r.Source.Format == acd.FormatACD {
		c := r.Source.Coding
		out.Data.Coding = &jsonCoding{Types: c.Types, Locations: c.Locations.String(), Membership: c.Membership.String(), States: r.Source.States, ExtendTo: c.ExtendTo}
	}
	if r.Holdout != nil {
		out.Holdout = r.Holdout.json()
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return fmt.Errorf("calibrate: %w", err)
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// WriteCSV writes one row per transition: from, to, count, probability and
// its interval.
func (r *Report) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"from", "to", "count", "probability", "ci95_low", "ci95_high"})
	m := r.Markov
	f := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	for i := range K {
		for j := range K {
			cw.Write([]string{acd.Names[i], acd.Names[j], strconv.Itoa(m.Counts[i][j]), f(m.P[i][j]), f(m.Low[i][j]), f(m.High[i][j])})
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteTable writes the report for a terminal.
func (r *Report) WriteTable(w io.Writer) error {
	m := r.Markov
	src := r.Source
	fmt.Fprintf(w, "Annual transitions %d-%d fitted to %s\n", m.From, m.To, src.File)
	if src.Format == acd.FormatACD {
		fmt.Fprintf(w, "Coded over %s: %s\n", src.States, src.Coding)
	}
	fmt.Fprintf(w, "%d country-years of %d countries (a transition from year t-1 to t counts in t); 95%% intervals: bootstrap over countries, %d resamples, seed %d\n\n",
		m.Counts.Total(), m.Units, m.Resamples, m.Seed)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "From\tn\tto none\tto minor\tto war\tMean stay (years)")
	for i := range K {
		cells := make([]string, K)
		for j := range K {
			cells[j] = fmt.Sprintf("%.2f%% [%.2f, %.2f]", 100*m.P[i][j], 100*m.Low[i][j], 100*m.High[i][j])
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%.1f [%.1f, %.1f]\n", acd.Names[i], m.Counts.Row(i), strings.Join(cells, "\t"), m.MeanStay[i], m.MeanStayLow[i], m.MeanStayHigh[i])
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nLong-run shares: none %.1f%% [%.1f, %.1f], minor %.1f%% [%.1f, %.1f], war %.1f%% [%.1f, %.1f]\n",
		100*m.Stationary[0], 100*m.StationaryLow[0], 100*m.StationaryHigh[0],
		100*m.Stationary[1], 100*m.StationaryLow[1], 100*m.StationaryHigh[1],
		100*m.Stationary[2], 100*m.StationaryLow[2], 100*m.StationaryHigh[2])
	if r.Holdout != nil {
		return r.Holdout.writeTable(w)
	}
	return nil
}
