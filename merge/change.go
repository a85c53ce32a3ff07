package merge

import "fmt"

// ChangeKind says what happened to a profile.
type ChangeKind uint8

// The kinds of change, in the order a write reports them.
const (
	// Deleted: the profile lost its last record; its ID and aliases no
	// longer resolve.
	Deleted ChangeKind = iota + 1
	// Split: the profile's records now form several profiles; Into lists
	// them (the largest part keeps the ID).
	Split
	// Merged: the profiles in From joined profile ID; their IDs are now
	// aliases of ID.
	Merged
	// Created: a new profile (a new ID, or an alias reclaimed by a part that
	// split off).
	Created
	// Updated: the profile kept its ID and its members changed, or one of
	// its records was replaced by a different one. Golden values are chosen
	// when a profile is read, so an update that leaves them as they were
	// still counts.
	Updated
)

// String returns "deleted", "split", "merged", "created" or "updated".
func (k ChangeKind) String() string {
	switch k {
	case Deleted:
		return "deleted"
	case Split:
		return "split"
	case Merged:
		return "merged"
	case Created:
		return "created"
	case Updated:
		return "updated"
	}
	return fmt.Sprintf("ChangeKind(%d)", uint8(k))
}

// MarshalText encodes the kind by name, for JSON.
func (k ChangeKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// Change is one change to the profiles, as a plain value a host can forward
// to its own systems. Every write returns its changes; a structural change
// (split, merge) comes with Updated or Created for each resulting profile.
type Change struct {
	Kind ChangeKind `json:"kind"`
	// ID is the profile concerned: for Merged the surviving profile, for
	// Split the profile that split.
	ID string `json:"id"`
	// From lists, for Merged, the IDs that merged into ID and are now its
	// aliases.
	From []string `json:"from,omitempty"`
	// Into lists, for Split, the IDs of the profiles holding the records
	// that were in ID, ID itself first if it survives.
	Into []string `json:"into,omitempty"`
}

// String describes the change, for example "merged p_x <- [p_y]".
func (c Change) String() string {
	switch c.Kind {
	case Merged:
		return fmt.Sprintf("%s %s <- %v", c.Kind, c.ID, c.From)
	case Split:
		return fmt.Sprintf("%s %s -> %v", c.Kind, c.ID, c.Into)
	}
	return fmt.Sprintf("%s %s", c.Kind, c.ID)
}
