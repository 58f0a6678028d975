// Package exercise is the server side of escalate's participatory
// exercise: a room plays one world of a scenario month by month, teams
// decide in rounds which missions to launch, resize or end, and at the end
// every team's decisions are compared, across all runs, with the plan as
// written and with no mission, on common random numbers.
//
// An [Exercise] is a state machine guarded by its own lock. The clock M
// says that months 0..M are played; in round r the teams decide for months
// M+1..M+round_months, and [Exercise.Advance] closes the round: every
// team's actions then apply from month M (a launch is start_month M with no
// trigger; a resize is a staff change from month M+1; an end is end_month
// M+1) and the clock moves on. Every change is saved, through a [Store],
// as one JSON file (see [State]) before it becomes visible, so that a
// server restarted from that file resumes where the room was.
//
// Nothing in a team's world is computed here: its decisions become a
// [strategy.team_SLUG] table of an exported scenario file (see
// [Exercise.Export]), and its story is sim.Trace of that strategy at the
// played run index. The debrief is the escalate compare job of the
// exported file, so that the command it names reproduces it to the byte.
//
// Roles are checked by token: the facilitator's, each team's, and the join
// code, compared in constant time. The HTTP handlers live in package
// serve; this package knows nothing of HTTP.
package exercise
