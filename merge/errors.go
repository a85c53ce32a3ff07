package merge

import "errors"

// Sentinel errors. Errors returned by this package wrap one of them with the
// details (which record, which link, which option), so check them with
// [errors.Is].
var (
	// ErrInvalidLink reports a link that cannot be used: a probability outside
	// [0, 1] or NaN, a record linked to itself, or an empty reference.
	ErrInvalidLink = errors.New("merge: invalid link")
	// ErrDuplicateLink reports the same pair of records scored twice in one
	// call. Which score should win is the caller's decision, so neither is
	// picked silently.
	ErrDuplicateLink = errors.New("merge: duplicate link")
	// ErrUnknownRecord reports a reference to a record that is not present.
	ErrUnknownRecord = errors.New("merge: unknown record")
	// ErrDuplicateRecord reports a record added twice, or added while present.
	ErrDuplicateRecord = errors.New("merge: duplicate record")
	// ErrInvalidRecord reports a record without a source or key.
	ErrInvalidRecord = errors.New("merge: invalid record")
	// ErrInvalidAssertion reports an assertion that names the same record
	// twice, an unknown kind, or a retraction of an assertion never made.
	ErrInvalidAssertion = errors.New("merge: invalid assertion")
	// ErrConflict reports a batch that asks for two incompatible things at
	// once, such as adding and deleting the same record.
	ErrConflict = errors.New("merge: conflicting operations in one batch")
	// ErrInvalidOptions reports an option outside its documented range.
	ErrInvalidOptions = errors.New("merge: invalid options")
)
