// Package explore holds the statistics of exploratory modelling under deep
// uncertainty: experimental designs over the unit cube (Latin hypercube,
// scrambled Sobol sequences, Saltelli matrices, Morris trajectories),
// variance-based and elementary-effect sensitivity indices with bootstrap
// intervals, robustness of strategies across futures (satisficing and
// regret), and scenario discovery with PRIM.
//
// Everything here is a pure function of numbers and explicit random
// sources: no files, no scenarios, no simulation. Package explore/study
// wires these designs to scenarios and the engine.
//
// # Conventions
//
// A design is a list of points in the unit cube [0, 1)^k; mapping a
// coordinate to a parameter's value is the caller's business (a quantile
// function). Indices of a Saltelli design are computed from the model's
// outputs at the design's points in the design's order.
package explore
