// Package job runs escalate's jobs: a run of one scenario, a paired
// comparison of strategies (or of values of one key, or of two files) and
// a sweep over one or two key paths. A Job is a plain value; Execute runs
// it with a context and a progress callback and returns typed results,
// ready to be written with package resultfile.
//
// Everything a front end needs beyond flags and printing lives here once:
// loading scenarios with overrides, the precision rule that adds runs
// until an interval is narrow enough, shards of a job split across
// machines, the time estimate, and provenance. Every result records the
// job that made it as a resultfile.Recipe, and FromRecipe turns it back
// into a Job, which is how replay works.
//
// Data flows one way: scenarios -> sim -> job -> resultfile values; the
// command line (cmd/escalate), a web page or a notebook build a Job,
// execute it and present the result.
package job
