package synth

import (
	"errors"
	"fmt"
	"strings"

	"github.com/unifyhq/unify/profile"
)

// Record is one generated source record together with its ground truth.
type Record struct {
	// Source is the source's name and Key the record's key in it; together
	// they are the record's reference. Key is also Values[0].
	Source string
	Key    string
	// Values holds one value per column of the source's header, "" when
	// missing. The slice is reused: it is valid only during the Sink call.
	Values []string
	// Person is the ground-truth person ID: records with the same Person
	// are the same human being.
	Person string
	// Household is the ground-truth household ID, shared by people who
	// live together. It is for analysing errors (household members are
	// the hardest non-matches), not a match criterion.
	Household string
	// Flags says which corruptions and life events shaped this copy.
	Flags Flags
}

// Flags records what the generator did to one record, for error analysis:
// recall on records with a given flag, say. A flag set does not always
// change the value (a typo in an empty field is not made).
type Flags uint64

// The flags.
const (
	FlagTypoName        Flags = 1 << iota // keyboard typo in a name
	FlagTypoEmail                         // typo in the email (local part or provider domain)
	FlagTypoAddress                       // typo in street or city
	FlagNickname                          // nickname for the given name
	FlagInitial                           // given name as an initial
	FlagNameSwap                          // family name written first or in the given-name field (by mess, or by the "WANG Wei" and "SMITH J" conventions)
	FlagCase                              // ALL CAPS or all lower case
	FlagSpaces                            // stray spaces
	FlagDiacritics                        // accents folded to ASCII
	FlagNativeScript                      // name in its native non-Latin script (王伟, Иванов)
	FlagTransliteration                   // unusual romanization or spelling variant
	FlagEnglishName                       // adopted English given name
	FlagPartialName                       // one of two surnames (Spanish, Portuguese) left out
	FlagPhoneTransposed                   // adjacent phone digits exchanged
	FlagDateSwap                          // birth date day and month exchanged
	FlagDateTypo                          // birth date digits mistyped
	FlagJunkName                          // placeholder name (n/a, unknown, test)
	FlagJunkEmail                         // placeholder email (test@test.com)
	FlagJunkPhone                         // placeholder phone (000-000-0000)
	FlagJunkDate                          // placeholder birth date (1900-01-01)
	FlagJunkAddress                       // placeholder street or postcode
	FlagMissing                           // a value blanked by the Missing rate (values absent by nature, such as a person without email, are not flagged)
	FlagEmailVariant                      // provider-equivalent email spelling
	FlagSharedEmail                       // email that another household member also uses
	FlagSharedPhone                       // household landline, shared with other members
	FlagBirthName                         // family name from before a marriage name change
	FlagOldAddress                        // address from before a move
	FlagOldContact                        // email or phone from before a change
	FlagDuplicate                         // a further copy of the person in the same source
	FlagAnonymous                         // no identifying value at all (anonymous web device)
	flagEnd
)

var flagNames = []string{"typo_name", "typo_email", "typo_address", "nickname", "initial", "name_swap", "case",
	"spaces", "diacritics", "native_script", "transliteration", "english_name", "partial_name", "phone_transposed",
	"date_swap", "date_typo", "junk_name", "junk_email", "junk_phone", "junk_date", "junk_address", "missing",
	"email_variant", "shared_email", "shared_phone", "birth_name", "old_address", "old_contact", "duplicate",
	"anonymous"}

// AllFlags lists every flag in bit order.
func AllFlags() []Flags {
	out := make([]Flags, 0, len(flagNames))
	for f := Flags(1); f < flagEnd; f <<= 1 {
		out = append(out, f)
	}
	return out
}

// Name returns the snake_case name of a single flag ("typo_name"), or "" if
// f is not exactly one known flag.
func (f Flags) Name() string {
	for i := range flagNames {
		if f == 1<<i {
			return flagNames[i]
		}
	}
	return ""
}

// String lists the set flags separated by '|' ("nickname|old_address").
func (f Flags) String() string { return string(f.appendTo(nil)) }

func (f Flags) appendTo(b []byte) []byte {
	first := true
	for i, n := range flagNames {
		if f&(1<<i) != 0 {
			if !first {
				b = append(b, '|')
			}
			b = append(b, n...)
			first = false
		}
	}
	return b
}

// ParseFlags reads the form String writes. Unknown names are an error.
func ParseFlags(s string) (Flags, error) {
	var f Flags
	if s == "" {
		return 0, nil
	}
	for _, n := range strings.Split(s, "|") {
		found := false
		for i, m := range flagNames {
			if n == m {
				f |= 1 << i
				found = true
				break
			}
		}
		if !found {
			return 0, fmt.Errorf("%w %q in %q", ErrUnknownFlag, n, s)
		}
	}
	return f, nil
}

// ErrUnknownFlag is wrapped by [ParseFlags] errors.
var ErrUnknownFlag = errors.New("synth: unknown flag")

// Sink receives the generated data as it is produced, person by person. A
// person's records come first, then the events that hang off them. Returning
// an error stops generation; Generate returns it.
//
// Calls come from the goroutine that called Generate, one at a time. The
// Record and Event values are reused after the call returns: copy what you
// keep.
type Sink interface {
	Record(*Record) error
	Event(*profile.Event) error
}

// SinkFuncs adapts two functions to a [Sink]; a nil function ignores that
// kind of item.
type SinkFuncs struct {
	RecordFunc func(*Record) error
	EventFunc  func(*profile.Event) error
}

// Record calls RecordFunc.
func (s SinkFuncs) Record(r *Record) error {
	if s.RecordFunc == nil {
		return nil
	}
	return s.RecordFunc(r)
}

// Event calls EventFunc.
func (s SinkFuncs) Event(e *profile.Event) error {
	if s.EventFunc == nil {
		return nil
	}
	return s.EventFunc(e)
}

// Stats summarizes one generation run.
type Stats struct {
	// People, Households, Records and Events count what was written; a
	// household counts once one of its members was written.
	People     int
	Households int
	Records    int
	Events     int
	// SourceRecords counts records per source, in Config.Sources order.
	SourceRecords []int
	// FlagRecords counts records per flag; index i is the flag 1<<i.
	FlagRecords []int
}
