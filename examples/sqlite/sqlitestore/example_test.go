package sqlitestore_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"

	"github.com/unifyhq/unify"
	"github.com/unifyhq/unify/examples/sqlite/sqlitestore"
	"github.com/unifyhq/unify/ingest"
	"github.com/unifyhq/unify/profile"
)

// An engine on a SQLite file: what one run resolves, the next run finds
// in the file, without resolving again.
func Example() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "sqlitestore-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "customers.db")

	const crm = `id,first_name,last_name,email,phone,dob
1,Margaret,O'Brien,margaret.obrien@bigpond.com,0491 570 006,1968-03-14
2,Maggie,OBrien,Margaret.OBrien@bigpond.com,+61 491 570 006,1968-03-14
3,Thomas,Nguyen,tom.nguyen@gmail.com,0491 570 156,1985-11-02
4,Aisha,Rahman,aisha.rahman@outlook.com,0491 570 157,1992-07-23
`
	// First run: load, resolve, close.
	st, err := sqlitestore.Open(ctx, path)
	if err != nil {
		log.Fatal(err)
	}
	e, err := unify.New(ctx, unify.Options{Store: st})
	if err != nil {
		log.Fatal(err)
	}
	src, err := ingest.NewSource(strings.NewReader(crm), ingest.Mapping{Source: "crm", DefaultRegion: "AU"}, ingest.Options{})
	if err != nil {
		log.Fatal(err)
	}
	for r, err := range src.Records(ctx) {
		if err != nil {
			log.Fatal(err)
		}
		if _, err := e.Add(ctx, r); err != nil {
			log.Fatal(err)
		}
	}
	if _, err := e.Resolve(ctx, false); err != nil {
		log.Fatal(err)
	}
	before, _ := e.ProfileOf(ctx, profile.Ref{Source: "crm", Key: "2"})
	if err := st.Close(); err != nil {
		log.Fatal(err)
	}

	// Second run: a new store and engine on the same file.
	st, err = sqlitestore.Open(ctx, path)
	if err != nil {
		log.Fatal(err)
	}
	defer st.Close()
	e, err = unify.New(ctx, unify.Options{Store: st})
	if err != nil {
		log.Fatal(err)
	}
	after, err := e.Profile(ctx, before.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(e.Len(), "records,", e.NumProfiles(), "profiles")
	fmt.Println("same profile:", after.ID == before.ID, after.Members)
	// Output:
	// 4 records, 3 profiles
	// same profile: true [crm/1 crm/2]
}

// Tx commits all of a function's writes or none.
func ExampleStore_Tx() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "sqlitestore-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	st, err := sqlitestore.Open(ctx, filepath.Join(dir, "tx.db"))
	if err != nil {
		log.Fatal(err)
	}
	defer st.Close()

	r := &profile.Record{Source: "crm", Key: "1"}
	errAbandon := errors.New("abandoned")
	err = st.Tx(ctx, func(tx unify.Store) error {
		if err := tx.PutRecords(ctx, []*profile.Record{r}); err != nil {
			return err
		}
		if err := tx.SetKeys(ctx, r.Ref(), []string{"email:x"}); err != nil {
			return err
		}
		return errAbandon // roll back both writes
	})
	fmt.Println(err)
	_, err = st.GetRecord(ctx, r.Ref())
	fmt.Println(errors.Is(err, unify.ErrNotFound))
	keys, _ := st.Lookup(ctx, "email:x")
	fmt.Println(len(keys), "records under email:x")
	// Output:
	// abandoned
	// true
	// 0 records under email:x
}
