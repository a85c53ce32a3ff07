package profile

import (
	"errors"
	"fmt"
	"strings"
)

// ErrInvalid is matched (with [errors.Is]) by every error that says a raw
// value could not be read as its field: [ErrInvalidDate], [ErrInvalidEmail],
// [ErrInvalidPhone] and the other ErrInvalid... sentinels all match it.
var ErrInvalid = errors.New("profile: invalid value")

// ErrJunk says a raw value is a placeholder such as "n/a", "unknown" or
// "test@test.com" and was treated as missing. It does not match [ErrInvalid]:
// junk is recognised, not malformed. See [Junk].
var ErrJunk = errors.New("profile: junk value")

// Specific reasons a value is invalid. Each matches [ErrInvalid] as well as
// itself, so callers can test either the family or the exact reason.
var (
	ErrInvalidDate     error = &invalidError{"profile: invalid date"}
	ErrInvalidEmail    error = &invalidError{"profile: invalid email"}
	ErrInvalidPhone    error = &invalidError{"profile: invalid phone"}
	ErrInvalidPostcode error = &invalidError{"profile: invalid postcode"}
	ErrInvalidCountry  error = &invalidError{"profile: unknown country"}
	ErrInvalidGender   error = &invalidError{"profile: unknown gender"}
	ErrInvalidConsent  error = &invalidError{"profile: unreadable consent"}
)

// ErrPhoneNoRegion says a phone number has no country code and no region
// was given to read it in (no country on the record's address, no
// [PhoneNormalizer.DefaultRegion]): the number may be fine, the input
// lacks the context to place it. It matches [ErrInvalidPhone] and
// [ErrInvalid] too.
var ErrPhoneNoRegion error = &narrowError{"profile: invalid phone: no country code, and no default region to assume one", ErrInvalidPhone}

// narrowError is a sentinel for one reason within an ErrInvalid... family:
// it matches that sentinel and ErrInvalid as well as itself.
type narrowError struct {
	msg    string
	family error
}

func (e *narrowError) Error() string        { return e.msg }
func (e *narrowError) Is(target error) bool { return target == e.family || target == ErrInvalid }

// invalidError is a sentinel that also matches ErrInvalid, so one error
// value answers both errors.Is(err, ErrInvalidDate) and errors.Is(err, ErrInvalid).
type invalidError struct{ msg string }

func (e *invalidError) Error() string        { return e.msg }
func (e *invalidError) Is(target error) bool { return target == ErrInvalid }

// FieldError reports a raw value that was kept on the record but could not be
// normalized: it was junk or invalid. Err wraps [ErrJunk] or one of the
// ErrInvalid... sentinels, with the reason.
type FieldError struct {
	Field Field  // the field being set
	Raw   string // the value as written
	Err   error  // why: wraps ErrJunk or an ErrInvalid... sentinel
}

// Error names the field, the raw value and the reason, for example
//
//	profile: birth_date "1980-02-30": invalid date: day 30 is past the end of February 1980
func (e *FieldError) Error() string {
	reason := "<nil>"
	if e.Err != nil {
		reason = strings.TrimPrefix(e.Err.Error(), "profile: ")
	}
	return fmt.Sprintf("profile: %s %q: %s", e.Field, e.Raw, reason)
}

// Unwrap returns the underlying reason.
func (e *FieldError) Unwrap() error { return e.Err }

// reason wraps a sentinel with a human explanation.
func reason(sentinel error, format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{sentinel}, args...)...)
}
