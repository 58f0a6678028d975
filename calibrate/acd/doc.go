// Package acd reads observed conflict data into a country-year panel of
// conflict stages, the data escalate's calibration fits.
//
// Two formats are read, recognised from the header line:
//
//   - the UCDP/PRIO Armed Conflict Dataset (ACD) as UCDP distributes it in
//     CSV: one row per conflict and year, with type_of_conflict,
//     intensity_level (1: 25-999 battle-related deaths in the year, 2:
//     1,000 or more) and gwno_loc, the Gleditsch-Ward codes of the
//     countries where the conflict took place (several, comma-separated,
//     for a conflict on several territories);
//   - a plain panel with the header id,year,stage (stage 0, 1, 2 or none,
//     minor, war), so that other datasets can be used.
//
// An ACD file is coded into stages over a list of states: the
// Gleditsch-Ward list of independent states by default ([DefaultStates]),
// or another list in the same CSV form. A country-year's stage is the
// highest intensity among the conflicts of the counted types located in
// that country that year: none, minor (25-999 deaths) or war (1,000+). The
// rules are options of [Coding]; [DefaultCoding] counts intrastate and
// internationalised intrastate conflicts (types 3 and 4, as Hegre et al.
// 2013 do), every location of a multi-location conflict, and a country in
// every year in which it was independent for at least one day.
//
// The data the command uses by default are embedded ([DefaultACD],
// [DefaultStates]); the data directory's README gives their sources,
// hashes, licence (CC BY 4.0 for the ACD) and the citations:
// Gleditsch et al. (2002, Journal of Peace Research 39(5)) and Davies,
// Pettersson and Öberg (2023, Journal of Peace Research 60(4)) for the
// ACD; Gleditsch and Ward (1999, International Interactions 25(4)) for the
// list of states.
//
// Bad data is an [*Error] that names the file, the line and the column.
package acd
