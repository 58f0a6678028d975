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
// The package runs scenarios through the small [Engine] interface, which
// [SimEngine] implements over sim.Compare; the cmd layer supplies the
// summary JSON writer through [Config], so that downloads carry the same
// provenance as escalate run --format json.
package serve
