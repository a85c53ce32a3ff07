package ingest

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/unifyhq/unify/profile"
)

// Role is what a column does.
type Role string

// Column roles.
const (
	RoleKey      Role = "key"      // holds the record key
	RoleObserved Role = "observed" // holds the record's observed time
	RoleField    Role = "field"    // feeds a field (attr:<name> for kept unmapped columns)
	RoleIgnored  Role = "ignored"  // dropped
)

// How says what decided a column's role.
type How string

// What decided a column's role.
const (
	HowExplicit How = "explicit" // the Mapping names the column
	HowAuto     How = "auto"     // the auto-mapping recognised the header
	HowUnmapped How = "unmapped" // nothing did: kept as attr:<name> or ignored, per Mapping.Unmapped
)

// ColumnReport says what became of one column (for JSON, one flattened key).
type ColumnReport struct {
	// Index is the column's position in the header (0-based); for JSON the
	// order in which keys were first seen, or -1 for a mapped key never seen.
	Index int           `json:"index"`
	Name  string        `json:"name"`
	Role  Role          `json:"role"`
	Field profile.Field `json:"field,omitempty"`
	How   How           `json:"how"`
	// Note explains a choice that is not obvious.
	Note string `json:"note,omitempty"`
	// Values counts the non-empty values read from the column.
	Values int64 `json:"values"`
}

// column is a resolved column of the running source.
type column struct {
	ColumnReport
	norm string
	// repeats is the index of the first column of the header with this
	// column's name, or -1: a column whose name the header repeats.
	repeats int
	// fallback marks a JSON key first seen after the first object whose
	// single-valued field another key already feeds: it fills the field
	// only in objects where that field is still empty.
	fallback bool
}

// resolver applies a Mapping to column names.
type resolver struct {
	m Mapping
	// explicit roles by exact name and by normalized name.
	exact  map[string]explicitRole
	byNorm map[string][]string // normalized name -> explicit names
	// used records which explicit names matched a column; usedLog lists
	// them in the order they did, so a report can say which had matched
	// by a given row.
	used    map[string]bool
	usedLog []string
	// single-valued fields already fed by a column, and attr names taken.
	taken    map[profile.Field]string
	attrs    map[string]bool
	key      int // column index of the key, -1 if none yet
	observed int
}

type explicitRole struct {
	role  Role
	field profile.Field
}

func newResolver(m Mapping) *resolver {
	r := &resolver{m: m, exact: map[string]explicitRole{}, byNorm: map[string][]string{}, used: map[string]bool{},
		taken: map[profile.Field]string{}, attrs: map[string]bool{}, key: -1, observed: -1}
	add := func(name string, er explicitRole) {
		r.exact[name] = er
		n := NormalizeHeader(name)
		r.byNorm[n] = append(r.byNorm[n], name)
	}
	if m.Key != "" {
		add(m.Key, explicitRole{role: RoleKey})
	}
	if m.Observed != "" {
		add(m.Observed, explicitRole{role: RoleObserved})
	}
	for _, c := range m.Ignore {
		add(c, explicitRole{role: RoleIgnored})
	}
	for c, f := range m.Columns {
		add(c, explicitRole{role: RoleField, field: f})
	}
	return r
}

// explicitFor finds the explicit role of a column name: by exact name, or
// by normalized name when that identifies one mapping entry. headerHas
// reports whether the header also has a column of exactly a given name
// (that column then takes the entry).
func (r *resolver) explicitFor(name, norm string, headerHas func(string) bool) (string, explicitRole, bool) {
	if er, ok := r.exact[name]; ok {
		return name, er, true
	}
	cands := r.byNorm[norm]
	var pick []string
	for _, c := range cands {
		if headerHas == nil || !headerHas(c) {
			pick = append(pick, c)
		}
	}
	if len(pick) == 1 {
		return pick[0], r.exact[pick[0]], true
	}
	return "", explicitRole{}, false
}

