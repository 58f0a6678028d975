// Package serve is escalate's workshop mode: an HTTP server inside the
// binary that a facilitator opens in a browser and projects. The page picks
// or pastes a scenario, changes missions, countries, strategy, events and
// shocks, and watches the result form as runs accumulate; every what-if is
// kept in a history and compared with a pinned baseline as a paired
// difference on common random numbers, the statistics of escalate compare.
//
// The page, its script and its styles are embedded; nothing is loaded from
// the network. A page state is always a job the command line can run: its
// changes are --set, --event, --shock and --disable values.
//
// A state resolves through the job library: [Built.Job] is the escalate
// run job of the state, and the page runs the scenario that job prepares.
// The live picture comes from the small [Engine] interface, which
// [SimEngine] implements over sim.Compare in growing batches, because a
// pinned baseline and a what-if may differ in strategy, --set and
// additions, which one compare job cannot express (a job compares
// strategies of one file), and the charts need each variant's raw counts,
// which a job's partial results do not carry. The summary.json and
// comparison.json downloads run the jobs the command line runs (job.Execute)
// and write their result files, so escalate replay repeats them to the
// byte.
package serve
