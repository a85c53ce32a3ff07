package profile

import (
	"slices"
	"time"
)

// Profile is a golden customer profile: the single customer view built from
// all the source records that are the same person.
type Profile struct {
	// ID is stable: the profile keeps it as members come and go.
	ID string `json:"id"`
	// Aliases are the IDs of profiles merged into this one; they still
	// resolve to it.
	Aliases []string `json:"aliases,omitempty"`
	// Members are the source records of the profile, sorted by [Ref.Compare].
	Members []Ref `json:"members"`
	// Fields holds the surviving values per field. Single-valued fields hold
	// at most one value; multi-valued fields (emails, phones, identifiers,
	// addresses) may hold several.
	Fields map[Field][]GoldenValue `json:"fields,omitempty"`
	// Updated is when the profile last changed.
	Updated time.Time `json:"updated,omitzero"`
}

// GoldenValue is one surviving value of a golden profile with its provenance:
// where it came from and which rule chose it.
type GoldenValue struct {
	Value string `json:"value"`         // normalized form
	Raw   string `json:"raw,omitempty"` // as written in the source record
	// From is the record that contributed the value.
	From Ref `json:"from"`
	// Observed is the contributing record's observed time.
	Observed time.Time `json:"observed,omitzero"`
	// Rule names the survivorship rule that chose the value ("most_recent",
	// "source_priority", ...).
	Rule string `json:"rule"`
}

// Clone returns a deep copy of p, which shares no memory with it. Profiles
// handed out read-only (by merge.Graph, for instance) are cloned before they
// are modified.
func (p Profile) Clone() Profile {
	p.Aliases = slices.Clone(p.Aliases)
	p.Members = slices.Clone(p.Members)
	if p.Fields != nil {
		f := make(map[Field][]GoldenValue, len(p.Fields))
		for k, v := range p.Fields {
			f[k] = slices.Clone(v)
		}
		p.Fields = f
	}
	return p
}

// Get returns the first surviving value of f.
func (p *Profile) Get(f Field) (GoldenValue, bool) {
	vs := p.Fields[f]
	if len(vs) == 0 {
		return GoldenValue{}, false
	}
	return vs[0], true
}