// resolveHeader resolves all columns of a CSV header (strict) or of the
// first JSON object. Strict, it fails when an explicit name matches no
// column. It fails when no key column is found, unless the mapping names
// one that a later JSON object may hold.
func (r *resolver) resolveHeader(names []string, strict bool) ([]column, error) {
	cols := make([]column, len(names))
	has := map[string]bool{}
	for _, n := range names {
		has[n] = true
	}
	headerHas := func(s string) bool { return has[s] }
	firstOf := map[string]int{}
	// Explicit roles first.
	for i, n := range names {
		c := &cols[i]
		c.Index, c.Name, c.norm, c.repeats = i, n, NormalizeHeader(n), -1
		if f, ok := firstOf[n]; ok {
			if strings.TrimSpace(n) == "" {
				// Blank names are columns nobody named, not one name
				// written twice: each is kept as attr:column_<n>. An
				// explicit entry for the blank name still takes only
				// the first.
				continue
			}
			// A name names its first column, for the mapping too.
			c.repeats = f
			continue
		}
		firstOf[n] = i
		if en, er, ok := r.explicitFor(n, c.norm, headerHas); ok {
			r.use(en)
			if err := r.assignExplicit(c, er); err != nil {
				return nil, err
			}
		}
	}
	var missing []string
	for _, name := range r.explicitNames() {
		if !r.used[name] {
			missing = append(missing, strconv.Quote(name))
		}
	}
	if len(missing) > 0 && strict {
		return nil, fmt.Errorf("%w: %s not in the header (%s)", ErrUnknownColumn, strings.Join(missing, ", "), quoteList(names))
	}
	// A repeated name is one column's name written twice ("Address,
	// Address"): it names its first column only, so the later columns
	// (whatever they hold) are not taken for a second value of the same
	// field, the key or the observed time.
	for i := range cols {
		if c := &cols[i]; c.Role == "" && c.repeats >= 0 {
			r.assignRepeat(c, cols)
		}
	}
	// The key and observed columns, by preference order.
	if r.key < 0 && !r.m.KeyFromRowNumber && !r.m.NoAuto {
		r.pickBest(cols, keyAliases, RoleKey)
	}
	if r.key < 0 && !r.m.KeyFromRowNumber && !r.m.NoAuto {
		r.pickKeyLike(cols)
	}
	if r.observed < 0 && !r.m.NoAuto {
		r.pickBest(cols, observedAliases, RoleObserved)
	}
	if r.key < 0 && !r.m.KeyFromRowNumber && (strict || r.m.Key == "") {
		return nil, fmt.Errorf("%w among %s: name one in Mapping.Key (or set KeyFromRowNumber)", ErrNoKey, quoteList(names))
	}
	// Weak aliases after the others, so that they take a field only when
	// no other column does.
	for _, weak := range []bool{false, true} {
		for i := range cols {
			if cols[i].Role == "" && weakAliases[cols[i].norm] == weak {
				r.assignAuto(&cols[i], false)
			}
		}
	}
	return cols, nil
}

// resolveLate resolves a JSON key first seen after the first object. Key
// and observed roles are decided by then; explicit entries still apply.
func (r *resolver) resolveLate(index int, name string) (column, error) {
	c := column{ColumnReport: ColumnReport{Index: index, Name: name}, norm: NormalizeHeader(name)}
	if en, er, ok := r.explicitFor(name, c.norm, nil); ok && !r.used[en] {
		r.use(en)
		if err := r.assignExplicit(&c, er); err != nil {
			return c, err
		}
		return c, nil
	}
	r.assignAuto(&c, true)
	return c, nil
}

