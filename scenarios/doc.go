// Package scenarios turns scenario files (TOML) into validated
// [sim.Scenario] values, and ships the built-in scenarios.
//
// Decoding is strict: an unknown key, a value of the wrong type, a number out
// of range, NaN or infinity, a reference to a country or intervention that
// does not exist: each is an [*Error] naming the file, the line (wherever the
// TOML library records one) and the key path. Every key a file may hold is
// declared once in this package's key table (schema.go): its name, type,
// unit, range, default and meaning. The decoder, overrides and strategies,
// the Markdown format reference ([Reference]), the JSON Schema for editors
// ([JSONSchema]) and the canonical encoding that fingerprints a scenario
// ([Canonical], [Fingerprint]) are all derived from it.
//
// The shipped scenarios are plain TOML files in this directory, embedded in
// the binary; [Shipped] lists them and [Open] reads one by name.
package scenarios
