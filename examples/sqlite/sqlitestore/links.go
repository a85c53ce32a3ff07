package sqlitestore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/unifyhq/unify/merge"
	"github.com/unifyhq/unify/profile"
)

// SetKeys implements [unify.IndexStore].
func (s *view) SetKeys(ctx context.Context, ref profile.Ref, keys []string) error {
	return s.update(ctx, "set keys", func(tx *sql.Tx) error {
		if _, err := s.wstmt(ctx, tx, stDeleteKeys).ExecContext(ctx, ref.Source, ref.Key); err != nil {
			return fmt.Errorf("record %v: %w", ref, err)
		}
		if len(keys) == 0 {
			return nil
		}
		if len(keys) > 1 && jsonSafe(keys) {
			// One statement for all the keys, passed as a JSON array: a
			// third of the time and allocations of one insert per key.
			doc, err := json.Marshal(keys)
			if err != nil {
				return err
			}
			if _, err := s.wstmt(ctx, tx, stInsertKeys).ExecContext(ctx, ref.Source, ref.Key, string(doc)); err != nil {
				return fmt.Errorf("record %v: %w", ref, err)
			}
			return nil
		}
		st := s.wstmt(ctx, tx, stInsertKey)
		for _, k := range keys {
			if _, err := st.ExecContext(ctx, k, ref.Source, ref.Key); err != nil {
				return fmt.Errorf("record %v, key %q: %w", ref, k, err)
			}
		}
		return nil
	})
}

// jsonSafe reports whether every key survives a trip through a JSON
// array and SQLite's json_each unchanged: valid UTF-8 (JSON would replace
// other bytes) without NUL bytes (SQLite's JSON functions have not always
// kept an escaped NUL). Other keys are inserted one by one.
func jsonSafe(keys []string) bool {
	for _, k := range keys {
		if !utf8.ValidString(k) || strings.IndexByte(k, 0) >= 0 {
			return false
		}
	}
	return true
}

// Lookup implements [unify.IndexStore]. The refs come in
// [profile.Ref.Compare] order.
func (s *view) Lookup(ctx context.Context, key string) ([]profile.Ref, error) {
	rows, err := s.stmt(ctx, stLookup).QueryContext(ctx, key)
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: lookup %q: %w", key, err)
	}
	var refs []profile.Ref
	for rows.Next() {
		var r profile.Ref
		if err = rows.Scan(&r.Source, &r.Key); err != nil {
			break
		}
		refs = append(refs, r)
	}
	if err := errors.Join(err, rows.Err(), rows.Close()); err != nil {
		return nil, fmt.Errorf("sqlitestore: lookup %q: %w", key, err)
	}
	return refs, nil
}

// PutLinks implements [unify.LinkStore]. A NaN probability or weight is
// refused with [ErrUnstorable]: SQLite would store it as NULL.
func (s *view) PutLinks(ctx context.Context, links []merge.Link) error {
	if len(links) == 0 {
		return nil
	}
	return s.update(ctx, "put links", func(tx *sql.Tx) error {
		st := s.wstmt(ctx, tx, stPutLink)
		for _, l := range links {
			a, b := l.A, l.B
			if a.Compare(b) > 0 {
				a, b = b, a
			}
			if math.IsNaN(l.Prob) || math.IsNaN(l.Weight) {
				return fmt.Errorf("link %v-%v: %w: probability %v, weight %v (NaN)", a, b, ErrUnstorable, l.Prob, l.Weight)
			}
			if _, err := st.ExecContext(ctx, a.Source, a.Key, b.Source, b.Key, l.Prob, l.Weight); err != nil {
				return fmt.Errorf("link %v-%v: %w", a, b, err)
			}
		}
		return nil
	})
}

// DeleteLinks implements [unify.LinkStore].
func (s *view) DeleteLinks(ctx context.Context, ref profile.Ref) error {
	return s.update(ctx, "delete links", func(tx *sql.Tx) error {
		// Two statements, one per index, rather than an OR over both.
		for _, id := range []stmtID{stDeleteLinksA, stDeleteLinksB} {
			if _, err := s.wstmt(ctx, tx, id).ExecContext(ctx, ref.Source, ref.Key); err != nil {
				return fmt.Errorf("record %v: %w", ref, err)
			}
		}
		return nil
	})
}

// Links implements [unify.LinkStore]. It streams the links a page at a
// time, by pair: a link present from start to end is yielded exactly
// once, with A sorting before B, and the loop body may call the store.
func (s *view) Links(ctx context.Context) iter.Seq2[merge.Link, error] {
	return func(yield func(merge.Link, error) bool) {
		var page []merge.Link
		var last merge.Link
		for first := true; ; first = false {
			page = page[:0]
			var rows *sql.Rows
			var err error
			if first {
				rows, err = s.stmt(ctx, stLinksFirst).QueryContext(ctx, pageSize)
			} else {
				rows, err = s.stmt(ctx, stLinksNext).QueryContext(ctx,
					last.A.Source, last.A.Key, last.B.Source, last.B.Key, pageSize)
			}
			if err == nil {
				for rows.Next() {
					var l merge.Link
					if err = rows.Scan(&l.A.Source, &l.A.Key, &l.B.Source, &l.B.Key, &l.Prob, &l.Weight); err != nil {
						break
					}
					page = append(page, l)
				}
				err = errors.Join(err, rows.Err(), rows.Close())
			}
			if err != nil {
				yield(merge.Link{}, fmt.Errorf("sqlitestore: links: %w", err))
				return
			}
			for _, l := range page {
				if !yield(l, nil) {
					return
				}
			}
			if len(page) < pageSize {
				return
			}
			last = page[len(page)-1]
		}
	}
}

// PutAssertion implements [unify.LinkStore].
func (s *view) PutAssertion(ctx context.Context, a merge.Assertion) error {
	return s.update(ctx, "put assertion", func(tx *sql.Tx) error {
		_, err := s.wstmt(ctx, tx, stPutAssertion).ExecContext(ctx, int64(a.Kind), a.A.Source, a.A.Key, a.B.Source, a.B.Key)
		if err != nil {
			return fmt.Errorf("%v: %w", a, err)
		}
		return nil
	})
}

// DeleteAssertion implements [unify.LinkStore].
func (s *view) DeleteAssertion(ctx context.Context, a merge.Assertion) error {
	return s.update(ctx, "delete assertion", func(tx *sql.Tx) error {
		_, err := s.wstmt(ctx, tx, stDeleteAssertion).ExecContext(ctx, int64(a.Kind), a.A.Source, a.A.Key, a.B.Source, a.B.Key)
		if err != nil {
			return fmt.Errorf("%v: %w", a, err)
		}
		return nil
	})
}

// Assertions implements [unify.LinkStore].
func (s *view) Assertions(ctx context.Context) ([]merge.Assertion, error) {
	rows, err := s.stmt(ctx, stAssertions).QueryContext(ctx)
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: assertions: %w", err)
	}
	var as []merge.Assertion
	for rows.Next() {
		var a merge.Assertion
		var kind int64
		if err = rows.Scan(&kind, &a.A.Source, &a.A.Key, &a.B.Source, &a.B.Key); err != nil {
			break
		}
		if kind < 0 || kind > math.MaxUint8 {
			err = fmt.Errorf("stored assertion kind %d is out of range", kind)
			break
		}
		a.Kind = merge.AssertionKind(kind)
		as = append(as, a)
	}
	if err := errors.Join(err, rows.Err(), rows.Close()); err != nil {
		return nil, fmt.Errorf("sqlitestore: assertions: %w", err)
	}
	return as, nil
}
