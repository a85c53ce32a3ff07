package segment

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every error this package returns wraps one of them, so
// callers test the kind with [errors.Is] and read the message for the detail.
var (
	// ErrSyntax is wrapped by [*SyntaxError]: the condition text is not in
	// the language.
	ErrSyntax = errors.New("segment: syntax error")
	// ErrUnknownField says a condition names a field the schema does not
	// know. It is a compile error, never a silent false.
	ErrUnknownField = errors.New("segment: unknown field")
	// ErrUnknownValue says a condition compares a field that holds a
	// closed set of values (rfm_segment, value_tier) with a literal that is
	// none of them (rfm_segment = "Champion"), or names an event type that
	// a [Schema] with EventTypes does not list. It is a compile error, never
	// a silent false.
	ErrUnknownValue = errors.New("segment: unknown value")
	// ErrType says a condition is well formed but compares values of the
	// wrong kinds ("total_spend contains 3"), or a literal cannot be read as
	// its field's kind (a time that is not a date).
	ErrType = errors.New("segment: type error")
	// ErrInvalidEvent says an event cannot be aggregated (an amount that is
	// negative, NaN or infinite).
	ErrInvalidEvent = errors.New("segment: invalid event")
	// ErrDuplicateProfile says a population holds the same profile ID twice.
	ErrDuplicateProfile = errors.New("segment: duplicate profile ID")
)

// SyntaxError reports where a condition stops being in the language and what
// was expected there. Line and Col are 1-based; Col counts runes.
type SyntaxError struct {
	Line, Col int
	Msg       string // for example `expected value after ">=", found end of input`
}

// Error formats the error as "segment: line:col: msg".
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("segment: %d:%d: %s", e.Line, e.Col, e.Msg)
}

// Unwrap returns [ErrSyntax], so errors.Is(err, ErrSyntax) holds.
func (e *SyntaxError) Unwrap() error { return ErrSyntax }