func (r *resolver) explicitNames() []string {
	names := make([]string, 0, len(r.exact))
	for n := range r.exact {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

func (r *resolver) assignExplicit(c *column, er explicitRole) error {
	c.How = HowExplicit
	c.Role = er.role
	switch er.role {
	case RoleKey:
		if r.key >= 0 {
			return fmt.Errorf("%w: key column %q appears twice in the header", ErrMapping, c.Name)
		}
		r.key = c.Index
	case RoleObserved:
		if r.observed >= 0 {
			return fmt.Errorf("%w: observed column %q appears twice in the header", ErrMapping, c.Name)
		}
		r.observed = c.Index
	case RoleField:
		c.Field = er.field
		if er.field == profile.FieldFullName && isFamilyFirst(c.norm) {
			c.Note = familyFirstNote
		}
		if !er.field.MultiValued() {
			if prev, ok := r.taken[er.field]; ok {
				return fmt.Errorf("%w: columns %q and %q both map to single-valued %s", ErrMapping, prev, c.Name, er.field)
			}
			r.taken[er.field] = c.Name
		}
		if a, ok := er.field.AttrName(); ok {
			r.attrs[a] = true
		}
	}
	return nil
}

// pickBest gives role to the unassigned column whose normalized name comes
// first in prefs (joined nested JSON paths count: customer.id is
// customer_id).
func (r *resolver) pickBest(cols []column, prefs []string, role Role) {
	best, bestRank := -1, len(prefs)
	for i := range cols {
		if cols[i].Role != "" {
			continue
		}
		n := strings.ReplaceAll(cols[i].norm, ".", "_")
		if rank := slices.Index(prefs, n); rank >= 0 && rank < bestRank {
			best, bestRank = i, rank
		}
	}
	if best < 0 {
		return
	}
	c := &cols[best]
	c.Role, c.How = role, HowAuto
	if role == RoleKey {
		r.key = c.Index
	} else {
		r.observed = c.Index
	}
}

// keyLikeSuffixes end the names of columns that look like a source's own
// record identifier (ticket_id, loyalty_no, subscriber_id, order_number).
var keyLikeSuffixes = []string{"_id", "_no", "_nr", "_num", "_number", "_key", "_ref", "_code"}

// personalIDs are the identifier types a person carries, not a system
// gives a record: two records of one source may share one (a duplicate
// customer), so their column is never guessed as the key, which would
// reject the duplicate.
var personalIDs = map[string]bool{"national": true, "passport": true, "drivers_license": true, "health": true}

// pickKeyLike falls back, when no known key name is present, to the
// left-most column whose name looks like an identifier, and says so in the
// column's note so the user can check the guess. A column that names a
// field ("phone_number", "postcode", "tax_id") is that field, not a key;
// one that names a system's identifier ("loyalty_no") can be both.
func (r *resolver) pickKeyLike(cols []column) {
	for i := range cols {
		c := &cols[i]
		if c.Role != "" {
			continue
		}
		if f := autoTarget(c.norm); f != "" && f != targetKey && f != targetObserved && !r.m.NoAuto {
			if typ, isID := f.IDType(); !isID || personalIDs[typ] {
				continue
			}
		}
		n := strings.ReplaceAll(c.norm, ".", "_")
		for _, suf := range keyLikeSuffixes {
			if strings.HasSuffix(n, suf) && len(n) > len(suf) {
				c.Role, c.How = RoleKey, HowAuto
				c.Note = "no usual key name in the header; guessed from the name ending in " + strconv.Quote(suf)
				r.key = c.Index
				return
			}
		}
	}
}

// assignAuto maps a column by its name. late says it is a JSON key first
// seen after the first object: objects written by another version of a
// schema name one field differently ("first" for "givenName"), so a late
// key for a field another key feeds fills it where that one is missing,
// rather than being kept as an attribute as a second column of a header is.
func (r *resolver) assignAuto(c *column, late bool) {
	if !r.m.NoAuto {
		f := autoTarget(c.norm)
		switch {
		case f == "" || f == targetKey || f == targetObserved:
			switch {
			case f == targetKey && late && r.key < 0:
				// The records read before it have no key of this name:
				// they are numbered by row, and so are the rest.
				c.Note = "named like a record key, but missing from the first object, so records are numbered by row"
			case f != "":
				c.Note = "another column is the " + map[profile.Field]string{targetKey: "key", targetObserved: "observed time"}[f]
			}
		case !f.MultiValued() && r.taken[f] != "" && late:
			c.Role, c.Field, c.How, c.fallback = RoleField, f, HowAuto, true
			c.Note = fmt.Sprintf("%s comes from %q; this key fills it where that one is missing", f, r.taken[f])
			return
		case !f.MultiValued() && r.taken[f] != "":
			c.Note = fmt.Sprintf("%s already comes from %q", f, r.taken[f])
		default:
			if !f.MultiValued() {
				r.taken[f] = c.Name
			}
			c.Role, c.Field, c.How = RoleField, f, HowAuto
			if f == profile.FieldFullName && isFamilyFirst(c.norm) {
				c.Note = familyFirstNote
			}
			return
		}
	}
	c.How = HowUnmapped
	if r.m.Unmapped == UnmappedIgnore {
		c.Role = RoleIgnored
		return
	}
	name := attrName(c.norm, c.Index)
	if r.attrs[name] {
		for k := 2; ; k++ {
			if n := name + "_" + strconv.Itoa(k); !r.attrs[n] {
				name = n
				break
			}
		}
	}
	r.attrs[name] = true
	c.Role, c.Field = RoleField, profile.AttrField(name)
}

// assignRepeat keeps a column whose name an earlier column of the header
// has as the attribute attr:<name>_<n>, the n-th column of that name
// ("Address (2)" would not be a valid attribute name), or ignores it under
// UnmappedIgnore. The column is reported as unmapped, with a note naming
// both positions; the source also warns about it (see [ErrDuplicateColumn]).
func (r *resolver) assignRepeat(c *column, cols []column) {
	n := 1
	for _, o := range cols[:c.Index] {
		if o.Name == c.Name {
			n++
		}
	}
	c.How = HowUnmapped
	c.Note = fmt.Sprintf("column %d repeats the name of column %d", c.Index+1, c.repeats+1)
	if r.m.Unmapped == UnmappedIgnore {
		c.Role = RoleIgnored
		c.Note += "; ignored"
		return
	}
	name := attrName(c.norm, c.Index) + "_" + strconv.Itoa(n)
	for k := 2; r.attrs[name]; k++ {
		name = attrName(c.norm, c.Index) + "_" + strconv.Itoa(n) + "_" + strconv.Itoa(k)
	}
	r.attrs[name] = true
	c.Role, c.Field = RoleField, profile.AttrField(name)
	c.Note += "; kept as " + string(c.Field)
}

// unseen lists explicit mapping entries that matched no column (JSON).
// use marks explicit name n as matched.
func (r *resolver) use(n string) {
	if !r.used[n] {
		r.used[n] = true
		r.usedLog = append(r.usedLog, n)
	}
}

// unseen reports the explicit names that no column matched, given the
// names that did (a prefix of usedLog). It reads only what the resolver
// fixed when it was made, so it may run beside one still resolving.
func (r *resolver) unseen(usedLog []string) []ColumnReport {
	used := map[string]bool{}
	for _, n := range usedLog {
		used[n] = true
	}
	var out []ColumnReport
	for _, n := range r.explicitNames() {
		if used[n] {
			continue
		}
		er := r.exact[n]
		out = append(out, ColumnReport{Index: -1, Name: n, Role: er.role, Field: er.field, How: HowExplicit, Note: "never seen"})
	}
	return out
}

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return "header " + strings.Join(q, ", ")
}

// AutoMapping returns the mapping that auto-mapping gives a header, written
// out in full (NoAuto set, every column named), so a host can show it, save
// it as JSON, edit it and use it from then on. The error is the one reading
// would report (for example no key column).
func AutoMapping(source string, header []string) (Mapping, []ColumnReport, error) {
	m := Mapping{Source: source}
	r := newResolver(m)
	cols, err := r.resolveHeader(header, true)
	if err != nil {
		return m, nil, err
	}
	out := Mapping{Source: source, NoAuto: true, Columns: map[string]profile.Field{}}
	reps := make([]ColumnReport, len(cols))
	for i, c := range cols {
		reps[i] = c.ColumnReport
		if c.repeats >= 0 || c.How == HowUnmapped && strings.TrimSpace(c.Name) == "" {
			// Its name is its first column's, or blank and so shared
			// with other blank columns: reading the written mapping
			// keeps it as this attribute again.
			continue
		}
		switch c.Role {
		case RoleKey:
			out.Key = c.Name
		case RoleObserved:
			out.Observed = c.Name
		case RoleIgnored:
			out.Ignore = append(out.Ignore, c.Name)
		case RoleField:
			out.Columns[c.Name] = c.Field
		}
	}
	return out, reps, nil
}

// stateless resolves a JSON key past Options.MaxColumns without recording
// anything, so memory stays bounded: explicit fields apply, auto fields
// apply when multi-valued or not yet taken, and the rest follows the
// Unmapped policy. Such keys cannot be the key or observed column.
func (r *resolver) stateless(name string) column {
	c := column{ColumnReport: ColumnReport{Index: -1, Name: name}, norm: NormalizeHeader(name)}
	if _, er, ok := r.explicitFor(name, c.norm, nil); ok {
		c.How = HowExplicit
		if er.role == RoleField {
			c.Role, c.Field = RoleField, er.field
		} else {
			c.Role = RoleIgnored
		}
		return c
	}
	if !r.m.NoAuto {
		if f := autoTarget(c.norm); f != "" && f != targetKey && f != targetObserved && (f.MultiValued() || r.taken[f] == "") {
			c.Role, c.Field, c.How = RoleField, f, HowAuto
			return c
		}
	}
	c.How = HowUnmapped
	if r.m.Unmapped == UnmappedIgnore {
		c.Role = RoleIgnored
	} else {
		c.Role, c.Field = RoleField, profile.AttrField(attrName(c.norm, 0))
	}
	return c
}
