package sqlitestore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"iter"

	"github.com/unifyhq/unify"
	"github.com/unifyhq/unify/profile"
)

// PutProfiles implements [unify.ProfileStore].
func (s *view) PutProfiles(ctx context.Context, ps []profile.Profile) error {
	if len(ps) == 0 {
		return nil
	}
	return s.update(ctx, "put profiles", func(tx *sql.Tx) error {
		st := s.wstmt(ctx, tx, stPutProfile)
		for i := range ps {
			doc, err := marshal(&ps[i])
			if err != nil {
				return fmt.Errorf("profile %q: %w", ps[i].ID, err)
			}
			if _, err := st.ExecContext(ctx, ps[i].ID, string(doc)); err != nil {
				return fmt.Errorf("profile %q: %w", ps[i].ID, err)
			}
		}
		return nil
	})
}

// DeleteProfiles implements [unify.ProfileStore].
func (s *view) DeleteProfiles(ctx context.Context, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	return s.update(ctx, "delete profiles", func(tx *sql.Tx) error {
		st := s.wstmt(ctx, tx, stDeleteProfile)
		for _, id := range ids {
			if _, err := st.ExecContext(ctx, id); err != nil {
				return fmt.Errorf("profile %q: %w", id, err)
			}
		}
		return nil
	})
}

// GetProfile implements [unify.ProfileStore].
func (s *view) GetProfile(ctx context.Context, id string) (profile.Profile, error) {
	var doc []byte
	err := s.stmt(ctx, stGetProfile).QueryRowContext(ctx, id).Scan(&doc)
	if errors.Is(err, sql.ErrNoRows) {
		return profile.Profile{}, fmt.Errorf("sqlitestore: get profile: %w: profile %q", unify.ErrNotFound, id)
	}
	if err != nil {
		return profile.Profile{}, fmt.Errorf("sqlitestore: get profile %q: %w", id, err)
	}
	p, err := decodeProfile(id, doc)
	if err != nil {
		return profile.Profile{}, fmt.Errorf("sqlitestore: get profile: %w", err)
	}
	return p, nil
}

func decodeProfile(id string, doc []byte) (profile.Profile, error) {
	var p profile.Profile
	if err := json.Unmarshal(doc, &p); err != nil {
		return p, fmt.Errorf("profile %q: stored document: %w", id, err)
	}
	if p.ID != id {
		return p, fmt.Errorf("profile %q: stored document is of profile %q", id, p.ID)
	}
	return p, nil
}

// Profiles implements [unify.ProfileStore]. It streams the profiles in
// ID order, a page at a time: a profile present from start to end is
// yielded exactly once, and the loop body may call the store.
func (s *view) Profiles(ctx context.Context) iter.Seq2[profile.Profile, error] {
	return func(yield func(profile.Profile, error) bool) {
		var page []profile.Profile
		var last string
		for first := true; ; first = false {
			page = page[:0]
			var rows *sql.Rows
			var err error
			if first {
				rows, err = s.stmt(ctx, stProfilesFirst).QueryContext(ctx, pageSize)
			} else {
				rows, err = s.stmt(ctx, stProfilesNext).QueryContext(ctx, last, pageSize)
			}
			if err == nil {
				var doc sql.RawBytes
				for rows.Next() {
					if err = rows.Scan(&last, &doc); err != nil {
						break
					}
					var p profile.Profile
					if p, err = decodeProfile(last, doc); err != nil {
						break
					}
					page = append(page, p)
				}
				err = errors.Join(err, rows.Err(), rows.Close())
			}
			if err != nil {
				yield(profile.Profile{}, fmt.Errorf("sqlitestore: profiles: %w", err))
				return
			}
			for _, p := range page {
				if !yield(p, nil) {
					return
				}
			}
			if len(page) < pageSize {
				return
			}
		}
	}
}

// PutModel implements [unify.ModelStore].
func (s *view) PutModel(ctx context.Context, doc []byte) error {
	if doc == nil {
		doc = []byte{} // an empty document, not SQL NULL
	}
	return s.update(ctx, "put model", func(tx *sql.Tx) error {
		_, err := s.wstmt(ctx, tx, stPutModel).ExecContext(ctx, doc)
		return err
	})
}

// GetModel implements [unify.ModelStore].
func (s *view) GetModel(ctx context.Context) ([]byte, error) {
	var doc []byte
	err := s.stmt(ctx, stGetModel).QueryRowContext(ctx).Scan(&doc)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("sqlitestore: get model: %w: model", unify.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: get model: %w", err)
	}
	if doc == nil {
		doc = []byte{}
	}
	return doc, nil
}

// PutSnapshot implements [unify.SnapshotStore].
func (s *view) PutSnapshot(ctx context.Context, doc []byte) error {
	if doc == nil {
		doc = []byte{}
	}
	return s.update(ctx, "put snapshot", func(tx *sql.Tx) error {
		_, err := s.wstmt(ctx, tx, stPutSnapshot).ExecContext(ctx, doc)
		return err
	})
}

// GetSnapshot implements [unify.SnapshotStore].
func (s *view) GetSnapshot(ctx context.Context) ([]byte, error) {
	var doc []byte
	err := s.stmt(ctx, stGetSnapshot).QueryRowContext(ctx).Scan(&doc)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("sqlitestore: get snapshot: %w: snapshot", unify.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: get snapshot: %w", err)
	}
	return doc, nil
}
