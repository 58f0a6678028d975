// Package study runs an exploration of a scenario under deep uncertainty:
// it draws a design over the scenario's uncertain keys (package explore),
// builds the scenario at each point through the same overrides as
// `--set`, runs every strategy of the file at each point on the same seed
// (common random numbers across points and strategies), streams each
// point's outcomes to a sink, and summarises them: global sensitivity,
// robustness of the strategies across futures, and scenario discovery.
//
// Per-run data never leaves the engine; each point's outcomes are a few
// numbers per strategy, which the summaries need and which stay in memory
// (about 100 bytes per point and strategy), while the rows of
// experiments.csv go to the sink as they are made.
package study
