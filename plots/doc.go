// Package plots draws the charts of escalate from a simulation's
// aggregates, a [sim.Summary]; it never needs per-run data, so every chart
// is drawn in well under a second whatever the number of runs.
//
// Each chart builder returns a [*plot.Plot] of gonum.org/v1/plot:
//
//   - [StageOutcomes]: how runs end (latent, escalating, war), with 95%
//     intervals, grouped by country.
//   - [TimeToWar]: Kaplan–Meier curves of the share of runs with no war
//     yet, by month, with medians; [SurvivalSeries] makes the curves of a
//     summary, several strategies' curves can share one chart.
//   - [TensionFan]: median tension and the middle 50% and 90% of runs, over
//     the stage regions (tension dynamics only).
//   - [Occupancy]: the share of runs in each stage by month, with the
//     missions' launch and first action marked.
//   - [WarMonths]: how many months runs spend at war.
//
// [Dashboard] puts the main ones in one [Figure] for a projector, and
// [WriteAll] writes them all to a directory with fixed file names.
//
// Comparisons of strategies run with common random numbers, a
// [sim.ComparisonSummary], have charts of their own, written by
// [WriteCompare]:
//
//   - [ComparePWar]: the probability of war under each strategy, labelled
//     with the paired difference from the baseline and its interval.
//   - [CompareSurvival]: the strategies' time-to-war curves on one chart.
//   - [CostVsWar]: mean cost per run against the probability of war.
//
// Parameter sweeps, a [sim.SweepSummary], are drawn by [WriteSweep]:
// [SweepLine] over one key path, [SweepHeatMap] over two, the latter in
// the colour scale [WarScale].
//
// Save charts with [Save] or [Encode] rather than plot.Plot.Save: they
// apply the recommended size (8 × 5 inches, 1600 pixels wide in PNG), add
// the provenance caption, write files atomically and produce reproducible
// PDFs with correct non-ASCII text (gonum's PDF backend stamps the clock
// into every file and garbles characters such as "–" and "é"). [Options]
// also sets a figure's size and font size for a paper or slides, drops the
// title or the caption, and selects charts by name.
//
// [TextTable] lays a table of text, such as a comparison's, out within a
// projector's width.
//
// # Conventions
//
// Every chart uses the same colour for a stage, from the colour-blind-safe
// Okabe–Ito palette ([StageColor]: latent bluish green, escalating orange,
// war vermillion); several countries or strategies take [SeriesColor] in
// turn, so that a strategy has the same colour in each comparison chart,
// the baseline (the first) drawn hollow where it is a dot. Legends are
// drawn outside the data area, and labels in it only where they cover no
// data; text is in Liberation Sans (built in, so output is the same on
// every machine) at sizes readable when projected, and shares are shown
// as percentages.
//
// # Reproducibility
//
// The same summary and options give byte-identical PNG, SVG and PDF files.
// SVG and PDF files draw their text as the outlines of Liberation Sans's
// glyphs, so they need no font on the reader's machine and look the same
// in every viewer (each glyph is defined once per SVG, and each string
// labels its group with aria-label for screen readers and search); the
// price is that text in them cannot be selected. PDF files carry a fixed
// creation date (2000-01-01) instead of the time they were written and
// list their resources in sorted order (this sets the PDF library's
// default for the whole program).
//
// # Errors
//
// Builders return errors rather than panic on summaries they cannot draw:
// [ErrNoRuns] for zero runs (also of a comparison or sweep),
// [ErrNoTension] for a tension fan of markov dynamics, and descriptive
// errors for a missing country, series of the wrong length, a sweep point
// outside its grid, or values that are not finite numbers.
package plots
